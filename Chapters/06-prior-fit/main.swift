// Chapter 6: the prior fit of a DCGAN generator to one noisy spectrogram, by mean squared error
// in three target domains (the seed post's), and as speech + noise by the Itakura-Saito divergence.
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
  @Option(help: "Adam steps per fit (default 2000; 20 with --quick).") var iterations: Int?
  @Option(help: "Adam's learning rate.") var learningRate: Float = 1e-2
  @Option(help: "Seed of the generator's input and weights.") var seed: UInt64 = 0
  @Option(help: "σ of fresh noise added to z at every step (0: fixed z).") var inputNoise: Float = 0
  @Option(help: "Decay of an exponential moving average of the outputs (e.g. 0.99).")
  var averageDecay: Float?
  @Option(help: "SNR of the white noise mixed into the speech, in dB.") var snr: Double = 5
  @Option(help: "Seed of the white noise.") var noiseSeed: UInt64 = 1
}

ensureFastBLASKernels()
let options = Options.parseOrExit()
let quick = options.chapter.quick
let chapterStart = monotonicSeconds()
let sampleRate = 16_000
// Quick: a 32 × 32 image (nFFT 64, hop 16, 31 · 16 samples: 32 frames), seconds in debug.
let stft = try quick ? STFT(nFFT: 64, hop: 16) : STFT(nFFT: 512, hop: 128)
let clipLength = quick ? 496 : 32_640
let iterations = options.iterations ?? (quick ? 20 : 2_000)
let shown =
  (quick ? [0, 2, 5, 10] : [0, 10, 25, 50, 100, 200, 400]).filter { $0 < iterations }
  + [iterations]
// Kept as well: iterations 1 … 9 for the curves' log axis, and the two about the jump at 350.
let kept = Set(shown + Array(1..<10) + [300, 350]).filter { $0 <= iterations }.sorted()

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

// MARK: The likelihood view: the periodogram of noise is exponential

section("The periodogram where only noise is heard: r = |Y|² / N against e^(−r)")
// The speech + noise target, and what the clean reference says about it.
let noiseTarget = try FitTarget(noisy: noisy, domain: .power(exponent: 0.3), stft: stft)
let reference = try CleanReference(target: noiseTarget, clean: clean)
let periodogram = reference.noisePeriodogram()
let (bins, rows, frames) = (noiseTarget.bins, noiseTarget.rows, noiseTarget.frames)
let share = [1, 5].map { fixed(periodogram.share(above: Float($0)), 4) }
print(
  "\(periodogram.count) bins with the speech 30 dB or more below the noise: mean r "
    + "\(fixed(periodogram.meanRatio, 4)) (1); above 1: \(share[0]) (e^-1 = 0.3679), above 5: "
    + "\(share[1]) (e^-5 = 0.0067); mean of r − log r − 1: "
    + "\(fixed(periodogram.meanDivergence, 4)) (γ_E = \(fixed(eulerGamma, 4)))")
var densityPlot = LinePlot(
  title: "The noise's periodogram in the \(periodogram.count) bins where the speech is negligible",
  xLabel: "r = |Y|^2 / N (N: the noise's mean power in the bin)", yLabel: "density (log scale)")
densityPlot.yScale = .log
densityPlot.histogram(
  Histogram(periodogram.ratios, range: 0...8, bins: 32), label: "measured (histogram)",
  color: Color.palette(0), against: { exp(-$0) }, densityLabel: "e^(-r), the exponential density")
try densityPlot.write(to: try options.chapter.figure("06-periodogram.png"), width: 900, height: 520)
let truthDivergence = reference.speechPlusNoiseDivergence
print("IS divergence of the true speech + noise model: \(fixed(truthDivergence, 4))")

// MARK: The fits

typealias Fit = (name: String, domain: TargetDomain, model: FitModel, written: [Reconstruction])
let mseGains: [Reconstruction] = [.wienerGain(), .wienerGain(noise: .medianResidual)]
let fits: [Fit] =
  TargetDomain.compared.map { ("\($0)", $0, .noisyImage, [.direct] + mseGains) }
  + [("speech + noise", .power(exponent: 0.3), .speechPlusNoise, [.direct, .modelWiener()])]
