// Chapter 6: the prior fit. A DCGAN generator with a fixed random input is fitted to the
// spectrogram of one noisy recording; we watch its output over 2000 iterations, in three
// target domains, turn it back into sound two ways, and measure against the clean speech.
import ArgumentParser
import Audio
import ChapterSupport
import Foundation
import NN
import Plot
import Prior
import Spectral
import Tensors

struct Options: ParsableArguments {
  @OptionGroup var chapter: ChapterOptions
  @Option(help: "Folder for the snapshots' WAV files (not the book's figures).")
  var output = "output/06"
  @Option(help: "Adam steps per fit (default 2000; 20 with --quick).")
  var iterations: Int?
  @Option(help: "Adam's learning rate.")
  var learningRate: Float = 1e-2
  @Option(help: "Seed of the generator's input and weights.")
  var seed: UInt64 = 0
  @Option(help: "σ of fresh noise added to the input z at every step (0: fixed z).")
  var inputNoise: Float = 0
  @Option(help: "Decay of an exponential moving average of the outputs (e.g. 0.99).")
  var averageDecay: Float?
  @Option(help: "SNR of the white noise mixed into the speech, in dB.")
  var snr: Double = 5
  @Option(help: "Seed of the white noise.")
  var noiseSeed: UInt64 = 1
}

ensureFastBLASKernels()
let options = Options.parseOrExit()
let quick = options.chapter.quick
let chapterStart = monotonicSeconds()
let sampleRate = 16_000
// Quick: a 32 × 32 image (nFFT 64, hop 16, 31 · 16 samples give 32 frames) and a 32 × 32
// generator, in seconds in a debug build.
let stft = try quick ? STFT(nFFT: 64, hop: 16) : STFT(nFFT: 512, hop: 128)
let clipLength = quick ? 496 : 32_640
let iterations = options.iterations ?? (quick ? 20 : 2_000)
let snapshotIterations = (quick ? [0, 5, 10, 20] : [0, 50, 100, 250, 500, 1000, 1500, 2000])
  .filter { $0 <= iterations }

// MARK: The clip and its noisy mixture

section("The clip: \(clipLength) samples of data/speech.wav, white noise at \(options.snr) dB")
var speech = try AudioFile.read("data/speech.wav").mono()
if speech.sampleRate != sampleRate { speech = try speech.resampled(to: sampleRate) }
let clean = Array(speech.samples.prefix(clipLength))
let noisy = try mix(
  clean, whiteNoise(count: clean.count, seed: options.noiseSeed), snrDB: options.snr)
let input = try FitScore(reference: clean, estimate: noisy)
print("noisy input: SNR \(fixed(input.snr, 2)) dB, SI-SDR \(fixed(input.siSDR, 2)) dB")

// MARK: What the loss weights in each domain

section("What the loss weights: the noisy target against the clean one, per domain")
// A bin is noise-dominated where the noise's STFT is larger than the speech's; a training
// loss below the clean image's can only come from fitting the noise.
var weightTable = Table([
  "target domain", "median y", "90th percentile y", "noise-dominated bins", "their share of Σy²",
  "loss of the clean image (MSE)",
])
var cleanImageLoss: [TargetDomain: Double] = [:]
for domain in TargetDomain.compared {
  let target = try FitTarget(noisy: noisy, domain: domain, stft: stft)
  let weights = try target.lossWeights(clean: clean)
  cleanImageLoss[domain] = weights.cleanImageLoss
  let sorted = target.image.sorted()
  weightTable.add([
    "\(domain)", fixed(median(sorted), 3), fixed(sorted[sorted.count * 9 / 10], 3),
    "\(fixed(100 * weights.noiseDominatedShare, 1)) %",
    "\(fixed(100 * weights.noiseDominatedEnergy, 1)) %",
    String(format: "%.2e", weights.cleanImageLoss),
  ])
}
weightTable.print()

// MARK: The fits

