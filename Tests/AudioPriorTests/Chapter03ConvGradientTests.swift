import Foundation
import Testing

@testable import Tensors

/// The gradient of w ↦ ⟨f(w), g⟩ for a function f linear in w, one element at a time:
/// element i is ⟨f(eᵢ), g⟩ with eᵢ the i-th unit tensor. Slow and independent of the code
/// under test as long as `f` is a direct definition.
func gradientByUnitTensors(shape: [Int], _ f: (Tensor) -> Tensor, _ g: Tensor) -> [Float] {
  (0..<elementCount(shape)).map { i in
    var unit = [Float](repeating: 0, count: elementCount(shape))
    unit[i] = 1
    return Float(innerProduct(f(Tensor(unit, shape: shape)), g).value)
  }
}

/// Cases small enough for one direct convolution per weight element.
let gradientCases = [
  ConvCase(n: 2, c: 2, o: 3, h: 5, w: 4, k: 3, s: 1, p: 1),
  ConvCase(n: 1, c: 3, o: 2, h: 6, w: 6, k: 4, s: 2, p: 1),
  ConvCase(n: 2, c: 2, o: 2, h: 7, w: 5, k: 3, s: 2, p: 0),
  ConvCase(n: 1, c: 3, o: 2, h: 3, w: 3, k: 1, s: 1, p: 0),
]

@Suite("Chapter 3: tensors")
struct Chapter03ConvGradientTests {
  /// ∂L/∂x of a convolution is the direct transposed convolution of ∂L/∂y.
  @Test(arguments: gradientCases)
  func convolutionInputGradientIsTheTransposedConvolution(_ c: ConvCase) {
    let w = randomTensor([c.outChannels, c.channels, c.kernel, c.kernel], seed: 1)
    let outH = convOutputSize(c.height, kernelSize: c.kernel, stride: c.stride, padding: c.padding)
    let outW = convOutputSize(c.width, kernelSize: c.kernel, stride: c.stride, padding: c.padding)
    let dy = randomTensor([c.batch, c.outChannels, outH, outW], seed: 2)
    let dx = conv2dInputGradient(
      dy, weight: w, stride: c.stride, padding: c.padding, inputHeight: c.height,
      inputWidth: c.width)
    // The direct transposed convolution, cropped or padded to the input's size.
    let full = directConvTranspose2d(
      dy, weight: w, stride: c.stride, padding: c.padding, outputPadding: c.stride - 1)
    var expected = Tensor.zeros(dx.shape)
    for n in 0..<c.batch {
      for ch in 0..<c.channels {
        for y in 0..<c.height { for x in 0..<c.width { expected[n, ch, y, x] = full[n, ch, y, x] } }
      }
    }
    #expect(dx.shape == [c.batch, c.channels, c.height, c.width])
    expectClose(dx.scalars, expected.scalars, tolerance: 1e-5, relative: true)
  }

  /// ∂L/∂W of a convolution, element by element through the direct definition.
  @Test(arguments: gradientCases)
  func convolutionWeightGradientMatchesUnitWeights(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 3)
    let shape = [c.outChannels, c.channels, c.kernel, c.kernel]
    let dy = randomTensor(
      directConv2d(x, weight: .zeros(shape), stride: c.stride, padding: c.padding).shape, seed: 4)
    let expected = gradientByUnitTensors(
      shape: shape, { directConv2d(x, weight: $0, stride: c.stride, padding: c.padding) }, dy)
    let dW = conv2dWeightGradient(
      input: x, outputGradient: dy, kernelSize: c.kernel, stride: c.stride, padding: c.padding)
    #expect(dW.shape == shape)
    expectClose(dW.scalars, expected, tolerance: 1e-5, relative: true)
  }

  /// ∂L/∂x of a transposed convolution is the direct convolution of ∂L/∂y.
  @Test(.tags(.convtInputGradient), arguments: gradientCases)
  func transposedConvolutionInputGradientIsTheConvolution(_ c: ConvCase) {
    let w = randomTensor([c.channels, c.outChannels, c.kernel, c.kernel], seed: 5)
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 6)
    let y = convTranspose2d(x, weight: w, stride: c.stride, padding: c.padding)
    let dy = randomTensor(y.shape, seed: 7)
    let dx = convTranspose2dInputGradient(dy, weight: w, stride: c.stride, padding: c.padding)
    let expected = directConv2d(dy, weight: w, stride: c.stride, padding: c.padding)
    #expect(dx.shape == x.shape)
    expectClose(dx.scalars, expected.scalars, tolerance: 1e-5, relative: true)
  }

  /// ∂L/∂W of a transposed convolution, element by element through the direct definition.
  @Test(.tags(.convtWeightGradient), arguments: gradientCases)
  func transposedConvolutionWeightGradientMatchesUnitWeights(_ c: ConvCase) {
    let x = randomTensor([c.batch, c.channels, c.height, c.width], seed: 8)
    let shape = [c.channels, c.outChannels, c.kernel, c.kernel]
    let f = { (w: Tensor) in
      directConvTranspose2d(x, weight: w, stride: c.stride, padding: c.padding)
    }
    let dy = randomTensor(f(.zeros(shape)).shape, seed: 9)
    let expected = gradientByUnitTensors(shape: shape, f, dy)
    let dW = convTranspose2dWeightGradient(
      input: x, outputGradient: dy, kernelSize: c.kernel, stride: c.stride, padding: c.padding)
    #expect(dW.shape == shape)
    expectClose(dW.scalars, expected, tolerance: 1e-5, relative: true)
  }

  /// The gradients add into what is already there, as reverse mode accumulates them.
  @Test func gradientsAccumulate() {
    let x = randomTensor([1, 2, 4, 4], seed: 10)
    let w = randomTensor([3, 2, 3, 3], seed: 11)
    let dy = randomTensor([1, 3, 4, 4], seed: 12)
    var dx = Tensor.ones(x.shape)
    var dW = Tensor.ones(w.shape)
    conv2dInputGradient(dy, weight: w, padding: 1, addingInto: &dx)
    conv2dWeightGradient(input: x, outputGradient: dy, padding: 1, addingInto: &dW)
    let expectedX = conv2dInputGradient(dy, weight: w, padding: 1, inputHeight: 4, inputWidth: 4)
    let expectedW = conv2dWeightGradient(input: x, outputGradient: dy, kernelSize: 3, padding: 1)
    expectClose(dx.scalars, (expectedX + 1).scalars, tolerance: 1e-6)
    expectClose(dW.scalars, (expectedW + 1).scalars, tolerance: 1e-5)
  }

  /// A convolution written into the same output with the same workspace keeps the output's
  /// storage: a training loop allocates nothing in steady state.
  @Test func repeatedConvolutionsReuseTheirOutput() {
    let x = randomTensor([1, 4, 8, 8], seed: 13)
    let w = randomTensor([4, 2, 4, 4], seed: 14)
    let workspace = ConvolutionWorkspace()
    var y = Tensor.zeros([])
    convTranspose2d(x, weight: w, stride: 2, padding: 1, into: &y, workspace: workspace)
    let first = y.withUnsafeBufferPointer { $0.baseAddress }
    let firstValues = y.scalars
    convTranspose2d(x, weight: w, stride: 2, padding: 1, into: &y, workspace: workspace)
    #expect(y.withUnsafeBufferPointer { $0.baseAddress } == first)
    #expect(y.scalars == firstValues)
  }
}
