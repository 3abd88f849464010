// Chapter 7: real recordings, without an oracle. The evaluation set (speech × white, pink and
// babble noise × 0, 5, 10 dB), the classical baselines through the same pipeline as the
// `denoise` command, what their noise estimate costs and how closely it would have to follow
// the noise, the noise level a discrepancy rule would have to stop at, the prior fit under
// every stopping rule, two network seeds averaged, and all methods side by side.
import Audio
import ChapterSupport
import Foundation
import Plot
import Denoising
import Evaluation
import Prior
import Suppression
import Spectral
import Tensors

ensureFastBLASKernels()
let options = ChapterOptions.fromCommandLine()

// MARK: The evaluation set

section("The evaluation set")
let clips = try EvaluationSet.clipFiles.map { try SpeechClip(path: "data/" + $0) }
let evaluation = try EvaluationSet(
  clips: clips, targets: options.quick ? [0] : nil, snrs: options.quick ? [5] : [0, 5, 10])
var setTable = Table(["clean segments", "noises", "SNRs (dB)", "items", "segment"])
setTable.add([
  Set(evaluation.items.map(\.clip)).sorted().joined(separator: ", "),
  NoiseKind.allCases.map(\.rawValue).joined(separator: ", "),
  Set(evaluation.items.map { Int($0.snrDB) }).sorted().map(String.init).joined(separator: ", "),
  "\(evaluation.items.count)", "32 640 samples, 2.04 s at 16 kHz",
])
setTable.print()

// MARK: The baselines through the pipeline

section("Mean SNR and SI-SDR of each method, by noise (dB)")
// Every method runs through the same pipeline as the `denoise` command. The last row is not a
// method: it hands the Wiener filter the true noise power, measured on the noise itself, to
// show what the noise estimate costs.
let stft = try STFT(nFFT: 512, hop: 128)
@MainActor func truePower(_ signal: [Float]) throws -> [Float] {
  let spectrum = try stft(signal)
  let power = powerSpectrum(spectrum.real, spectrum.imag)
  return meanPower(power, bins: spectrum.bins, frames: spectrum.frames)
}
let oracleName = "DD Wiener, true noise power"
let methods: [(name: String, enhancer: (EvaluationItem) throws -> any Enhancer)] = [
  ("noisy input", { _ in IdentityEnhancer() }),
  ("spectral subtraction", { _ in SpectralSubtraction() }),
  ("DD Wiener", { _ in DecisionDirectedWiener() }),
  (
    oracleName,
    { item in
      var wiener = DecisionDirectedWiener()
      wiener.knownNoisePower = try truePower(zip(item.noisy, item.clean).map { $0 - $1 })
      return wiener
    }
  ),
]
var scores: [String: [EvaluationScore]] = [:]
var seconds: [String: Double] = [:]
for method in methods {
  let start = monotonicSeconds()
  scores[method.name] = try evaluation.scores { item in
    try Denoiser(enhancer: method.enhancer(item))
      .denoise(AudioBuffer(mono: item.noisy, sampleRate: 16_000)).samples
  }
  seconds[method.name] = monotonicSeconds() - start
}
let noisyScores = scores["noisy input"]!
let noisySNR = meanByNoise(noisyScores) { $0.snr }
let noisySISDR = meanByNoise(noisyScores) { $0.siSDR }
var table = Table(["method", "noise", "SNR", "SI-SDR", "Δ SNR", "Δ SI-SDR"])
for method in methods {
  let s = scores[method.name]!
  let snrs = meanByNoise(s) { $0.snr }
  let sdrs = meanByNoise(s) { $0.siSDR }
  for (n, kind) in NoiseKind.allCases.enumerated() {
    table.add([
      method.name, kind.rawValue, fixed(snrs[n], 2), fixed(sdrs[n], 2),
      fixed(snrs[n] - noisySNR[n], 2), fixed(sdrs[n] - noisySISDR[n], 2),
    ])
  }
}
table.print()

