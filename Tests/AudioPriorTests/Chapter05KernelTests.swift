import Foundation
import Testing

import Autograd
@testable import NN
import Tensors

/// (height, width) of the input of a k4 s2 p1 layer, edge cases included.
let doublingSizes = [(1, 1), (1, 3), (2, 5), (4, 4), (3, 2), (6, 7)]

/// The canonical generator's batch-normalised layers: channels and side of the square output.
let canonicalHiddenLayers = [(512, 4), (256, 8), (128, 16), (64, 32), (32, 64), (16, 128)]

@Suite("Chapter 5: kernels")
struct Chapter05KernelTests {
  /// Columns D = Wᵀ·x by a triple loop, then the specialised gather, against the definition
  /// of the transposed convolution (Tensors' direct loops).
  @Test(arguments: doublingSizes)
  func doublingGatherEqualsTheDefinition(size: (Int, Int)) {
    let (height, width) = size
    let (cin, cout) = (3, 2)
    let x = Tensor.normal([1, cin, height, width], seed: 1)
    let w = Tensor.normal([cin, cout, 4, 4], seed: 2)
    let expected = directConvTranspose2d(x, weight: w, stride: 2, padding: 1)
    let plane = height * width
    var columns = [Float](repeating: 0, count: cout * 16 * plane)
    let (xs, ws) = (x.scalars, w.scalars)
    for row in 0..<(cout * 16) {
      for p in 0..<plane {
        var sum: Float = 0
        for c in 0..<cin { sum += ws[c * cout * 16 + row] * xs[c * plane + p] }
        columns[row * plane + p] = sum
      }
    }
    let zeros = [Float](repeating: 0, count: width)
    var out = [Float](repeating: .nan, count: cout * 4 * plane)
    columns.withUnsafeBufferPointer { d in
      zeros.withUnsafeBufferPointer { z in
        out.withUnsafeMutableBufferPointer { o in
          for channel in 0..<cout {
            doublingGather(
              rows: d.baseAddress! + channel * 16 * plane, height: height, width: width,
              zeros: z.baseAddress!, into: o.baseAddress! + channel * 4 * plane,
              outputRows: 0..<(2 * height))
          }
        }
      }
    }
    expectClose(out, expected.scalars, tolerance: 1e-5, "gathered output")
  }

  /// The scatter in both layouts against its definition,
  /// D[ki·4 + kj][iy, ix] = da[2·iy − 1 + ki, 2·ix − 1 + kj], 0 off the border.
  @Test(arguments: doublingSizes)
  func doublingScatterEqualsTheDefinition(size: (Int, Int)) {
    let (height, width) = size
    let channels = 3
    let da = Tensor.normal([channels, 2 * height, 2 * width], seed: 3).scalars
    let plane = height * width
    var expected = [Float](repeating: 0, count: channels * 16 * plane)
    for c in 0..<channels {
      for ki in 0..<4 {
        for kj in 0..<4 {
          for iy in 0..<height {
            for ix in 0..<width {
              let (r, q) = (2 * iy - 1 + ki, 2 * ix - 1 + kj)
              guard r >= 0, r < 2 * height, q >= 0, q < 2 * width else { continue }
              expected[((c * 16 + ki * 4 + kj) * height + iy) * width + ix] =
                da[(c * 2 * height + r) * 2 * width + q]
            }
          }
        }
      }
    }
    var rows = [Float](repeating: .nan, count: expected.count)
    var pixels = [Float](repeating: .nan, count: expected.count)
    da.withUnsafeBufferPointer { da in
      rows.withUnsafeMutableBufferPointer { rows in
        pixels.withUnsafeMutableBufferPointer { pixels in
          for c in 0..<channels {
            doublingScatterRows(
              da.baseAddress! + c * 4 * plane, height: height, width: width,
              into: rows.baseAddress! + c * 16 * plane, inputRows: 0..<height)
            doublingScatterPixels(
              da.baseAddress! + c * 4 * plane, height: height, width: width,
              into: pixels.baseAddress! + c * 16, pixelStride: channels * 16,
              inputRows: 0..<height)
          }
        }
      }
    }
    expectClose(rows, expected, tolerance: 0, "rows layout")
    // The "pixels" layout is the transpose of the "rows" layout.
    var transposed = [Float](repeating: 0, count: expected.count)
    for row in 0..<(channels * 16) {
      for p in 0..<plane { transposed[p * channels * 16 + row] = expected[row * plane + p] }
    }
    expectClose(pixels, transposed, tolerance: 0, "pixels layout")
  }

  /// Batch norm of a batch of two images: before the affine step, every channel has mean 0
  /// and variance 1 over the batch and both spatial axes.
  @Test func batchNormNormalisesEachChannelOverBatchAndSpace() {
    let norm = BatchNorm2d(channels: 3)
    let x = Tensor.normal([2, 3, 5, 7], mean: 4, standardDeviation: 3, seed: 5)
    let y = norm(Variable(x)).value.scalars
    for c in 0..<3 {
      var values: [Double] = []
      for n in 0..<2 {
        let start = (n * 3 + c) * 35
        values += y[start..<(start + 35)].map(Double.init)
      }
      let mean = values.reduce(0, +) / 70
      let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 70
      expectClose(mean, 0, tolerance: 1e-6, "channel \(c) mean")
      // σ² / (σ² + ε) with σ² ≈ 9: 1 − 1e-5/9.
      expectClose(variance, 1, tolerance: 1e-5, "channel \(c) variance")
    }
  }