var results: [(fit: Fit, result: PriorFitResult)] = []
for spec in fits {
  section("Fit: \(spec.name), \(spec.model), \(iterations) iterations, lr \(options.learningRate)")
  var fit = PriorFit()
  (fit.iterations, fit.learningRate, fit.seed) = (iterations, options.learningRate, options.seed)
  (fit.domain, fit.model, fit.reconstructions) = (spec.domain, spec.model, spec.written)
  (fit.inputNoise, fit.averageDecay) = (options.inputNoise, options.averageDecay)
  (fit.snapshotIterations, fit.evaluationInterval) = (kept, quick ? 2 : 10)
  let result = try fit.run(noisy: noisy, clean: clean, stft: stft)
  let losses = result.losses
  let below = { (level: Double) in
    losses.firstIndex { Double($0) < level }.map { "iteration \($0)" } ?? "no iteration"
  }
  let isFit = spec.model == .speechPlusNoise
  print(
    "\(fixed(result.seconds, 1)) s, \(fixed(result.evaluationSeconds, 1)) s of it scoring; the loss "
      + "falls below the \(isFit ? "true S + N's" : "clean image's") at "
      + below(isFit ? truthDivergence : cleanImageLoss[spec.domain]!)
      + (isFit ? ", below γ_E at \(below(eulerGamma))" : "")
      + "; \(lossSpikes(losses, after: 500).count) iterations "
      + "after 500 lie 10 % above the lowest of the 10 before")
  results.append((spec, result))
}
let (seedFit, noiseFit) = (results[0], results[3])

// MARK: The table: every fit and reconstruction, and the classical baseline

let dd = try FitScore(reference: clean, estimate: noiseTarget.decisionDirectedWiener())
section("SNR and SI-SDR against the clean speech, in dB")
var table = Table([
  "fit", "reconstruction", "best SNR", "SI-SDR at best", "at iteration", "SNR at 0",
  "SNR at \(iterations)", "SI-SDR at \(iterations)",
])
for (name, s) in [("noisy input", input), ("DD Wiener, quietest 10 %", dd)] {
  table.add([name, "-", fixed(s.snr, 2), fixed(s.siSDR, 2), "-", "-", "-", "-"])
}
for (spec, result) in results {
  for r in spec.written {
    let (best, last) = (result.best(r)!, result.score(at: iterations, r)!)
    table.add([
      spec.name, "\(r)", fixed(best.scores[r]!.snr, 2), fixed(best.scores[r]!.siSDR, 2),
      "\(best.iteration)", fixed(result.score(at: 0, r)!.snr, 2), fixed(last.snr, 2),
      fixed(last.siSDR, 2),
    ])
  }
}
table.print()

section("SNR (dB) at the kept iterations, and where the error lies (dB of the clean energy)")
var snrTable = Table(
  ["iteration"] + results.flatMap { f in f.fit.written.prefix(2).map { "\(f.fit.name), \($0)" } })
var errorTable = Table(["iteration"] + results.flatMap { ["\($0.fit.name): E speech", "E noise"] })
let splits = try results.map { try CleanReference(target: $0.result.target, clean: clean) }
for iteration in kept where shown.contains(iteration) || iteration >= 10 {
  let snrs = results.flatMap { f in
    f.fit.written.prefix(2).map { f.result.score(at: iteration, $0)! }
  }
  let errors = try zip(results, splits).map { f, split in
    try split.errors(of: f.result.snapshot(at: iteration)!.image)
  }
  snrTable.add(["\(iteration)"] + snrs.map { fixed($0.snr, 2) })
  errorTable.add(["\(iteration)"] + errors.flatMap { [fixed($0.speech, 2), fixed($0.noise, 2)] })
}
snrTable.print()
errorTable.print()

