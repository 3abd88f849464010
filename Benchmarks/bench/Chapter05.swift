import Autograd
import ChapterSupport
import Foundation
import NN
import Tensors

// Chapter 5: one training step of the canonical 256 × 256 generator (forward, backward,
// Adam), split into its parts, against the GEMM peak measured in the same run; the autograd
// graph's step for comparison; buffers allocated in the steady state and the peak memory.

/// The process's peak resident memory (VmHWM) in bytes, from /proc/self/status.
func peakResidentBytes() -> Int {
  let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
  guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
  else { return 0 }
  let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
  return kilobytes * 1024
}

/// The median of some numbers.
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  let n = sorted.count
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
}

/// Per-step times of the fast path: forward, backward (from the MSE loss), Adam.
struct StepTimes {
  var forward: [Double] = []
  var backward: [Double] = []
  var optimizer: [Double] = []
  var total: [Double] = []
  var layerForward: [[Double]] = []
  var layerBackward: [[Double]] = []
}

/// Runs `steps` fitting steps of `generator` and records how long each part took.
func timeFitSteps(
  _ generator: Generator, target: Tensor, optimizer: Adam, steps: Int
) -> StepTimes {
  var times = StepTimes()
  for _ in 0..<steps {
    let t0 = monotonicSeconds()
    _ = generator.forward()
    let t1 = monotonicSeconds()
    _ = generator.backwardMeanSquaredError(target: target)
    let t2 = monotonicSeconds()
    optimizer.step()
    let t3 = monotonicSeconds()
    times.forward.append(t1 - t0)
    times.backward.append(t2 - t1)
    times.optimizer.append(t3 - t2)
    times.total.append(t3 - t0)
    let layers = generator.lastTimes!.layers
    times.layerForward.append(layers.forward)
    times.layerBackward.append(layers.backward)
  }
  return times
}

func chapter05Benchmarks() throws -> [BenchRow] {
  var rows: [BenchRow] = []
  let threads = blasThreads()
  let peak = measuredGEMMPeak()

  let generator = Generator(.canonical, seed: 1)
  let target = Tensor.uniform([1, 1, 256, 256], seed: 2)
  let adam = Adam(generator.parameters, learningRate: 1e-4)
  let stepFLOPs = Double(generator.trainingStepFLOPs)
  let forwardFLOPs = Double(generator.forwardFLOPs)

  // Warm-up: the first step allocates the buffers, the gradients and Adam's moments.
  _ = timeFitSteps(generator, target: target, optimizer: adam, steps: 10)
  let allocationsBefore = tensorAllocationCount + scratchAllocationCount
  let steps = 200
  let times = timeFitSteps(generator, target: target, optimizer: adam, steps: steps)
  let allocated = tensorAllocationCount + scratchAllocationCount - allocationsBefore

  let step = median(times.total)
  let size = "256², \(threads) threads"
  let rate = { (flops: Double, s: Double) in "\(fixed(flops / s / 1e9, 1)) GFLOP/s" }
  let ofPeak = { (flops: Double, s: Double) in
    "\(percent(flops / s / 1e9 / peak)) of GEMM peak (\(fixed(peak, 0)) GFLOP/s)"
  }
  rows.append(
    BenchRow(
      what: "generator step: forward + backward + Adam", size: size, seconds: step,
      rate: rate(stepFLOPs, step), ofReference: ofPeak(stepFLOPs, step)))
  let forward = median(times.forward)
  rows.append(
    BenchRow(
      what: "  forward", size: size, seconds: forward, rate: rate(forwardFLOPs, forward),
      ofReference: ofPeak(forwardFLOPs, forward)))
  let backward = median(times.backward)
  rows.append(
    BenchRow(
      what: "  backward (from the MSE loss)", size: size, seconds: backward,
      rate: rate(2 * forwardFLOPs, backward), ofReference: ofPeak(2 * forwardFLOPs, backward)))
  let optimizer = median(times.optimizer)
  let bytes = Double(generator.totalParameters * 4 * 7)
  rows.append(
    BenchRow(
      what: "  Adam (\(generator.totalParameters) parameters)", size: size, seconds: optimizer,
      rate: "\(fixed(bytes / optimizer / 1e9, 1)) GB/s", ofReference: "7 floats moved per value"))

  // The same step through the autograd graph of chapter 4.
  let graphStep = medianSeconds(repeats: 11, warmUp: 2) {
    generator.zeroGrad()
    let loss = mseLoss(generator(Variable(generator.latent)), target)
    loss.backward()
    adam.step()
  }
  rows.append(
    BenchRow(
      what: "generator step through the autograd graph", size: size, seconds: graphStep,
      rate: rate(stepFLOPs, graphStep), ofReference: "\(fixed(graphStep / step, 2))× the fast step"))

  rows.append(
    BenchRow(
      what: "buffers allocated in \(steps) steps after warm-up", size: size, seconds: step,
      rate: "\(allocated) buffers", ofReference: "peak memory \(peakResidentBytes() >> 20) MiB"))

  // Where the time goes, layer by layer (medians), printed before the table.
  print("chapter 5: median seconds per layer of the fast step (\(steps) steps)")
  var table = Table(["layer", "forward (ms)", "backward (ms)", "MFLOP fwd"])
  let summaries = generator.layerTable.filter { $0.flops > 0 }
  for l in 0..<times.layerForward[0].count {
    table.add([
      summaries[l].name, fixed(median(times.layerForward.map { $0[l] }) * 1e3, 3),
      fixed(median(times.layerBackward.map { $0[l] }) * 1e3, 3),
      fixed(Double(summaries[l].flops) / 1e6, 1),
    ])
  }
  table.print()
  return rows
}