let reconstructions: [Reconstruction] = [
  .direct, .wienerGain(), .wienerGain(noise: .medianResidual),
]
var results: [(domain: TargetDomain, result: PriorFitResult)] = []
for domain in TargetDomain.compared {
  section("Fit in the \(domain) domain: \(iterations) iterations, Adam lr \(options.learningRate)")
  var fit = PriorFit()
  fit.iterations = iterations
  fit.learningRate = options.learningRate
  fit.seed = options.seed
  fit.domain = domain
  fit.inputNoise = options.inputNoise
  fit.averageDecay = options.averageDecay
  fit.snapshotIterations = snapshotIterations
  fit.evaluationInterval = quick ? 2 : 10
  fit.reconstructions = reconstructions
  let progressEvery = quick ? 5 : 100
  let result = try fit.run(noisy: noisy, clean: clean, stft: stft) { progress in
    guard progress.iteration % progressEvery == 0 || progress.iteration == progress.iterations
    else { return }
    let eta = progress.remaining.isFinite ? "\(fixed(progress.remaining, 1)) s" : "-"
    let line =
      "  iteration \(progress.iteration)/\(progress.iterations)  "
      + "loss \(String(format: "%.3e", progress.loss))  "
      + "elapsed \(fixed(progress.elapsed, 1)) s  ETA \(eta)\n"
    FileHandle.standardError.write(line.data(using: .utf8)!)
  }
  let stepSeconds = (result.seconds - result.evaluationSeconds) / Double(max(iterations, 1))
  print(
    "\(domain): \(iterations) iterations in \(fixed(result.seconds, 1)) s "
      + "(\(fixed(1000 * stepSeconds, 1)) ms per step, "
      + "\(fixed(result.evaluationSeconds, 1)) s reconstructing and scoring "
      + "\(result.evaluations.count) × \(reconstructions.count) times)")
  results.append((domain, result))
}

for (domain, result) in results {
  let crossing = result.losses.firstIndex { Double($0) < cleanImageLoss[domain]! }
  print(
    "\(domain): the loss falls below the clean image's loss "
      + (crossing.map { "at iteration \($0)" } ?? "never"))
}

// MARK: The table: best and last SNR per domain and reconstruction

section("SNR against the clean speech (input: \(fixed(input.snr, 2)) dB)")
var table = Table([
  "target domain", "reconstruction", "best SNR (dB)", "at iteration", "gain (dB)",
  "SNR at \(iterations) (dB)", "SI-SDR at best (dB)",
])
for (domain, result) in results {
  for reconstruction in reconstructions {
    guard let best = result.best(reconstruction), let last = result.evaluations.last else {
      continue
    }
    let bestScore = best.scores[reconstruction]!
    table.add([
      "\(domain)", "\(reconstruction)", fixed(bestScore.snr, 2), "\(best.iteration)",
      fixed(bestScore.snr - input.snr, 2), fixed(last.scores[reconstruction]!.snr, 2),
      fixed(bestScore.siSDR, 2),
    ])
  }
}
table.print()

// MARK: A WAV per snapshot, with its SNR

section("Snapshots as audio in \(options.output)/: SNR (dB) against the clean speech")
try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)
let written = reconstructions.prefix(2)
var snapshotTable = Table(
  ["iteration"] + results.flatMap { r in written.map { "\(r.domain), \($0)" } })
for iteration in snapshotIterations {
  var row = ["\(iteration)"]
  for (domain, result) in results {
    for reconstruction in written {
      let snapshot = result.snapshot(at: iteration)!
      let name =
        "\(domain.slug)-\(iteration)-\(reconstruction == .direct ? "direct" : "wiener").wav"
      let path = (options.output as NSString).appendingPathComponent(name)
      try result.writeWAV(snapshot, reconstruction, to: path, sampleRate: sampleRate)
      let score = try FitScore(
        reference: clean, estimate: result.audio(of: snapshot, reconstruction))
      row.append(fixed(score.snr, 2))
    }
  }
  snapshotTable.add(row)
}
snapshotTable.print()
for (signal, name) in [(noisy, "noisy.wav"), (clean, "clean.wav")] {
  let path = (options.output as NSString).appendingPathComponent(name)
  try AudioFile.write(AudioBuffer(mono: signal, sampleRate: sampleRate), to: path)
}

// MARK: Figure: the progression of the seed's fit (log1p)

let seedFit = results[0].result
let rows = seedFit.target.rows
let frames = seedFit.target.frames
let frameSeconds = Double(stft.hop) / Double(sampleRate)
let binKHz = Double(sampleRate) / Double(stft.nFFT) / 1000
@MainActor func panel(_ values: [Float], rows: Int, _ title: String, label: String) -> HeatMap {
  var map = HeatMap(
    values: values, rows: rows, columns: frames, title: title, xLabel: "time (s)",
    yLabel: "frequency (kHz)", colorbarLabel: label)
  // Frame t is centred on t · hop / rate seconds, bin f on f · rate / nFFT Hz.
  map.xRange = (-frameSeconds / 2)...((Double(frames) - 0.5) * frameSeconds)
  map.yRange = (-binKHz / 2)...((Double(rows) - 0.5) * binKHz)
  return map
}
var progression: [HeatMap] = [
  panel(seedFit.target.image, rows: rows, "the target: noisy, 5 dB", label: "scaled log1p|X|")
]
for snapshot in seedFit.snapshots {
  progression.append(
    panel(
      snapshot.image, rows: rows,
      "iteration \(snapshot.iteration), "
        + "loss \(String(format: "%.1e", seedFit.losses[snapshot.iteration]))",
      label: "scaled log1p|X|"))
}
for (index, _) in progression.enumerated() {
  progression[index].valueRange = 0...1
  progression[index].showsColorbar = index % 3 == 2
}
try Grid(
  columns: 3, panels: progression,
  title:
    "The seed's fit: log1p target, DCGAN output over the iterations "
    + "(Adam lr \(options.learningRate))"
).write(to: try options.chapter.figure("06-progression.png"), width: 1500, height: 1300)