// MARK: Audio: the clips of the book

let (seed, model) = (seedFit.result, noiseFit.result)
let clips: [(String, [Float])] =
  [("06-noisy.wav", noisy)]
  + (try [50, 200, iterations].filter { shown.contains($0) }
    .map { (i: Int) in ("06-seed-\(i).wav", try seed.audio(.direct, at: i)) })
  + [
    ("06-linear-wiener-best.wav", try results[2].result.audio(.wienerGain(), at: nil)),
    ("06-speech-noise-best.wav", try model.audio(.modelWiener(), at: nil)),
    ("06-speech-noise-\(iterations).wav", try model.audio(.modelWiener(), at: iterations)),
  ]
// The untrained network's buzz is far louder than speech: it gets its own, lower gain.
let listening = headroomGain(for: clips.map(\.1))
let buzz = try seed.audio(.direct, at: 0)
for (name, samples, gain) in clips.map({ ($0, $1, listening) })
  + [("06-seed-0.wav", buzz, min(listening, headroomGain(for: [buzz]) / 4))]
{
  let path = try options.chapter.figure(name)
  try AudioFile.write(
    AudioBuffer(mono: samples.map { $0 * gain }, sampleRate: sampleRate), to: path)
  print("wrote \(path) (gain \(fixed(decibels(Double(gain)), 1)) dB)")
}

// MARK: Figures: the progressions, in one scaling

// Every panel is (|X| / max |Y|)^0.3, the speech + noise target's scaling: the seed post's log1p
// image, so dark (median 0.15) that speech and noise look alike, is shown in it too.
let axes = SpectrogramAxes(
  rows: rows, frames: frames, frameSeconds: Double(stft.hop) / Double(sampleRate),
  binKHz: Double(sampleRate) / Double(stft.nFFT) / 1000)
@MainActor func shownImage(_ magnitude: [Float]) -> [Float] {
  noiseTarget.scaling.scaled(Array(magnitude.prefix(rows * frames)))
}
for (fit, name) in [(seedFit, "06-progression.png"), (noiseFit, "06-progression-speech-noise.png")]
{
  var panels = [
    ("the clean speech", shownImage(reference.cleanPower.map { $0.squareRoot() })),
    ("the noisy target, \(fixed(input.snr, 2)) dB", noiseTarget.image),
  ]
  for iteration in shown {
    let image = try fit.result.target.magnitude(
      fromImage: fit.result.snapshot(at: iteration)!.image)
    let snrs = fit.fit.written.prefix(2).map { fixed(fit.result.score(at: iteration, $0)!.snr, 2) }
    panels.append(("iteration \(iteration): \(snrs[0]) | \(snrs[1]) dB", shownImage(image)))
  }
  try Grid(
    spectrograms: panels, axes: axes, columns: 5, valueRange: 0...1,
    colorbarLabel: "(|X| / max|Y|)^0.3",
    title: "\(fit.fit.domain) target, \(fit.fit.model): the output over the iterations; "
      + "SNR \(fit.fit.written[0]) | \(fit.fit.written[1])"
  ).write(to: try options.chapter.figure(name), width: 2000, height: 760)
}

// MARK: Figure: loss and SNR curves, on a log iteration axis