section("Mean SI-SDR improvement by input SNR (dB), all noises")
let inputSNRs = Set(evaluation.items.map(\.snrDB)).sorted()
var bySNR = Table(["method"] + inputSNRs.map { "\(Int($0)) dB in" } + ["ms per 2.04 s item"])
for method in methods.dropFirst() {
  let s = scores[method.name]!
  bySNR.add(
    [method.name]
      + inputSNRs.map { level in
        let pairs = zip(s, noisyScores).filter { $0.0.snrDB == level }
        return fixed(pairs.map { $0.0.siSDR - $0.1.siSDR }.reduce(0, +) / Double(pairs.count), 2)
      } + [fixed(1000 * seconds[method.name]! / Double(evaluation.items.count), 1)])
}
bySNR.print()

// MARK: Where the noise estimate goes wrong

section("Noise power from the quietest 10 % of frames vs. the true noise power, by band (dB)")
let bands: [(name: String, bins: Range<Int>)] = [
  ("0-125 Hz", 0..<4), ("125-500 Hz", 4..<16), ("0.5-2 kHz", 16..<64), ("2-4 kHz", 64..<128),
  ("4-8 kHz", 128..<257),
]
var estimateTable = Table(["noise"] + bands.map(\.name) + ["share of noise < 125 Hz"])
for kind in NoiseKind.allCases {
  var errors = [Double](repeating: 0, count: bands.count)
  var lowShare = 0.0
  let items = evaluation.items.filter { $0.noise == kind }
  for item in items {
    let spectrum = try stft(item.noisy)
    let estimate = quietestFramesNoisePower(
      power: powerSpectrum(spectrum.real, spectrum.imag), bins: spectrum.bins,
      frames: spectrum.frames)
    let actual = try truePower(zip(item.noisy, item.clean).map { $0 - $1 })
    func total(_ x: [Float], _ r: Range<Int>) -> Double { r.reduce(0) { $0 + Double(x[$1]) } }
    for (b, band) in bands.enumerated() {
      errors[b] += decibels((total(estimate, band.bins) / total(actual, band.bins)).squareRoot())
    }
    lowShare += total(actual, 0..<4) / total(actual, 0..<257)
  }
  let n = Double(items.count)
  estimateTable.add(
    [kind.rawValue] + errors.map { fixed($0 / n, 1) } + ["\(fixed(100 * lowShare / n, 0)) %"])
}
estimateTable.print()

// MARK: How closely a noise estimate must follow the noise

section("DD Wiener given the true noise power, averaged over windows of frames (Δ SI-SDR, dB)")
// Still an oracle: the noise itself, averaged over the frames around each one (a hop is
// 8 ms). A window as long as the segment is the oracle row above; the shorter the window, the
// more of the noise's changes the filter is told about.
@MainActor func powerPerValue(_ signal: [Float]) throws -> (
  power: [Float], bins: Int, frames: Int
) {
  let spectrum = try stft(signal)
  return (powerSpectrum(spectrum.real, spectrum.imag), spectrum.bins, spectrum.frames)
}
/// The mean SI-SDR improvement of the DD Wiener filter with the noise power `noise` gives
/// each item, by noise and over all: a table row's numbers.
@MainActor func wienerGainsByNoise(noise: (EvaluationItem) throws -> [Float]) throws -> [String] {
  let scores = try evaluation.scores { item in
    var wiener = DecisionDirectedWiener()
    wiener.knownNoisePower = try noise(item)
    return try Denoiser(enhancer: wiener)
      .denoise(AudioBuffer(mono: item.noisy, sampleRate: 16_000)).samples
  }
  let gains = zip(scores, noisyScores).map { $0.siSDR - $1.siSDR }
  let byNoise = meanByNoise(gains, noises: evaluation.items.map(\.noise))
  return (byNoise + [gains.reduce(0, +) / Double(gains.count)]).map { fixed($0, 2) }
}
/// A window of 2r + 1 frames as a table says it: its length, or the whole segment.
func windowSpan(radius: Int) -> [String] {
  radius >= 255
    ? ["the segment", "all"] : ["\(fixed(Double(2 * radius + 1) * 8, 0)) ms", "\(2 * radius + 1)"]
}
let radii = [0, 2, 7, 15, 31, 255]
var windowTable = Table(["window", "frames"] + NoiseKind.allCases.map(\.rawValue) + ["all"])
for radius in radii {
  let row = try wienerGainsByNoise { item in
    let noise = try powerPerValue(zip(item.noisy, item.clean).map { $0 - $1 })
    return movingMeanPower(noise.power, bins: noise.bins, frames: noise.frames, radius: radius)
  }
  windowTable.add(windowSpan(radius: radius) + row)
}
windowTable.print()

