import Foundation
import Testing

import Autograd
@testable import NN
import Tensors

/// A generator size with the parameter count and forward FLOPs worked out by hand, layer by
/// layer (weights Cin·Cout·kh·kw, batch norm 2·C; FLOPs 2·Cin·Cout·kh·kw·Hin·Win).
struct SizeByHand: Sendable, CustomTestStringConvertible {
  var height: Int
  var width: Int
  var channels: [Int]?
  var parameters: Int
  var flops: Int

  var testDescription: String { "\(height)×\(width)" }
}

let sizesByHand = [
  // 100→512 k4: 819 200; 512→256: 2 097 152; 256→128: 524 288; 128→64: 131 072;
  // 64→32: 32 768; 32→16: 8 192; 16→1: 256; batch norms 2·(512+256+128+64+32+16) = 2016.
  // MACs: 100·512·16·1 = 819 200; five layers of Cin·Cout·16·H·W = 33 554 432 each
  // (512·256·16·16 = 256·128·16·64 = ...); 16·1·16·128² = 4 194 304.
  SizeByHand(
    height: 256, width: 256, channels: nil, parameters: 3_614_944,
    flops: 2 * (819_200 + 5 * 33_554_432 + 4_194_304)),
  // 100→128 k4: 204 800; 128→64: 131 072; 64→32: 32 768; 32→16: 8 192; 16→1: 256;
  // batch norms 2·(128+64+32+16) = 480. MACs: 204 800 + 3 · 2 097 152 + 16·16·1024.
  SizeByHand(
    height: 64, width: 64, channels: nil, parameters: 377_568,
    flops: 2 * (204_800 + 3 * 2_097_152 + 262_144)),
  // Base 8×4: 100→256 k8×4: 819 200; 256→128: 524 288; 128→64: 131 072; 64→32: 32 768;
  // 32→16: 8 192; 16→1: 256; batch norms 2·(256+128+64+32+16) = 992.
  // MACs: 819 200; 256·128·16·32 = 16 777 216 and the same for the next three; 16·16·64·128.
  SizeByHand(
    height: 256, width: 128, channels: nil, parameters: 1_516_768,
    flops: 2 * (819_200 + 4 * 16_777_216 + 2_097_152)),
  // Base 4×16: 100→32 k4×16: 204 800; 32→8: 4 096; 8→1: 128; batch norms 2·(32+8) = 80.
  // MACs: 204 800; 32·8·16·(4·16) = 262 144; 8·1·16·(8·32) = 32 768.
  SizeByHand(
    height: 16, width: 64, channels: [32, 8], parameters: 209_104,
    flops: 2 * (204_800 + 262_144 + 32_768)),
]

@Suite("Chapter 5: generator")
struct Chapter05GeneratorTests {
  @Test(arguments: sizesByHand)
  func parameterCountsAndFLOPsMatchTheHandCount(size: SizeByHand) throws {
    let configuration = try GeneratorConfiguration(
      height: size.height, width: size.width, channels: size.channels)
    let generator = Generator(configuration, seed: 1)
    #expect(generator.totalParameters == size.parameters)
    #expect(generator.parameterCount == size.parameters)
    #expect(generator.forwardFLOPs == size.flops)
    #expect(generator.layerTable.last!.outputShape == [1, size.height, size.width])
  }

