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

/// Busy CPU seconds of the whole machine (all processes, all cores), from /proc/stat.
func machineBusySeconds() -> Double {
  let stat = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? ""
  guard let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return 0 }
  let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
  // user nice system idle iowait irq softirq steal ...: all but idle and iowait are busy.
  guard ticks.count >= 5 else { return 0 }
  let busy = ticks.enumerated().filter { $0.offset != 3 && $0.offset != 4 }.map(\.element)
  return busy.reduce(0, +) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// CPU seconds used by this process so far.
func processCPUSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
  return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Runs `body` and returns its result with the share of the machine's cores that other
/// processes used meanwhile (0 on a quiet machine): the conditions of a measurement.
func measuringOtherLoad<R>(_ body: () -> R) -> (R, otherLoad: Double) {
  let (busy0, own0, wall0) = (machineBusySeconds(), processCPUSeconds(), monotonicSeconds())
  let result = body()
  let (busy1, own1, wall1) = (machineBusySeconds(), processCPUSeconds(), monotonicSeconds())
  let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
  let others = max(0, (busy1 - busy0) - (own1 - own0)) / ((wall1 - wall0) * cores)
  return (result, min(others, 1))
}

/// Memory bandwidth in GB/s: the median time to copy 64 MiB (read + write), one thread.
func copyBandwidth() -> Double {
  let count = 16 << 20
  let source = UnsafeMutablePointer<Float>.allocate(capacity: count)
  let target = UnsafeMutablePointer<Float>.allocate(capacity: count)
  defer {
    source.deallocate()
    target.deallocate()
  }
  source.initialize(repeating: 1, count: count)
  target.initialize(repeating: 0, count: count)
  let seconds = medianSeconds(repeats: 9, warmUp: 1) { target.update(from: source, count: count) }
  return 2 * Double(count * 4) / seconds / 1e9
}

/// The median seconds of 100 fit steps of the canonical generator, after 200 of warm-up: a
/// fresh process ran its first hundred steps up to 1.7 times slower (2 cores of an AMD EPYC).
func medianFitStepSeconds() -> Double {
  let generator = Generator(.canonical, seed: 1)
  let target = Tensor.uniform([1, 1, 256, 256], seed: 2)
  let adam = Adam(generator.parameters, learningRate: 1e-4)
  return medianSeconds(repeats: 100, warmUp: 200) {
    _ = generator.fitStep(target: target, optimizer: adam)
  }
}

/// `medianFitStepSeconds()` in a fresh run of this program (`bench fit-step`) with
/// `AUDIOPRIOR_THREADS=threads`: the thread count is read once, as a process starts.
func fitStepSecondsInAFreshProcess(threads: Int) -> Double {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
  process.arguments = ["fit-step"]
  process.environment = ProcessInfo.processInfo.environment.merging(
    ["AUDIOPRIOR_THREADS": "\(threads)"]) { $1 }
  let output = Pipe()
  process.standardOutput = output
  do { try process.run() } catch { preconditionFailure("bench fit-step: \(error)") }
  let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  guard process.terminationStatus == 0,
    let seconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
  else { preconditionFailure("bench fit-step at \(threads) threads printed \(text)") }
  return seconds
}