@MainActor func curvePlot(_ title: String, _ yLabel: String, _ y: AxisScale) -> LinePlot {
  var plot = LinePlot(title: title, xLabel: "iteration (log scale)", yLabel: yLabel)
  (plot.xScale, plot.yScale, plot.xRange) = (.log, y, 1...Double(max(iterations, 2)))
  return plot
}
var msePlot = curvePlot("Training loss: MSE in the target domain", "MSE (log scale)", .log)
var isPlot = curvePlot("Training loss: speech + noise, IS divergence", "D(P || S + N)", .log)
var snrPlot = curvePlot("SNR: solid direct, dashed the fit's gain", "SNR (dB)", .linear)
for (index, (spec, result)) in results.enumerated() {
  let color = Color.palette(index)
  let x = result.losses.indices.dropFirst().map(Double.init)
  let y = result.losses.dropFirst().map(Double.init)
  if spec.model == .speechPlusNoise {
    isPlot.line(x: x, y: y, label: spec.name, color: color)
    isPlot.horizontalLine(at: truthDivergence, label: "the true S + N", color: .gray)
    isPlot.horizontalLine(at: eulerGamma, label: "gamma: the noise alone, modelled right")
  } else {
    msePlot.line(x: x, y: y, label: "\(spec.domain)", color: color)
    msePlot.horizontalLine(at: cleanImageLoss[spec.domain]!, label: "clean image", color: color)
  }
  for r in spec.written.prefix(2) {
    let curve = result.snrCurve(r).filter { $0.iteration > 0 }
    snrPlot.line(
      x: curve.map { Double($0.iteration) }, y: curve.map(\.snr), label: "\(spec.name), \(r)",
      color: color, dashed: r != .direct)
    let (at, value) = (Double(result.best(r)!.iteration), result.best(r)!.scores[r]!.snr)
    snrPlot.mark(x: at, y: value, label: fixed(value, 1), color: color)
    snrPlot.points(x: [1.0], y: [result.score(at: 0, r)!.snr], color: color)
  }
}
snrPlot.points(x: [Double](), y: [], label: "iteration 0, drawn at 1", color: .black)
snrPlot.horizontalLine(at: input.snr, label: "noisy input", color: .gray)
snrPlot.horizontalLine(at: dd.snr, label: "DD Wiener", color: .darkGray)
try Grid(columns: 3, panels: [msePlot, isPlot, snrPlot], title: "The prior fits, loss and SNR")
  .write(to: try options.chapter.figure("06-curves.png"), width: 2100, height: 700)

// MARK: Figure: clean, noisy, the best denoised

let (bestName, bestFit, way, bestAt) = results.flatMap { f in
  f.fit.written.map { (f.fit.name, f.result, $0, f.result.best($0)!) }
}.max { $0.3.scores[$0.2]!.snr < $1.3.scores[$1.2]!.snr }!
let bestTitle =
  "best: \(bestName), \(way), iteration \(bestAt.iteration), "
  + "SNR \(fixed(bestAt.scores[way]!.snr, 2)) dB"
print("\n" + bestTitle)
// The top rows: the image's last 8, at the generator's border, and the Nyquist row, which
// every reconstruction takes from the noisy recording; against the mean of the rows below.
let (edge, early, bestKept) = (
  rows - 8, shown[min(3, shown.count - 1)], bestFit.bestSnapshots[way]!
)
for (name, values) in [
  ("its gain", try bestFit.target.gain(of: bestKept.image, way, noisePower: bestKept.noisePower)),
  ("the seed post's fit at \(early)", seed.snapshot(at: early)!.image),
  ("its target", seed.target.image),
] {
  let means = rowMeans(values, frames: frames).map { fixed($0, 3) }
  let below = rowMeans(Array(values.prefix(edge * frames)), frames: edge * frames)[0]
  print(
    "\(name), mean per row from row \(edge): " + means.suffix(from: edge).joined(separator: " ")
      + "; rows below: \(fixed(below, 3))")
}
let top = try stft(clean).decibels().max()!.rounded(.up)
let comparison = try [
  (clean, "clean"), (noisy, "noisy, SNR \(fixed(input.snr, 1)) dB"),
  (try bestFit.audio(way, at: nil), bestTitle),
].map { signal, title in (title, try stft(signal).decibels()) }
var binAxes = axes
binAxes.rows = bins
try Grid(
  spectrograms: comparison, axes: binAxes, columns: 3, valueRange: (top - 80)...top,
  colorbarLabel: "20 log10|X| (dB)", title: "Before and after: spectrograms in dB"
).write(to: try options.chapter.figure("06-before-after.png"), width: 1800, height: 560)

print("\nchapter 6 took \(fixed(monotonicSeconds() - chapterStart, 1)) s in all")
