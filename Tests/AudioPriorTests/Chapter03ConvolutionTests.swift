import Foundation
import Testing

@testable import Tensors

/// A convolution: a batch of `channels`-channel height × width images, `outChannels`
/// filters of kernel × kernel, stride, padding (and the transposed convolution's output
/// padding).
struct ConvCase: Sendable, CustomTestStringConvertible {
  var batch: Int
  var channels: Int
  var outChannels: Int
  var height: Int
  var width: Int
  var kernel: Int
  var stride: Int
  var padding: Int
  var outputPadding = 0

  /// A case in table form: batch, channels, output channels, height, width, kernel,
  /// stride, padding, output padding.
  init(n: Int, c: Int, o: Int, h: Int, w: Int, k: Int, s: Int, p: Int, op: Int = 0) {
    (batch, channels, outChannels, height, width) = (n, c, o, h, w)
    (kernel, stride, padding, outputPadding) = (k, s, p, op)
  }

  var testDescription: String {
    "N\(batch) C\(channels)→\(outChannels) \(height)×\(width) k\(kernel) s\(stride) p\(padding)"
      + (outputPadding > 0 ? " op\(outputPadding)" : "")
  }
}

/// Several strides, paddings, sizes, batch and channel counts; a 1×1 kernel; a stride that
/// does not divide the padded size; padding as large as the kernel.
let convCases = [
  ConvCase(n: 1, c: 1, o: 1, h: 5, w: 5, k: 3, s: 1, p: 0),
  ConvCase(n: 2, c: 3, o: 4, h: 7, w: 6, k: 3, s: 1, p: 1),
  ConvCase(n: 1, c: 2, o: 3, h: 8, w: 8, k: 4, s: 2, p: 1),
  ConvCase(n: 2, c: 3, o: 2, h: 9, w: 7, k: 3, s: 2, p: 0),
  ConvCase(n: 1, c: 4, o: 2, h: 5, w: 5, k: 1, s: 1, p: 0),
  ConvCase(n: 1, c: 2, o: 2, h: 6, w: 6, k: 2, s: 3, p: 2),
  ConvCase(n: 3, c: 2, o: 5, h: 4, w: 4, k: 4, s: 1, p: 2),
]

/// Transposed convolutions: the generator's k4 s2 p1 and k4 s1 p0 from 1×1, output padding,
/// a 1×1 kernel, a stride larger than the kernel.
let convTransposeCases = [
  ConvCase(n: 1, c: 1, o: 1, h: 3, w: 3, k: 4, s: 2, p: 1),
  ConvCase(n: 2, c: 3, o: 2, h: 4, w: 5, k: 4, s: 2, p: 1),
  ConvCase(n: 1, c: 3, o: 4, h: 1, w: 1, k: 4, s: 1, p: 0),
  ConvCase(n: 1, c: 2, o: 3, h: 5, w: 5, k: 3, s: 1, p: 1),
  ConvCase(n: 2, c: 2, o: 2, h: 3, w: 4, k: 3, s: 2, p: 0, op: 1),
  ConvCase(n: 1, c: 2, o: 2, h: 4, w: 4, k: 1, s: 1, p: 0),
  ConvCase(n: 1, c: 2, o: 1, h: 3, w: 3, k: 2, s: 3, p: 0, op: 2),
]

/// ⟨a, b⟩ and Σ|aᵢ bᵢ|, the scale a relative comparison of inner products needs.
func innerProduct(_ a: Tensor, _ b: Tensor) -> (value: Double, scale: Double) {
  let (x, y) = (a.scalars, b.scalars)
  var value = 0.0
  var scale = 0.0
  for i in x.indices {
    value += Double(x[i]) * Double(y[i])
    scale += abs(Double(x[i]) * Double(y[i]))
  }
  return (value, scale)
}

@Suite("Chapter 3: tensors")
struct Chapter03ConvolutionTests {
  @Test func outputSizesFollowTheFormulas() {
    #expect(convOutputSize(64, kernelSize: 4, stride: 2, padding: 1) == 32)
    #expect(convOutputSize(7, kernelSize: 3, stride: 2, padding: 0) == 3)
    #expect(convOutputSize(5, kernelSize: 3, stride: 1, padding: 1) == 5)
    #expect(convTransposeOutputSize(32, kernelSize: 4, stride: 2, padding: 1) == 64)
    #expect(convTransposeOutputSize(1, kernelSize: 4, stride: 1, padding: 0) == 4)
    #expect(convTransposeOutputSize(3, kernelSize: 3, stride: 2, padding: 0, outputPadding: 1) == 8)
  }

