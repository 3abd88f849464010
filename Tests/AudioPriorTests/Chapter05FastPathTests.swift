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
  FastPathOptions.general,
  FastPathOptions(specialisedKernels: true, gemmLayoutsBySize: false, teamGEMMs: false),
  FastPathOptions(specialisedKernels: true, gemmLayoutsBySize: true, teamGEMMs: false),
  FastPathOptions(specialisedKernels: false, gemmLayoutsBySize: false, teamGEMMs: true),
  FastPathOptions(),
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

/// The fast path's loss-and-gradient entry point at the canonical size, against the graph:
/// `mseLoss` of the generator's output. Run at several `AUDIOPRIOR_THREADS` counts (`make
/// test` runs this suite at 1, 3 and 4 as well), it covers splits into more parts than cores.
@Suite("Chapter 5: the fast path's loss at the canonical size")
struct Chapter05CanonicalLossTests {
  @Test func meanSquaredErrorAndEveryGradientEqualTheGraphAtTheCanonicalSize() {
    let generator = Generator(.canonical, seed: 5)
    let target = Tensor.uniform([1, 1, 256, 256], low: 0, high: 1, seed: 21)
    generator.zeroGrad()
    let graphLoss = mseLoss(generator(Variable(generator.latent)), target)
    graphLoss.backward()
    let expected = generator.parameters.map { $0.variable.grad!.scalars }
    _ = generator.forward()
    let loss = generator.backwardMeanSquaredError(target: target)
    expectClose(
      [loss], [graphLoss.value.scalar], tolerance: 1e-5, relative: true,
      "loss at \(threadCount) threads")
    for (index, (name, variable)) in generator.parameters.enumerated() {
      expectClose(
        variable.grad!.scalars, expected[index], tolerance: 1e-3, relative: true,
        "gradient of \(name) at \(threadCount) threads")
    }
  }

  /// Eight Adam steps at the fit's learning rate, by `fitStep` and by the graph (`mseLoss`
  /// of the generator's output, `backward()`, `step()`), from the same initialisation: the
  /// same loss at every step. The graph does not depend on the thread count, so the runs at
  /// several `AUDIOPRIOR_THREADS` counts compare every split with one reference.
  @Test func aShortFitGivesTheGraphsLossCurveAtTheCanonicalSize() {
    // A ramp from 0.1 (top) to 0.9 (bottom): far from the first output, about 0.5
    // everywhere, and easy to move towards, so the loss falls fast.
    let ramp = (0..<(256 * 256)).map { (i: Int) -> Float in 0.1 + 0.8 * Float(i / 256) / 255 }
    let target = Tensor(ramp, shape: [1, 1, 256, 256])
    let (fast, graph) = (Generator(.canonical, seed: 7), Generator(.canonical, seed: 7))
    let fastAdam = Adam(fast.parameters, learningRate: 1e-2)
    let graphAdam = Adam(graph.parameters, learningRate: 1e-2)
    var (fastCurve, graphCurve): ([Float], [Float]) = ([], [])
    for _ in 0..<8 {
      fastCurve.append(fast.fitStep(target: target, optimizer: fastAdam))
      graph.zeroGrad()
      let loss = mseLoss(graph(Variable(graph.latent)), target)
      loss.backward()
      graphAdam.step()
      graphCurve.append(loss.value.scalar)
    }
    for step in graphCurve.indices {
      expectClose(
        [fastCurve[step]], [graphCurve[step]], tolerance: 1e-5, relative: true,
        "loss at step \(step + 1) of 8, \(threadCount) threads")
    }
    // The fit moves: a curve that stayed flat would agree with any other.
    #expect(graphCurve.last! < 0.5 * graphCurve.first!, "losses \(graphCurve)")
  }
}

@Suite("Chapter 5: threads and fused updates")
struct Chapter05ThreadTests {
  /// fitStep updates each parameter inside the backward pass, as soon as its gradient is
  /// final: the same parameters, to the bit, as forward, backward, then Adam's step.
  @Test func fitStepEqualsForwardBackwardThenStep() {
    let target = Tensor.uniform([1, 1, 32, 32], low: 0.2, high: 0.8, seed: 12)
    let fused = smallGenerator(height: 32, width: 32, seed: 6)
    let separate = smallGenerator(height: 32, width: 32, seed: 6)
    let fusedAdam = Adam(fused.parameters, learningRate: 0.01)
    let separateAdam = Adam(separate.parameters, learningRate: 0.01)
    for _ in 0..<3 {
      _ = fused.fitStep(target: target, optimizer: fusedAdam)
      _ = separate.forward()
      _ = separate.backwardMeanSquaredError(target: target)
      separateAdam.step()
    }
    for (a, b) in zip(fused.parameters, separate.parameters) {
      #expect(a.variable.value == b.variable.value, "\(a.name) differs")
    }
  }

  /// A GEMM split into column or row blocks over the team, against one OpenBLAS call.
  @Test(arguments: [
    (64, 300, 17, false, false), (300, 40, 33, true, false), (48, 48, 100, false, true),
  ])
  func splitGEMMEqualsOneGEMM(shape: (Int, Int, Int, Bool, Bool)) {
    let (m, n, k, transposeA, transposeB) = shape
    let a = Tensor.normal(transposeA ? [k, m] : [m, k], seed: 1)
    let b = Tensor.normal(transposeB ? [n, k] : [k, n], seed: 2)
    let expected = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
    var c = [Float](repeating: .nan, count: m * n)
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        c.withUnsafeMutableBufferPointer { c in
          withSingleThreadedBLAS {
            parallelGEMM(
              transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
              a: a.baseAddress!, lda: transposeA ? m : k, b: b.baseAddress!,
              ldb: transposeB ? k : n, c: c.baseAddress!, ldc: n)
          }
        }
      }
    }
    expectClose(c, expected.scalars, tolerance: 1e-5, relative: true, "split GEMM")
  }

  /// Every member runs once; a task started from inside a task runs inline instead of
  /// waiting for the busy team.
  @Test func theTeamRunsEveryMemberAndNestedTasksInline() {
    let team = ThreadTeam.shared
    var outer = [Int](repeating: 0, count: team.size)
    var inner = [Int](repeating: 0, count: team.size * team.size)
    outer.withUnsafeMutableBufferPointer { outer in
      inner.withUnsafeMutableBufferPointer { inner in
        let (o, i) = (outer.baseAddress!, inner.baseAddress!)
        team.run { member in
          o[member] += 1
          team.run { nested in i[member * team.size + nested] += 1 }
        }
      }
    }
    #expect(outer == [Int](repeating: 1, count: team.size))
    #expect(inner == [Int](repeating: 1, count: team.size * team.size))
  }

  /// A team of its own, on its threads and by `concurrentPerform`: each member once per task.
  @Test(arguments: [false, true])
  func aTeamRunsEveryMemberOncePerTask(usesConcurrentPerform: Bool) {
    let team = ThreadTeam(size: 3)
    team.usesConcurrentPerform = usesConcurrentPerform
    var counts = [Int](repeating: 0, count: 3)
    counts.withUnsafeMutableBufferPointer { counts in
      let c = counts.baseAddress!
      for _ in 0..<100 { team.run { member in c[member] += 1 } }
    }
    #expect(counts == [100, 100, 100])
  }
}
