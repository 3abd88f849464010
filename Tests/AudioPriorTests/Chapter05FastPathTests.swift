import Foundation
import Testing

import Autograd
@testable import NN
import Tensors

/// A small generator: 16 × 16 output, latent 5, channels 8 → 4 → 1.
func smallGenerator(
  height: Int = 16, width: Int = 16, channels: [Int] = [8, 4], seed: UInt64 = 3
) -> Generator {
  Generator(
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

@Suite("Chapter 5: generator fast path")
struct Chapter05FastPathTests {
  @Test(arguments: [(16, 16), (32, 16), (8, 32)])
  func fastForwardEqualsTheGraph(height: Int, width: Int) {
    let channels = Array([8, 4, 2].prefix(min(height, width) == 8 ? 1 : min(height, width) / 8))
    let generator = smallGenerator(height: height, width: width, channels: channels)
    let graph = generator(Variable(generator.latent)).value
    let fast = generator.forward()
    #expect(fast.shape == [1, 1, height, width])
    expectClose(fast.scalars, graph.scalars, tolerance: 1e-5, "fast forward")
  }

  @Test(arguments: [(16, 16), (32, 16), (8, 32)])
  func fastGradientsEqualTheGraph(height: Int, width: Int) {
    let channels = Array([8, 4, 2].prefix(min(height, width) == 8 ? 1 : min(height, width) / 8))
    let generator = smallGenerator(height: height, width: width, channels: channels)
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