  @Test(.tags(.im2col)) func im2colCopiesPatchesAndZeroPadding() {
    // A 3×3 image 1…9, 2×2 kernel, stride 1: four columns, one per output position.
    let image = Tensor((1...9).map(Float.init), shape: [1, 3, 3])
    let columns = im2col(image, kernelHeight: 2, kernelWidth: 2)
    #expect(columns.shape == [4, 4])
    #expect(
      columns.scalars == [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9])
    // A 2×2 image with padding 1: nine output positions, zeros where the kernel overhangs.
    let small = Tensor([1, 2, 3, 4], shape: [1, 2, 2])
    let padded = im2col(small, kernelHeight: 2, kernelWidth: 2, padding: 1)
    #expect(padded.shape == [4, 9])
    let rows = (0..<4).map { Array(padded.scalars[($0 * 9)..<($0 * 9 + 9)]) }
    #expect(rows[0] == [0, 0, 0, 0, 1, 2, 0, 3, 4])
    #expect(rows[3] == [1, 2, 0, 3, 4, 0, 0, 0, 0])
  }

  @Test(.tags(.col2im), arguments: convCases)
  func col2imIsTheAdjointOfIm2col(_ c: ConvCase) {
    let g = ConvGeometry(
      channels: c.channels, height: c.height, width: c.width, kernelHeight: c.kernel,
      kernelWidth: c.kernel, stride: c.stride, padding: c.padding)
    let x = randomTensor([c.channels, c.height, c.width], seed: 1)
    let columns = randomTensor([g.columnRows, g.columnCount], seed: 2)
    let left = innerProduct(
      im2col(
        x, kernelHeight: c.kernel, kernelWidth: c.kernel, stride: c.stride, padding: c.padding),
      columns)
    let right = innerProduct(x, col2im(columns, g))
    expectClose(left.value, right.value, tolerance: 1e-5 * left.scale)
  }

  @Test(.tags(.im2col), arguments: convCases)
  func convolutionMatchesTheDirectDefinition(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 3)
    let w = randomTensor([c.outChannels, c.channels, c.kernel, c.kernel], seed: 4)
    let expected = directConv2d(x, weight: w, stride: c.stride, padding: c.padding)
    let observed = conv2d(x, weight: w, stride: c.stride, padding: c.padding)
    #expect(observed.shape == expected.shape)
    expectClose(observed.scalars, expected.scalars, tolerance: 1e-5, relative: true)
  }

  @Test(.tags(.col2im), arguments: convTransposeCases)
  func transposedConvolutionMatchesTheDirectDefinition(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 5)
    let w = randomTensor([c.channels, c.outChannels, c.kernel, c.kernel], seed: 6)
    let expected = directConvTranspose2d(
      x, weight: w, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
    let observed = convTranspose2d(
      x, weight: w, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
    #expect(observed.shape == expected.shape)
    expectClose(observed.scalars, expected.scalars, tolerance: 1e-5, relative: true)
  }

  /// ⟨conv(x), y⟩ = ⟨convT(y), x⟩ with the same weight tensor: the transposed convolution is
  /// the adjoint of the convolution. Output padding recovers x's size when the stride does
  /// not divide the padded size.
  @Test(arguments: convCases)
  func transposedConvolutionIsTheAdjointOfConvolution(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 7)
    let w = randomTensor([c.outChannels, c.channels, c.kernel, c.kernel], seed: 8)
    let convX = conv2d(x, weight: w, stride: c.stride, padding: c.padding)
    let y = randomTensor(convX.shape, seed: 9)
    let outputPadding = (c.height + 2 * c.padding - c.kernel) % c.stride
    #expect(outputPadding == (c.width + 2 * c.padding - c.kernel) % c.stride)
    let convTY = convTranspose2d(
      y, weight: w, stride: c.stride, padding: c.padding, outputPadding: outputPadding)
    #expect(convTY.shape == x.shape)
    let left = innerProduct(convX, y)
    let right = innerProduct(convTY, x)
    expectClose(left.value, right.value, tolerance: 1e-4 * max(left.scale, 1e-30))
  }
}