section("DD Wiener given the minimum of the smoothed noisy power over windows (Δ SI-SDR, dB)")
// Not an oracle: the noisy power smoothed over time (α = 0.7) and its minimum over the frames
// around each one, scaled by the factor that makes it unbiased on white noise (measured on a
// noise draw of its own, bins 1…255). The minimum over a window follows the noise more
// closely the shorter the window, as the oracle above asks for; it also lands on speech.
let minimumSmoothing: Float = 0.7
var minimumTable = Table(
  ["window", "frames", "bias factor"] + NoiseKind.allCases.map(\.rawValue) + ["all"])
let white = try powerPerValue(whiteNoise(count: evaluation.items[0].clean.count, seed: 707))
for radius in [7, 15, 31, 62, 255] {
  let whiteMinimum = minimumTrackedNoisePower(
    white.power, bins: white.bins, frames: white.frames, smoothing: minimumSmoothing,
    radius: radius)
  let inner = white.frames..<((white.bins - 1) * white.frames)
  let bias =
    inner.reduce(0.0) { $0 + Double(white.power[$1]) }
    / inner.reduce(0.0) { $0 + Double(whiteMinimum[$1]) }
  let row = try wienerGainsByNoise { item in
    let noisy = try powerPerValue(item.noisy)
    return minimumTrackedNoisePower(
      noisy.power, bins: noisy.bins, frames: noisy.frames, smoothing: minimumSmoothing,
      radius: radius
    ).map { $0 * Float(bias) }
  }
  minimumTable.add(windowSpan(radius: radius) + [fixed(bias, 2)] + row)
}
minimumTable.print()

// MARK: The noise level a discrepancy rule must find

section("Noise variance of the fitted image (p = 0.3): actual, over noise draws, and estimates")
// The image the prior fit below fits: |X|^0.3 of bins 0…255, divided by the noisy image's
// maximum. Its noise is what changes from one noise draw to the next: the variance of each
// pixel over `draws` mixtures with the same speech (all scaled like the first), averaged over
// the pixels. A discrepancy rule has one draw only, and must estimate it from that image.
let priorDomain = TargetDomain.power(exponent: 0.3)
@MainActor func targetImage(_ signal: [Float], _ scaling: TargetScaling?) throws -> (
  [Float], TargetScaling
) {
  let target = try FitTarget(noisy: signal, domain: priorDomain)
  let scaling = scaling ?? target.scaling
  let magnitude = Array(target.noisyMagnitude.prefix(target.rows * target.frames))
  return (scaling.scaled(magnitude), scaling)
}
let draws = options.quick ? 2 : 6
let redrawn = try (1..<draws).map { d in
  try EvaluationSet(
    clips: clips, targets: options.quick ? [0] : nil, snrs: options.quick ? [5] : [0, 5, 10],
    seed: 7 + 100_000 * UInt64(d))
}
var noiseTable = Table([
  "noise", "input SNR (dB)", "actual σ²", "quiet frames", "ratio", "diagonal detail", "ratio",
])
for kind in NoiseKind.allCases {
  for level in inputSNRs {
    var (actual, quiet, diagonal) = (0.0, 0.0, 0.0)
    let indices = evaluation.items.indices.filter {
      evaluation.items[$0].noise == kind && evaluation.items[$0].snrDB == level
    }
    for i in indices {
      let (image, scaling) = try targetImage(evaluation.items[i].noisy, nil)
      let images = try [image] + redrawn.map { try targetImage($0.items[i].noisy, scaling).0 }
      var variance = 0.0
      for p in image.indices {
        let values = images.map { Double($0[p]) }
        let mean = values.reduce(0, +) / Double(draws)
        variance += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws - 1)
      }
      actual += variance / Double(image.count)
      quiet += quietColumnsVariance(image: image, rows: 256, columns: 256)
      diagonal += diagonalDetailVariance(image: image, rows: 256, columns: 256)
    }
    let n = Double(indices.count)
    (actual, quiet, diagonal) = (actual / n, quiet / n, diagonal / n)
    noiseTable.add([
      kind.rawValue, "\(Int(level))", String(format: "%.2e", actual),
      String(format: "%.2e", quiet), fixed(quiet / actual, 2),
      String(format: "%.2e", diagonal), fixed(diagonal / actual, 2),
    ])
  }
}
noiseTable.print()

