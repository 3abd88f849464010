import Foundation
import Testing

import Autograd
@testable import NN
import Tensors

/// A small generator: latent 5, channels 8, 4, 2, 2, ... (one per up-sampling layer) → 1.
func smallGenerator(height: Int = 16, width: Int = 16, seed: UInt64 = 3) -> Generator {
  let layers = (min(height, width) / 4).trailingZeroBitCount
  let channels = (0..<layers).map { max(2, 8 >> $0) }
  return Generator(
    try! GeneratorConfiguration(
      height: height, width: width, latentChannels: 5, channels: channels),
    seed: seed)
}

/// The parameter gradients of `generator` for L = Σ r·y by the autograd graph, in
/// parameter order.
func graphGradients(_ generator: Generator, projection r: Tensor) -> [[Float]] {
  generator.zeroGrad()
  let y = generator(Variable(generator.latent))
  sum(y * Variable(r)).backward()
  return generator.parameters.map { $0.variable.grad!.scalars }
}

/// Every combination of the fast path's options.
let allFastPathOptions = [
  FastPathOptions(specialisedKernels: false, gemmLayoutsBySize: false),
  FastPathOptions(specialisedKernels: true, gemmLayoutsBySize: false),
  FastPathOptions(specialisedKernels: true, gemmLayoutsBySize: true),
]

/// Output sizes for the fast-path checks: square, tall, wide, and one with 1024-pixel
/// layers so that every GEMM layout is chosen somewhere.
let fastPathSizes = [(16, 16), (32, 16), (8, 32), (128, 128)]

@Suite("Chapter 5: generator fast path")
struct Chapter05FastPathTests {
  @Test(arguments: fastPathSizes, allFastPathOptions)
  func fastForwardEqualsTheGraph(size: (Int, Int), options: FastPathOptions) {
    let (height, width) = size
    let generator = smallGenerator(height: height, width: width)
    generator.fastPathOptions = options
    let graph = generator(Variable(generator.latent)).value
    let fast = generator.forward()
    #expect(fast.shape == [1, 1, height, width])
    expectClose(fast.scalars, graph.scalars, tolerance: 1e-5, "fast forward")
  }

  @Test(arguments: fastPathSizes, allFastPathOptions)
  func fastGradientsEqualTheGraph(size: (Int, Int), options: FastPathOptions) {
    let (height, width) = size
    let generator = smallGenerator(height: height, width: width)
    generator.fastPathOptions = options
    let r = Tensor.normal([1, 1, height, width], seed: 11)
    let expected = graphGradients(generator, projection: r)
    _ = generator.forward()
    generator.backward(outputGradient: r)
    for (index, (name, variable)) in generator.parameters.enumerated() {
      expectClose(
        variable.grad!.scalars, expected[index], tolerance: 1e-4, relative: true,
        "gradient of \(name)")
    }
  }
}