// MARK: Figure: loss and SNR curves

var lossPlot = LinePlot(
  title: "Training loss (MSE in each domain)", xLabel: "iteration", yLabel: "MSE (log scale)")
lossPlot.yScale = .log
for (index, (domain, result)) in results.enumerated() {
  lossPlot.line(
    x: result.losses.indices.map(Double.init), y: result.losses.map(Double.init),
    label: "\(domain)", color: Color.palette(index))
  lossPlot.horizontalLine(
    at: cleanImageLoss[domain]!, label: "\(domain): loss of the clean image",
    color: Color.palette(index))
}
var snrPlot = LinePlot(
  title: "SNR against the clean speech: solid direct, dashed Wiener gain", xLabel: "iteration",
  yLabel: "SNR (dB)")
for (index, (domain, result)) in results.enumerated() {
  for reconstruction in written {
    let curve = result.snrCurve(reconstruction)
    snrPlot.line(
      x: curve.map { Double($0.iteration) }, y: curve.map(\.snr),
      label: "\(domain), \(reconstruction)", color: Color.palette(index),
      dashed: reconstruction != .direct)
    if let best = result.best(reconstruction) {
      let value = best.scores[reconstruction]!.snr
      snrPlot.mark(
        x: Double(best.iteration), y: value, label: fixed(value, 1), color: Color.palette(index))
    }
  }
}
snrPlot.horizontalLine(at: input.snr, label: "noisy input", color: .gray)
// The untrained network's first outputs sit far below; the range shows the fit around the input.
let bestSNR =
  results.compactMap { r in written.compactMap { r.result.best($0)?.scores[$0]?.snr }.max() }
  .max() ?? input.snr
snrPlot.yRange = (input.snr - 8).rounded(.down)...(bestSNR + 2).rounded(.up)
try Grid(columns: 2, panels: [lossPlot, snrPlot], title: "The prior fit in three target domains")
  .write(to: try options.chapter.figure("06-curves.png"), width: 1600, height: 650)

// MARK: Figure: clean, noisy, best denoised

var bestOverall: (domain: TargetDomain, reconstruction: Reconstruction, evaluation: FitEvaluation)?
for (domain, result) in results {
  for reconstruction in written {
    guard let best = result.best(reconstruction) else { continue }
    if bestOverall == nil
      || best.scores[reconstruction]!.snr
        > bestOverall!.evaluation.scores[bestOverall!.reconstruction]!.snr
    {
      bestOverall = (domain, reconstruction, best)
    }
  }
}
let (bestDomain, bestReconstruction, bestEvaluation) = bestOverall!
let bestResult = results.first { $0.domain == bestDomain }!.result
let bestImage = bestResult.bestSnapshots[bestReconstruction]!
let denoised = try bestResult.audio(of: bestImage, bestReconstruction)
let denoisedScore = try FitScore(reference: clean, estimate: denoised)
print(
  "\nbest: \(bestDomain), \(bestReconstruction), iteration \(bestEvaluation.iteration): "
    + "SNR \(fixed(denoisedScore.snr, 2)) dB, SI-SDR \(fixed(denoisedScore.siSDR, 2)) dB")
try AudioFile.write(
  AudioBuffer(mono: denoised, sampleRate: sampleRate),
  to: (options.output as NSString).appendingPathComponent("best.wav"))
let cleanDB = try stft(clean).decibels()
let top = cleanDB.max()!.rounded(.up)
let bins = stft.bins
var comparison: [HeatMap] = []
for (signal, title) in [
  (clean, "clean"), (noisy, "noisy, SNR \(fixed(input.snr, 1)) dB"),
  (
    denoised,
    "best: \(bestDomain), \(bestReconstruction), iteration \(bestEvaluation.iteration), "
      + "SNR \(fixed(denoisedScore.snr, 1)) dB"
  ),
] {
  var map = panel(try stft(signal).decibels(), rows: bins, title, label: "20 log10|X| (dB)")
  map.valueRange = (top - 80)...top
  comparison.append(map)
}
try Grid(columns: 3, panels: comparison, title: "Before and after: spectrograms in dB")
  .write(to: try options.chapter.figure("06-before-after.png"), width: 1800, height: 560)

print("\nchapter 6 took \(fixed(monotonicSeconds() - chapterStart, 1)) s in all")