  @Test func canonicalTotalsAreThoseOfTheBook() {
    let generator = Generator(.canonical, seed: 1)
    #expect(generator.totalParameters == 3_614_944)
    // 0.3456 GFLOP forward, 3 × that for a training step.
    #expect(generator.forwardFLOPs == 345_571_328)
    #expect(generator.trainingStepFLOPs == 1_036_713_984)
    let shapes = generator.layerTable.map(\.outputShape)
    #expect(
      shapes == [
        [512, 4, 4], [512, 4, 4], [256, 8, 8], [256, 8, 8], [128, 16, 16], [128, 16, 16],
        [64, 32, 32], [64, 32, 32], [32, 64, 64], [32, 64, 64], [16, 128, 128],
        [16, 128, 128], [1, 256, 256], [1, 256, 256],
      ])
  }

  @Test(arguments: [(8, 8), (16, 32), (64, 8), (32, 32)])
  func outputHasTheConfiguredShape(size: (Int, Int)) {
    let generator = smallGenerator(height: size.0, width: size.1)
    let y = generator(Variable(generator.latent))
    #expect(y.shape == [1, 1, size.0, size.1])
    #expect(generator.forward().shape == [1, 1, size.0, size.1])
    // A sigmoid output lies strictly between 0 and 1.
    #expect(y.value.scalars.allSatisfy { $0 > 0 && $0 < 1 })
  }

  @Test(arguments: [(4, 4), (12, 16), (16, 6), (0, 8), (1024, 3)])
  func unsupportedSizesAreRefusedWithTheirSize(size: (Int, Int)) {
    #expect(throws: GeneratorError.unsupportedSize(height: size.0, width: size.1)) {
      try GeneratorConfiguration(height: size.0, width: size.1)
    }
    let message = GeneratorError.unsupportedSize(height: size.0, width: size.1).description
    #expect(message.contains("\(size.0)×\(size.1)"))
  }

  @Test func aChannelScheduleOfTheWrongLengthIsRefused() {
    #expect(throws: GeneratorError.self) {
      try GeneratorConfiguration(height: 64, width: 64, channels: [64, 32])
    }
  }

  @Test(.tags(.dcganInit)) func dcganInitialisationHasThePublishedStatistics() {
    let generator = Generator(.canonical, seed: 7)
    // The 2 097 152 weights of the 512→256 layer: mean 0, standard deviation 0.02.
    let weights = generator.convolutions[1].weight.value.scalars.map(Double.init)
    let mean = weights.reduce(0, +) / Double(weights.count)
    let std = (weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(weights.count))
      .squareRoot()
    expectClose(mean, 0, tolerance: 1e-4, "weight mean")
    expectClose(std, 0.02, tolerance: 1e-4, "weight standard deviation")
    // Every convolution and every batch norm, one by one.
    for convolution in generator.convolutions {
      #expect(convolution.bias == nil)
      let w = convolution.weight.value.scalars
      #expect(w.allSatisfy { abs($0) < 0.02 * 7 })
      #expect(Set(w).count > w.count / 2)
    }
    let scales = generator.norms.flatMap { $0.scale.value.scalars }.map(Double.init)
    let scaleMean = scales.reduce(0, +) / Double(scales.count)
    expectClose(scaleMean, 1, tolerance: 3e-3, "batch-norm scale mean")
    #expect(scales.allSatisfy { abs($0 - 1) < 0.02 * 6 && $0 != 1 })
    #expect(generator.norms.allSatisfy { $0.shift.value.scalars.allSatisfy { $0 == 0 } })
    // The fixed input z ~ N(0, 1).
    #expect(generator.latent.shape == [1, 100, 1, 1])
  }

  @Test func theSameSeedGivesTheSameGenerator() {
    let a = Generator(.canonical, seed: 5)
    let b = Generator(.canonical, seed: 5)
    let c = Generator(.canonical, seed: 6)
    #expect(a.latent == b.latent)
    #expect(a.convolutions[3].weight.value == b.convolutions[3].weight.value)
    #expect(a.norms[2].scale.value == b.norms[2].scale.value)
    #expect(a.latent != c.latent)
  }

  @Test func parametersAreNamedAsPyTorchNamesASequential() {
    let generator = smallGenerator(height: 16, width: 16)
    let names = generator.parameters.map(\.name)
    #expect(
      names == ["0.weight", "1.scale", "1.shift", "3.weight", "4.scale", "4.shift", "6.weight"])
  }

  /// Central differences of L = Σ r·y through the fast forward pass, in Double, against the
  /// fast backward pass, for every parameter of a small generator.
  ///
  /// ReLU makes L only piecewise smooth, and a step across a kink measures the kink, not the
  /// derivative. Over m values a normalised value satisfies |x̂| ≤ √(m − 1), so a batch-norm
  /// shift of √(m − 1) + 1 keeps every ReLU open and L smooth. (Where the ReLUs clip, the
  /// comparison with the autograd graph checks the fast path.)
  @Test func fastGradientsMatchFiniteDifferences() {
    let generator = smallGenerator(height: 16, width: 16)
    var plane = 1
    for (convolution, norm) in zip(generator.convolutions, generator.norms) {
      plane = convolution.outputSize(height: plane, width: plane).height
      let shift = Float(Double(plane * plane - 1).squareRoot() + 1)
      norm.shift.value = Tensor(shape: norm.shift.shape, repeating: shift)
    }
    let r = Tensor.normal([1, 1, 16, 16], seed: 21)
    _ = generator.forward()
    generator.backward(outputGradient: r)
    for (name, variable) in generator.parameters {
      let analytic = variable.grad!.scalars.map(Double.init)
      let original = variable.value
      // A step of 3% of the tensor's typical value (weights are about 0.02, scales 1): the
      // Float32 forward pass is exact to about 1e-6 of L, which a smaller step magnifies.
      let rms = (dot(original, original) / Double(original.count)).squareRoot()
      let h = 3e-2 * rms
      var numerical: [Double] = []
      for j in 0..<original.count {
        let x = original.scalars[j]
        var values = original
        values.withUnsafeMutableBufferPointer { $0[j] = Float(Double(x) + h) }
        variable.value = values
        let up = dot(generator.forward(), r)
        values.withUnsafeMutableBufferPointer { $0[j] = Float(Double(x) - h) }
        variable.value = values
        let down = dot(generator.forward(), r)
        numerical.append((up - down) / (2 * h))
      }
      variable.value = original
      let error = relativeGradientError(analytic, numerical)
      #expect(error < 1e-2, "\(name): relative error \(error)")
    }
  }

  @Test func theGeneratorFitsASmallTarget() throws {
    let generator = Generator(
      try GeneratorConfiguration(height: 16, width: 16, latentChannels: 5, channels: [16, 8]),
      seed: 2)
    // A smooth target in (0.2, 0.8): a ramp times a cosine.
    var values: [Float] = []
    for row in 0..<16 {
      for column in 0..<16 {
        let wave = cos(Double(column) / 3)
        values.append(Float(0.5 + 0.3 * wave * Double(row) / 16))
      }
    }
    let target = Tensor(values, shape: [1, 1, 16, 16])
    let adam = Adam(generator.parameters, learningRate: 0.01)
    var loss: Float = 1
    for _ in 0..<200 { loss = generator.fitStep(target: target, optimizer: adam) }
    let final = Double(mseLoss(Variable(generator.forward()), target).value.scalar)
    #expect(loss < 1e-4)
    #expect(final < 1e-4)
  }
}