func chapter05Benchmarks() -> [BenchRow] {
  var rows: [BenchRow] = []
  let threads = blasThreads()

  let generator = Generator(.canonical, seed: 1)
  let target = Tensor.uniform([1, 1, 256, 256], seed: 2)
  let adam = Adam(generator.parameters, learningRate: 1e-4)
  let stepFLOPs = Double(generator.trainingStepFLOPs)
  let forwardFLOPs = Double(generator.forwardFLOPs)
  let size = "256², \(threadCount) threads"
  let rate = { (flops: Double, s: Double) in "\(fixed(flops / s / 1e9, 1)) GFLOP/s" }

  // Warm-up: the first step allocates the buffers, the gradients and Adam's moments, and the
  // first hundred or so run up to 1.7 times slower (BENCHMARKS.md run 5), so 200 go first.
  for _ in 0..<200 { _ = generator.fitStep(target: target, optimizer: adam) }

  // The step as the fit runs it: forward, then backward with each parameter's Adam update
  // as soon as its gradient is final.
  let steps = 200
  let allocationsBefore = tensorAllocationCount + scratchAllocationCount
  let (fitTimes, fitLoad) = measuringOtherLoad {
    (0..<steps).map { _ in
      let start = monotonicSeconds()
      _ = generator.fitStep(target: target, optimizer: adam)
      return monotonicSeconds() - start
    }
  }
  let allocated = tensorAllocationCount + scratchAllocationCount - allocationsBefore
  let peakMemory = peakResidentBytes()
  // The machine's GEMM peak and memory bandwidth, measured now: the fit steps' conditions.
  let peak = measuredGEMMPeak()
  let bandwidth = copyBandwidth()
  let ofPeak = { (flops: Double, s: Double) in
    "\(percent(flops / s / 1e9 / peak)) of the GEMM peak"
  }
  let step = median(fitTimes)
  rows.append(
    BenchRow(
      what: "generator fit step (forward, backward + Adam)", size: size, seconds: step,
      rate: rate(stepFLOPs, step), ofReference: ofPeak(stepFLOPs, step)))

  // The step at one thread and at all cores, each in a fresh run of this program,
  // alternately, the best of three of each.
  let cores = ProcessInfo.processInfo.activeProcessorCount
  var (oneThread, allCores) = (Double.infinity, Double.infinity)
  for _ in 0..<3 {
    oneThread = min(oneThread, fitStepSecondsInAFreshProcess(threads: 1))
    allCores = min(allCores, fitStepSecondsInAFreshProcess(threads: cores))
  }
  rows.append(
    BenchRow(
      what: "fit step, 1 thread (a fresh process)", size: "256², 1 thread", seconds: oneThread,
      rate: rate(stepFLOPs, oneThread), ofReference: "reference (best of 3 × 100 steps)"))
  rows.append(
    BenchRow(
      what: "fit step, all cores (a fresh process)", size: "256², \(cores) threads",
      seconds: allCores, rate: rate(stepFLOPs, allCores),
      ofReference: "\(fixed(oneThread / allCores, 2))× faster than 1 thread"))

  // The same step as three calls, to split the time.
  let (times, splitLoad) = measuringOtherLoad {
    generator.timeTrainingSteps(target: target, optimizer: adam, steps: steps)
  }
  let (forward, backward, optimizer) = (
    median(times.forward), median(times.backward), median(times.optimizer)
  )
  let threeCalls = median(times.total)
  rows.append(
    BenchRow(
      what: "  as three calls: forward, backward, Adam", size: size, seconds: threeCalls,
      rate: rate(stepFLOPs, threeCalls), ofReference: ofPeak(stepFLOPs, threeCalls)))
  rows.append(
    BenchRow(
      what: "    forward", size: size, seconds: forward, rate: rate(forwardFLOPs, forward),
      ofReference: ofPeak(forwardFLOPs, forward)))
  rows.append(
    BenchRow(
      what: "    backward (from the MSE loss)", size: size, seconds: backward,
      rate: rate(2 * forwardFLOPs, backward), ofReference: ofPeak(2 * forwardFLOPs, backward)))
  let bytes = Double(generator.totalParameters * 4 * 7)
  rows.append(
    BenchRow(
      what: "    Adam (\(generator.totalParameters) parameters)", size: size,
      seconds: optimizer, rate: "\(fixed(bytes / optimizer / 1e9, 1)) GB/s",
      ofReference: "7 floats moved per parameter"))

  // The versions the fast path went through, and the simpler alternatives to the last one:
  // one GEMM layout for every size, and DispatchQueue.concurrentPerform instead of the
  // team's own threads. Rounds of 20 steps, the variants interleaved; each variant's best
  // block median, so that a burst of load from another process does not decide.
  let variants: [(name: String, options: FastPathOptions, concurrentPerform: Bool)] = [
    ("fast path v1: im2col/col2im, OpenBLAS threads", .general, false),
    (
      "  + k4 s2 p1 gather/scatter, fused with batch norm",
      FastPathOptions(specialisedKernels: true, gemmLayoutsBySize: false, teamGEMMs: false),
      false
    ),
    (
      "  + GEMM operand layouts chosen by size",
      FastPathOptions(specialisedKernels: true, gemmLayoutsBySize: true, teamGEMMs: false),
      false
    ),
    ("  + GEMMs split over our own threads", FastPathOptions(), false),
    (
      "    the same with one GEMM layout for every size",
      FastPathOptions(specialisedKernels: true, gemmLayoutsBySize: false, teamGEMMs: true),
      false
    ),
    ("    the same with the team's tasks by concurrentPerform", FastPathOptions(), true),
  ]
  let rounds = 8
  var best = [Double](repeating: .infinity, count: variants.count)
  for _ in 0..<rounds {
    for (index, variant) in variants.enumerated() {
      generator.fastPathOptions = variant.options
      ThreadTeam.shared.usesConcurrentPerform = variant.concurrentPerform
      for _ in 0..<3 { _ = generator.fitStep(target: target, optimizer: adam) }
      let block = (0..<20).map { _ in
        let start = monotonicSeconds()
        _ = generator.fitStep(target: target, optimizer: adam)
        return monotonicSeconds() - start
      }
      best[index] = min(best[index], median(block))
    }
  }
  generator.fastPathOptions = FastPathOptions()
  ThreadTeam.shared.usesConcurrentPerform = false
  let final = 3
  for (index, variant) in variants.enumerated() {
    let versus =
      index <= final
      ? "\(fixed(best[index] / best[0], 2))× v1" : "\(fixed(best[index] / best[final], 3))× ours"
    rows.append(
      BenchRow(
        what: variant.name, size: size, seconds: best[index], rate: rate(stepFLOPs, best[index]),
        ofReference: "\(versus) (best of \(rounds) × 20 steps)"))
  }

  // Phase decomposition, weighed by its GEMMs alone: a k4 s2 p1 transposed convolution is
  // also four 2×2 convolutions, one per output phase, each a [Cout, 4·Cin]·[4·Cin, H·W]
  // product (after an im2col of the input, not counted here). The same multiply-adds as one
  // [16·Cout, Cin]ᵀ·[Cin, H·W] product, in shapes that BLAS runs less well.
  let doubling = generator.convolutions.filter { $0.stride == 2 }
  var plane = generator.configuration.baseHeight * generator.configuration.baseWidth
  var (oneProduct, fourProducts, doublingFLOPs) = (0.0, 0.0, 0.0)
  for convolution in doubling {
    let (cin, cout) = (convolution.inputChannels, convolution.outputChannels)
    let x = Tensor.uniform([cin, plane], seed: 3)
    let w = Tensor.uniform([cin, 16 * cout], seed: 4)
    let phaseWeight = Tensor.uniform([cout, 4 * cin], seed: 5)
    let phaseColumns = Tensor.uniform([4 * cin, plane], seed: 6)
    var c = Tensor.zeros([16 * cout, plane])
    var phase = Tensor.zeros([cout, plane])
    oneProduct += medianSeconds(repeats: 21, warmUp: 3) {
      matmul(w, x, transposeA: true, into: &c)
    }
    fourProducts += medianSeconds(repeats: 21, warmUp: 3) {
      for _ in 0..<4 { matmul(phaseWeight, phaseColumns, into: &phase) }
    }
    doublingFLOPs += Double(2 * cin * 16 * cout * plane)
    plane *= 4
  }
  rows.append(
    BenchRow(
      what: "forward GEMMs of the k4 s2 p1 layers, one product each", size: size,
      seconds: oneProduct, rate: rate(doublingFLOPs, oneProduct),
      ofReference: "OpenBLAS threads, operands in cache"))
  rows.append(
    BenchRow(
      what: "  as phase decomposition, four products each", size: size, seconds: fourProducts,
      rate: rate(doublingFLOPs, fourProducts),
      ofReference: "\(fixed(fourProducts / oneProduct, 2))× one product each"))

  // The same step through the autograd graph of chapter 4, OpenBLAS's threads.
  let graphStep = medianSeconds(repeats: 11, warmUp: 2) {
    generator.zeroGrad()
    let loss = mseLoss(generator(Variable(generator.latent)), target)
    loss.backward()
    adam.step()
  }
  rows.append(
    BenchRow(
      what: "the step through the autograd graph", size: size, seconds: graphStep,
      rate: rate(stepFLOPs, graphStep),
      ofReference: "\(fixed(graphStep / step, 2))× the fit step"))

  rows.append(
    BenchRow(
      what: "buffers allocated in \(steps) fit steps after warm-up", size: size, seconds: step,
      rate: "\(allocated) buffers",
      ofReference: "VmHWM \(peakMemory >> 20) MiB (this process so far)"))
  let stateBytes = 4 * generator.totalParameters * 4
  rows.append(
    BenchRow(
      what: "memory: parameters, gradients, Adam's m and v", size: size, seconds: step,
      rate: "\(fixed(Double(stateBytes) / 1e6, 1)) MB",
      ofReference: "+ fast-path buffers \(fixed(Double(generator.fastPathBytes) / 1e6, 1)) MB"))
  rows.append(
    BenchRow(
      what: "conditions: other processes' share of the cores", size: size, seconds: step,
      rate: "\(percent(fitLoad)) / \(percent(splitLoad))",
      ofReference: "during the fit steps / the split steps; OpenBLAS \(threads) threads"))
  rows.append(
    BenchRow(
      what: "conditions: memory bandwidth, copy of 64 MiB", size: "1 thread",
      seconds: 2 * Double(64 << 20) / bandwidth / 1e9, rate: "\(fixed(bandwidth, 1)) GB/s",
      ofReference: "GEMM peak \(fixed(peak, 0)) GFLOP/s (2048², OpenBLAS, 2 threads)"))

  // Where the time goes, layer by layer (medians of the split steps), before the table.
  print("chapter 5: median milliseconds per layer of the generator step (\(steps) steps)")
  var table = Table(["layer", "forward (ms)", "backward (ms)", "MFLOP forward"])
  let convolutionRows = generator.layerTable.filter { $0.flops > 0 }
  for l in convolutionRows.indices {
    table.add([
      convolutionRows[l].name, fixed(median(times.layerForward.map { $0[l] }) * 1e3, 3),
      fixed(median(times.layerBackward.map { $0[l] }) * 1e3, 3),
      fixed(Double(convolutionRows[l].flops) / 1e6, 1),
    ])
  }
  table.print()
  print("(a layer's backward includes its batch norm and ReLU backward and column scatter)")
  return rows
}