  /// The fused kernel of the fast path: with a shift large enough that ReLU never clips,
  /// y − shift is the normalised channel (mean 0, variance 1).
  @Test(.tags(.batchNormReluForward), arguments: [16, 1000, 4096])
  func fusedBatchNormReLUNormalisesAChannel(count: Int) {
    let x = Tensor.normal([count], mean: -2, standardDeviation: 5, seed: UInt64(count)).scalars
    var y = [Float](repeating: 0, count: count)
    let shift: Float = 100
    let (mean, inverseStd) = x.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { y in
        batchNormReLUChannel(
          x.baseAddress!, count: count, scale: 1, shift: shift, epsilon: 1e-5,
          into: y.baseAddress!)
      }
    }
    let normalised = y.map { Double($0 - shift) }
    let m = normalised.reduce(0, +) / Double(count)
    let v = normalised.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(count)
    expectClose(m, 0, tolerance: 1e-4, "mean")
    expectClose(v, 1, tolerance: 1e-4, "variance")
    let xs = x.map(Double.init)
    let expectedMean = xs.reduce(0, +) / Double(count)
    expectClose(Double(mean), expectedMean, tolerance: 1e-5, "returned mean")
    let sigma2 = xs.map { ($0 - expectedMean) * ($0 - expectedMean) }.reduce(0, +) / Double(count)
    expectClose(Double(inverseStd), 1 / (sigma2 + 1e-5).squareRoot(), tolerance: 1e-6, "1/σ")
    // And with a small shift, ReLU clips exactly the negative values.
    x.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { y in
        _ = batchNormReLUChannel(
          x.baseAddress!, count: count, scale: 2, shift: 0.5, epsilon: 1e-5,
          into: y.baseAddress!)
      }
    }
    for i in 0..<count {
      let expected = max(0, (xs[i] - expectedMean) / (sigma2 + 1e-5).squareRoot() * 2 + 0.5)
      if abs(Double(y[i]) - expected) > 1e-4 {
        Issue.record("value \(i): expected \(expected), observed \(y[i])")
        break
      }
    }
  }

  /// The fused backward of one channel against the autograd graph of batch norm then ReLU.
  @Test(.tags(.batchNormReluBackward)) func fusedBatchNormReLUBackwardEqualsTheGraph() {
    let count = 300
    let x = Tensor.normal([1, 1, 15, 20], seed: 8)
    let r = Tensor.normal([1, 1, 15, 20], seed: 9)
    let scale = Variable(Tensor([1.3], shape: [1]), requiresGrad: true)
    let shift = Variable(Tensor([0.2], shape: [1]), requiresGrad: true)
    let input = Variable(x, requiresGrad: true)
    sum(relu(batchNorm(input, scale: scale, shift: shift)) * Variable(r)).backward()

    var y = [Float](repeating: 0, count: count)
    var gradient = r.scalars
    let (dScale, dShift) = x.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { y in
        gradient.withUnsafeMutableBufferPointer { g in
          let (mean, inverseStd) = batchNormReLUChannel(
            x.baseAddress!, count: count, scale: 1.3, shift: 0.2, epsilon: 1e-5,
            into: y.baseAddress!)
          return batchNormReLUChannelBackward(
            g.baseAddress!, input: x.baseAddress!, output: UnsafePointer(y.baseAddress!),
            count: count, mean: mean, inverseStd: inverseStd, scale: 1.3)
        }
      }
    }
    expectClose(gradient, input.grad!.scalars, tolerance: 1e-5, relative: true, "∂L/∂x")
    expectClose(dScale, scale.grad!.scalars[0], tolerance: 1e-4, "∂L/∂scale")
    expectClose(dShift, shift.grad!.scalars[0], tolerance: 1e-4, "∂L/∂shift")
  }

  /// The fused batch norm and ReLU, forward and backward, channel by channel at each hidden
  /// layer's size in the canonical generator, against the graph's `batchNorm` then `relu`:
  /// the statistics, the normalised output and all three gradients.
  @Test(.tags(.batchNormReluForward), arguments: canonicalHiddenLayers)
  func fusedBatchNormReLUEqualsTheGraphAtTheCanonicalSizes(layer: (channels: Int, side: Int)) {
    let (channels, side) = layer
    let plane = side * side
    let shape = [1, channels, side, side]
    let x = Tensor.normal(shape, mean: 0.3, standardDeviation: 2, seed: 31)
    let r = Tensor.normal(shape, seed: 32)
    let gamma = Tensor.normal([channels], mean: 1, standardDeviation: 0.02, seed: 33)
    let beta = Tensor.normal([channels], standardDeviation: 0.1, seed: 34)
    let (input, scale, shift) = (
      Variable(x, requiresGrad: true), Variable(gamma, requiresGrad: true),
      Variable(beta, requiresGrad: true)
    )
    let graph = relu(batchNorm(input, scale: scale, shift: shift))
    sum(graph * Variable(r)).backward()

    var y = [Float](repeating: .nan, count: x.count)
    var gradient = r.scalars
    var dScale = [Float](repeating: .nan, count: channels)
    var dShift = [Float](repeating: .nan, count: channels)
    let (gammas, betas) = (gamma.scalars, beta.scalars)
    x.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { y in
        gradient.withUnsafeMutableBufferPointer { g in
          for c in 0..<channels {
            let (xc, yc, gc) = (
              x.baseAddress! + c * plane, y.baseAddress! + c * plane,
              g.baseAddress! + c * plane
            )
            let (mean, inverseStd) = batchNormReLUChannel(
              xc, count: plane, scale: gammas[c], shift: betas[c], epsilon: 1e-5, into: yc)
            (dScale[c], dShift[c]) = batchNormReLUChannelBackward(
              gc, input: xc, output: UnsafePointer(yc), count: plane, mean: mean,
              inverseStd: inverseStd, scale: gammas[c])
          }
        }
      }
    }
    let what = "\(channels) × \(side)²"
    expectClose(y, graph.value.scalars, tolerance: 1e-5, relative: true, "y, \(what)")
    expectClose(gradient, input.grad!.scalars, tolerance: 1e-4, relative: true, "∂L/∂x, \(what)")
    expectClose(dScale, scale.grad!.scalars, tolerance: 1e-4, relative: true, "∂L/∂γ, \(what)")
    expectClose(dShift, shift.grad!.scalars, tolerance: 1e-4, relative: true, "∂L/∂β, \(what)")
  }

  /// The output layer's fused loops at the canonical 256 × 256, against the graph: the
  /// sigmoid against `sigmoid`, the sigmoid's backward against the graph's, and the fused
  /// sigmoid-and-MSE backward against `mseLoss` of `sigmoid`, loss and gradient.
  @Test func fusedSigmoidAndMeanSquaredErrorEqualTheGraphAtTheCanonicalSize() {
    let n = 256 * 256
    let a = Tensor.normal([1, 1, 256, 256], standardDeviation: 2, seed: 41)
    let target = Tensor.uniform([1, 1, 256, 256], low: 0, high: 1, seed: 42)
    let r = Tensor.normal([1, 1, 256, 256], seed: 43)
    let lossInput = Variable(a, requiresGrad: true)
    let output = sigmoid(lossInput)
    let loss = mseLoss(output, target)
    loss.backward()
    let projectionInput = Variable(a, requiresGrad: true)
    sum(sigmoid(projectionInput) * Variable(r)).backward()

    var y = a.scalars
    var (lossGradient, projectionGradient) = (
      [Float](repeating: .nan, count: n), [Float](repeating: .nan, count: n)
    )
    y.withUnsafeMutableBufferPointer { sigmoidInPlace($0.baseAddress!, count: n) }
    let squares = y.withUnsafeBufferPointer { y in
      target.withUnsafeBufferPointer { t in
        r.withUnsafeBufferPointer { r in
          projectionGradient.withUnsafeMutableBufferPointer { g in
            sigmoidBackward(
              output: y.baseAddress!, outputGradient: r.baseAddress!, count: n,
              into: g.baseAddress!)
          }
          return lossGradient.withUnsafeMutableBufferPointer { g in
            sigmoidMSEBackward(
              output: y.baseAddress!, target: t.baseAddress!, count: n, total: n,
              into: g.baseAddress!)
          }
        }
      }
    }
    expectClose(y, output.value.scalars, tolerance: 1e-6, relative: true, "sigmoid")
    expectClose(
      [Float(squares / Double(n))], [loss.value.scalar], tolerance: 1e-6, relative: true,
      "loss")
    expectClose(
      lossGradient, lossInput.grad!.scalars, tolerance: 1e-5, relative: true, "∂L/∂a of the MSE")
    expectClose(
      projectionGradient, projectionInput.grad!.scalars, tolerance: 1e-5, relative: true,
      "∂L/∂a of Σ r·y")
  }

  /// After the first step has made every buffer, further steps allocate no tensor storage
  /// and keep the same scratch buffers. (Counted on this thread: other tests run beside.)
  @Test func trainingStepsAllocateNothingAfterTheFirst() {
    let generator = smallGenerator(height: 32, width: 32)
    let adam = Adam(generator.parameters, learningRate: 0.01)
    let target = Tensor(shape: [1, 1, 32, 32], repeating: 0.5)
    for _ in 0..<2 { _ = generator.fitStep(target: target, optimizer: adam) }
    let buffers = ObjectIdentifier(generator.buffers!)
    let before = tensorAllocationCountOnThisThread
    for _ in 0..<5 { _ = generator.fitStep(target: target, optimizer: adam) }
    #expect(tensorAllocationCountOnThisThread == before)
    #expect(ObjectIdentifier(generator.buffers!) == buffers)
    // The count does see allocations: one new tensor is one more.
    _ = Tensor.zeros([3])
    #expect(tensorAllocationCountOnThisThread == before + 1)
  }
}