// MARK: The prior fit, stopped without the clean signal

section("The prior fit on every item: where each stopping rule stops")
// One fit per item, run to the budget and scored every `interval` iterations, so that every
// rule, every fixed count and the oracle are judged on the same outputs. The rules see only
// the loss and the outputs; the scores are computed beside them.
var prior = PriorEnhancer()
prior.domain = priorDomain
prior.iterations = options.quick ? 10 : 500
prior.evaluationInterval = options.quick ? 2 : 10
prior.averageDecay = 0.99
let priorGains: [(name: String, gain: Reconstruction)] = [
  ("prior fit, Wiener gain", .wienerGain(floor: 0.1, noise: .quietFrames)),
  ("prior fit × DD Wiener", .withDecisionDirected(floor: 0.1)),
]
let (window, patience) = options.quick ? (2, 2) : (10, 10)
var rules: [RuleCandidate] = []
for average in [false, true] {
  let suffix = average ? ", EMA" : ""
  rules.append(
    RuleCandidate("discrepancy\(suffix)", watchesAverage: average) { target in
      DiscrepancyRule(
        noiseVariance: quietColumnsVariance(
          image: target.image, rows: target.rows, columns: target.frames))
    })
  rules.append(
    RuleCandidate("moving variance\(suffix)", watchesAverage: average) { _ in
      MovingVarianceRule(window: window, patience: patience)
    })
}
let priorItems = options.quick ? [evaluation.items[0]] : evaluation.items
// The outputs at the fixed counts the seed comparison below needs, one per gain.
let seedCounts = options.quick ? [4, 6] : [110, PriorEnhancer.recommendedFixedIterations]
var traces: [StoppingTrace] = []
let fitStart = monotonicSeconds()
for (n, item) in priorItems.enumerated() {
  traces.append(
    try prior.trace(
      item, gains: priorGains.map(\.gain), rules: rules, keeping: Set(seedCounts)))
  if (n + 1) % 9 == 0 || n + 1 == priorItems.count {
    print("  \(n + 1) of \(priorItems.count) fits, \(fixed(monotonicSeconds() - fitStart, 0)) s")
  }
}
let priorKinds = priorItems.map(\.noise)
/// Mean over the items of `value(trace, index)`, overall and per noise kind.
@MainActor func means(_ value: (StoppingTrace) -> Double) -> (all: Double, byNoise: [Double]) {
  let values = traces.map(value)
  return (values.reduce(0, +) / Double(values.count), meanByNoise(values, noises: priorKinds))
}
let steps = traces[0].iterations
/// The fixed count whose mean SI-SDR over the items is best, as an index into `steps`.
@MainActor func bestFixedIndex(gain g: Int, average: Bool) -> Int {
  steps.indices.max { a, b in
    let sa = traces.map { (average ? $0.averageSISDR[g] : $0.siSDR[g])[a] }.reduce(0, +)
    let sb = traces.map { (average ? $0.averageSISDR[g] : $0.siSDR[g])[b] }.reduce(0, +)
    return sa < sb
  }!
}
struct Choice {
  let name: String
  let average: Bool
  let index: (StoppingTrace) -> Int
  /// The iterations the choice costs: the rule's stop, the fixed count, the whole budget.
  let cost: (StoppingTrace) -> Int
}
var winners: [String: (rule: String, delta: Double)] = [:]
var autoScores: [String: (snr: [Double], siSDR: [Double])] = [:]
var stopTables: [Table] = []
for (g, method) in priorGains.enumerated() {
  var choices = [
    Choice(
      name: "untrained network (iteration 0)", average: false, index: { _ in 0 }, cost: { _ in 0 })
  ]
  for average in [false, true] {
    let suffix = average ? ", EMA" : ""
    let fixedIndex = bestFixedIndex(gain: g, average: average)
    choices.append(
      Choice(
        name: "oracle best iteration\(suffix)", average: average,
        index: { $0.oracleIndex(gain: g, average: average) }, cost: { $0.iterations.last! }))
    choices.append(
      Choice(
        name: "best fixed count, \(steps[fixedIndex])\(suffix)", average: average,
        index: { _ in fixedIndex }, cost: { _ in steps[fixedIndex] }))
    for rule in rules where rule.watchesAverage == average {
      choices.append(
        Choice(
          name: rule.name, average: average, index: { $0.chosen[rule.name]! },
          cost: { $0.iterations[$0.ended[rule.name]!] }))
    }
  }
  var stopTable = Table(
    ["\(method.name): stop", "chosen it.", "run it.", "Δ SNR", "Δ SI-SDR"]
      + NoiseKind.allCases.map { "Δ SI-SDR \($0.rawValue)" })
  var best: (rule: String, delta: Double) = ("", -.infinity)
  for choice in choices {
    let stop = means { Double($0.iterations[choice.index($0)]) }.all
    let cost = means { Double(choice.cost($0)) }.all
    let dSNR = means {
      (choice.average ? $0.averageSNR[g] : $0.snr[g])[choice.index($0)] - $0.noisySNR
    }
    let dSDR = means {
      (choice.average ? $0.averageSISDR[g] : $0.siSDR[g])[choice.index($0)] - $0.noisySISDR
    }
    stopTable.add(
      [choice.name, fixed(stop, 0), fixed(cost, 0), fixed(dSNR.all, 2), fixed(dSDR.all, 2)]
        + dSDR.byNoise.map { fixed($0, 2) })
    let usesClean = choice.name.hasPrefix("oracle") || choice.name.hasPrefix("best fixed")
    if rules.contains(where: { $0.name == choice.name }) && !usesClean && dSDR.all > best.delta {
      best = (choice.name, dSDR.all)
      autoScores[method.name] = (
        traces.map { (choice.average ? $0.averageSNR[g] : $0.snr[g])[choice.index($0)] },
        traces.map { (choice.average ? $0.averageSISDR[g] : $0.siSDR[g])[choice.index($0)] }
      )
    }
  }
  winners[method.name] = best
  stopTable.print()
  print("  winner without the clean signal: \(best.rule), Δ SI-SDR \(fixed(best.delta, 2)) dB\n")
}
let priorSeconds = (monotonicSeconds() - fitStart) / Double(priorItems.count)
print(
  "  one fit of \(prior.iterations) iterations, scored every \(prior.evaluationInterval): "
    + "\(fixed(priorSeconds, 1)) s per item")

// MARK: Several seeds, averaged

section("Two network seeds, alone and averaged, at fixed counts (Δ SI-SDR, dB)")
// The Deep Image Prior averages outputs to lower their variance; here the average is over
// network seeds instead of iterations. Every item is fitted again from seed 1 and stopped at
// the fixed counts of the tables above; its image and seed 0's (kept from the fits above)
// are averaged before the gain.
let seedVariants = ["seed 0", "seed 1", "seeds 0 and 1 averaged"]
// [gain][variant][item]
var seedGains = [[[Double]]](
  repeating: Array(repeating: [], count: seedVariants.count), count: priorGains.count)
for (item, trace) in zip(priorItems, traces) {
  var seeded = prior
  seeded.averageDecay = nil
  seeded.iterations = seedCounts.max()!
  seeded.seed = 1
  let target = try FitTarget(noisy: item.noisy, domain: priorDomain)
  var seedOne: [Int: [Float]] = [:]
  try seeded.fit(target) { step in
    if seedCounts.contains(step.iteration) { seedOne[step.iteration] = step.output }
    return false
  }
  let noisySISDR = try siSDR(reference: item.clean, estimate: item.noisy)
  for (g, method) in priorGains.enumerated() {
    seeded.gain = method.gain
    let (a, b) = (trace.outputs[seedCounts[g]]!, seedOne[seedCounts[g]]!)
    for (v, image) in [a, b, zip(a, b).map { 0.5 * ($0 + $1) }].enumerated() {
      let output = try seeded.enhanced(image, target: target)
      seedGains[g][v].append(try siSDR(reference: item.clean, estimate: output) - noisySISDR)
    }
  }
}
var seedTable = Table(
  ["method", "iterations", "fit"] + NoiseKind.allCases.map(\.rawValue) + ["all"])
for (g, method) in priorGains.enumerated() {
  for (v, variant) in seedVariants.enumerated() {
    let values = seedGains[g][v]
    let byNoise = meanByNoise(values, noises: priorKinds)
    seedTable.add(
      [method.name, "\(seedCounts[g])", variant] + byNoise.map { fixed($0, 2) }
        + [fixed(values.reduce(0, +) / Double(values.count), 2)])
  }
}
seedTable.print()

// MARK: Figure: the stopping rules on three items

// speech.wav at 5 dB in white, pink and babble noise (or the first items with --quick).
let shown = NoiseKind.allCases.compactMap { kind in
  priorItems.indices.first { priorItems[$0].noise == kind && priorItems[$0].snrDB == 5 }
}
var panels: [any Chart] = []
for t in shown {
  let trace = traces[t]
  let x = trace.iterations.map(Double.init)
  var plot = LinePlot(
    title: "\(priorItems[t].clip), \(priorItems[t].noise.rawValue) noise, 5 dB",
    xLabel: "iteration", yLabel: "SI-SDR improvement (dB)")
  plot.line(x: x, y: trace.siSDR[0].map { $0 - trace.noisySISDR }, label: "raw output")
  plot.line(
    x: x, y: trace.averageSISDR[0].map { $0 - trace.noisySISDR }, label: "EMA of outputs",
    dashed: true)
  for (r, rule) in rules.enumerated() {
    let i = trace.chosen[rule.name]!
    let y = (rule.watchesAverage ? trace.averageSISDR[0] : trace.siSDR[0])[i] - trace.noisySISDR
    plot.points(x: [x[i]], y: [y], label: rule.name, color: Color.palette(r + 2))
  }
  let o = trace.oracleIndex(gain: 0, average: false)
  plot.mark(x: x[o], y: trace.siSDR[0][o] - trace.noisySISDR, label: "oracle")
  panels.append(plot)
}
try Grid(
  columns: panels.count, panels: panels,
  title: "\(priorGains[0].name): SI-SDR over the fit, and where each rule stops"
).write(to: try options.figure("07-stopping.png"), width: 1500, height: 520)

// MARK: All methods

section("All methods: mean SI-SDR improvement by noise (dB)")
var finalTable = Table(["method"] + NoiseKind.allCases.map(\.rawValue) + ["all"])
var chartSeries: [(String, [Double], Color?)] = []
@MainActor func addRow(_ name: String, _ sdr: [Double], _ base: [Double], color: Color? = nil) {
  let gains = zip(sdr, base).map { $0 - $1 }
  let byNoise = meanByNoise(gains, noises: evaluation.items.map(\.noise))
  let all = gains.reduce(0, +) / Double(gains.count)
  finalTable.add([name] + byNoise.map { fixed($0, 2) } + [fixed(all, 2)])
  chartSeries.append((name, byNoise, color))
}
let noisySDRs = noisyScores.map(\.siSDR)
for method in methods.dropFirst() {
  addRow(
    method.name == oracleName ? "\(oracleName) (oracle)" : method.name,
    scores[method.name]!.map(\.siSDR), noisySDRs,
    color: method.name == oracleName ? .lightGray : nil)
}
if !options.quick {
  for method in priorGains {
    addRow(
      "\(method.name), \(winners[method.name]!.rule)", autoScores[method.name]!.siSDR,
      noisySDRs)
  }
  addRow(
    "untrained network × DD Wiener (control)", traces.map { $0.siSDR[1][0] }, noisySDRs,
    color: .gray)
}
finalTable.print()

// MARK: Figure: methods × noise types

var chart = BarChart(
  title:
    "Mean SI-SDR improvement over the noisy input (\(evaluation.items.count / 3) items per noise)",
  groups: NoiseKind.allCases.map { "\($0.rawValue) noise" },
  yLabel: "SI-SDR improvement (dB)")
for (name, values, color) in chartSeries {
  chart.series(name, values: values, color: color)
}
try chart.write(to: try options.figure("07-comparison.png"), width: 900, height: 520)
