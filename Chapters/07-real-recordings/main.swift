// Chapter 7: real recordings, without an oracle. The evaluation set, the classical baselines
// through the `denoise` pipeline, what their noise estimate costs, the noise level a
// discrepancy rule must find, the prior fit under every stopping rule, two network seeds
// averaged, all methods side by side, and how they sound. The measurements are Evaluation's.
import Audio
import ChapterSupport
import Denoising
import Evaluation
import Foundation
import Plot
import Prior
import Spectral
import Suppression
import Tensors

ensureFastBLASKernels()
let options = ChapterOptions.fromCommandLine()
let kinds = NoiseKind.allCases

/// A table row: a name, then the improvement by noise and over all, in dB.
func improvementRow(_ name: [String], _ improvement: Improvement) -> [String] {
  name + improvement.byNoise.map { fixed($0, 2) } + [fixed(improvement.all, 2)]
}

// MARK: The evaluation set
section("The evaluation set")
let clips = try EvaluationSet.clipFiles.map { try SpeechClip(path: "data/" + $0) }
let snrLevels: [Double] = options.quick ? [5] : [0, 5, 10]
let evaluation = try EvaluationSet(
  clips: clips, targets: options.quick ? [0] : nil, snrs: snrLevels)
var setTable = Table(["clean segments", "noises", "SNRs (dB)", "items", "segment"])
let list = { (values: [String]) in values.joined(separator: ", ") }
setTable.add([
  list(Set(evaluation.items.map(\.clip)).sorted()), list(kinds.map(\.rawValue)),
  list(snrLevels.map { "\(Int($0))" }),
  "\(evaluation.items.count)", "32 640 samples, 2.04 s at 16 kHz",
])
setTable.print()

// MARK: The baselines through the pipeline
section("Mean SNR and SI-SDR of each method, by noise (dB)")
// Every method runs through the same pipeline as the `denoise` command. The last row is not a
// method: it hands the Wiener filter the true noise power, measured on the noise itself, to
// show what the noise estimate costs.
let stft = try STFT(nFFT: 512, hop: 128)
let oracleName = "DD Wiener, true noise power"
let methods: [(name: String, enhancer: (EvaluationItem) throws -> any Enhancer)] = [
  ("noisy input", { _ in IdentityEnhancer() }),
  ("spectral subtraction", { _ in SpectralSubtraction() }),
  ("DD Wiener", { _ in DecisionDirectedWiener() }),
  (oracleName, { item in try item.oracleWiener(stft: stft) }),
]
var scores: [String: [EvaluationScore]] = [:]
var seconds: [String: Double] = [:]
for method in methods {
  let start = monotonicSeconds()
  scores[method.name] = try evaluation.scores(of: method.enhancer)
  seconds[method.name] = monotonicSeconds() - start
}
let noisyScores = scores["noisy input"]!
let noisySNR = meanByNoise(noisyScores) { $0.snr }
let noisySISDR = meanByNoise(noisyScores) { $0.siSDR }
var table = Table(["method", "noise", "SNR", "SI-SDR", "Δ SNR", "Δ SI-SDR"])
for method in methods {
  let snrs = meanByNoise(scores[method.name]!) { $0.snr }
  let sdrs = meanByNoise(scores[method.name]!) { $0.siSDR }
  for (n, kind) in kinds.enumerated() {
    table.add([
      method.name, kind.rawValue, fixed(snrs[n], 2), fixed(sdrs[n], 2),
      fixed(snrs[n] - noisySNR[n], 2), fixed(sdrs[n] - noisySISDR[n], 2),
    ])
  }
}
table.print()

section("Mean SI-SDR improvement by input SNR (dB), all noises")
var bySNR = Table(["method"] + snrLevels.map { "\(Int($0)) dB in" } + ["ms per 2.04 s item"])
for method in methods.dropFirst() {
  let gains = meanImprovementBySNR(scores[method.name]!, over: noisyScores, levels: snrLevels)
  let ms = 1000 * seconds[method.name]! / Double(evaluation.items.count)
  bySNR.add([method.name] + gains.map { fixed($0, 2) } + [fixed(ms, 1)])
}
bySNR.print()

// MARK: Where the noise estimate goes wrong
section("Noise power from the quietest 10 % of frames vs. the true noise power, by band (dB)")
let bands: [(name: String, bins: Range<Int>)] = [
  ("0-125 Hz", 0..<4), ("125-500 Hz", 4..<16), ("0.5-2 kHz", 16..<64), ("2-4 kHz", 64..<128),
  ("4-8 kHz", 128..<257),
]
var estimateTable = Table(["noise"] + bands.map(\.name) + ["share of noise < 125 Hz"])
for kind in kinds {
  let error = try QuietFramesError(
    items: evaluation.items.filter { $0.noise == kind }, stft: stft, bands: bands.map(\.bins),
    lowBins: 0..<4)
  estimateTable.add(
    [kind.rawValue] + error.bandDecibels.map { fixed($0, 1) }
      + ["\(fixed(100 * error.lowShare, 0)) %"])
}
estimateTable.print()

// MARK: How closely a noise estimate must follow the noise
section("DD Wiener given the true noise power, averaged over windows of frames (Δ SI-SDR, dB)")
// Still an oracle: the noise itself, averaged over the frames around each one (a hop is
// 8 ms). A window as long as the segment is the oracle row above; the shorter the window, the
// more of the noise's changes the filter is told about.
var windowTable = Table(["window", "frames"] + kinds.map(\.rawValue) + ["all"])
for radius in [0, 2, 7, 15, 31, 255] {
  let gain = try evaluation.wienerImprovement(over: noisyScores) { item in
    try item.windowedTrueNoisePower(stft: stft, radius: radius)
  }
  windowTable.add(improvementRow(frameWindowColumns(radius: radius), gain))
}
windowTable.print()

section("DD Wiener given the minimum of the smoothed noisy power over windows (Δ SI-SDR, dB)")
// Not an oracle: the noisy power smoothed over time (α = 0.7) and its minimum over the frames
// around each one, scaled by the factor that makes it unbiased on white noise (measured on a
// noise draw of its own, bins 1…255). The minimum over a window follows the noise more
// closely the shorter the window, as the oracle above asks for; it also lands on speech.
let smoothing: Float = 0.7
var minimumTable = Table(["window", "frames", "bias factor"] + kinds.map(\.rawValue) + ["all"])
for radius in [7, 15, 31, 62, 255] {
  let (bias, gain) = try evaluation.minimumTrackedWienerImprovement(
    over: noisyScores, stft: stft, smoothing: smoothing, radius: radius)
  minimumTable.add(improvementRow(frameWindowColumns(radius: radius) + [fixed(bias, 2)], gain))
}
minimumTable.print()

// MARK: The noise level a discrepancy rule must find
section("Noise variance of the fitted image (p = 0.3): actual, over noise draws, and estimates")
// The image the prior fit below fits: |X|^0.3 of bins 0…255, divided by the noisy image's
// maximum. Its noise is what changes from one noise draw to the next (`ImageNoiseLevel`).
let priorDomain = TargetDomain.power(exponent: 0.3)
let draws = options.quick ? 2 : 6
let redrawn = try (1..<draws).map { d in
  try EvaluationSet(
    clips: clips, targets: options.quick ? [0] : nil, snrs: snrLevels,
    seed: 7 + 100_000 * UInt64(d))
}
var noiseTable = Table([
  "noise", "input SNR (dB)", "actual σ²", "quiet frames", "ratio", "diagonal detail", "ratio",
])
let imageLevels = try evaluation.imageNoiseLevels(redrawn: redrawn, domain: priorDomain)
for kind in kinds {
  for level in snrLevels {
    let mean = evaluation.meanImageNoiseLevel(imageLevels, noise: kind, snrDB: level)
    noiseTable.add([
      kind.rawValue, "\(Int(level))", String(format: "%.2e", mean.actual),
      String(format: "%.2e", mean.quietColumns), fixed(mean.quietColumns / mean.actual, 2),
      String(format: "%.2e", mean.diagonalDetail), fixed(mean.diagonalDetail / mean.actual, 2),
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
prior.iterations = options.quick ? 10 : PriorEnhancer.noisyImageBudget
prior.evaluationInterval = options.quick ? 2 : 10
prior.averageDecay = 0.99
let priorGains = PriorRecommendation.candidateGains
let rules = PriorRecommendation.candidateRules(
  window: options.quick ? 2 : 10, patience: options.quick ? 2 : 10)
let priorItems = options.quick ? [evaluation.items[0]] : evaluation.items
var traces: [StoppingTrace] = []
let fitStart = monotonicSeconds()
for (n, item) in priorItems.enumerated() {
  traces.append(try prior.trace(item, gains: priorGains.map(\.gain), rules: rules))
  if (n + 1) % 9 == 0 || n + 1 == priorItems.count {
    print("  \(n + 1) of \(priorItems.count) fits, \(fixed(monotonicSeconds() - fitStart, 0)) s")
  }
}
let priorSeconds = (monotonicSeconds() - fitStart) / Double(priorItems.count)
let steps = traces[0].iterations
var winners: [StopVerdict] = []
var untrained: [StopVerdict] = []
for (g, method) in priorGains.enumerated() {
  let verdicts = traces.verdicts(
    gain: g, choices: traces.choices(gain: g, rules: rules), noises: traces.map(\.noise))
  var stopTable = Table(
    ["\(method.name): stop", "chosen it.", "run it.", "Δ SNR", "Δ SI-SDR"]
      + kinds.map { "Δ SI-SDR \($0.rawValue)" })
  for verdict in verdicts {
    stopTable.add(
      [
        verdict.choice.name(iterations: steps), fixed(verdict.meanChosen, 0),
        fixed(verdict.meanCost, 0), fixed(verdict.snr.all, 2), fixed(verdict.siSDR.all, 2),
      ] + verdict.siSDR.byNoise.map { fixed($0, 2) })
  }
  stopTable.print()
  untrained.append(verdicts[0])
  let winner = winningRule(verdicts)!
  winners.append(winner)
  print(
    "  winner without the clean signal: \(winner.choice.name(iterations: steps)), "
      + "Δ SI-SDR \(fixed(winner.siSDR.all, 2)) dB\n")
}
print(
  "  one fit of \(prior.iterations) iterations, scored every \(prior.evaluationInterval): "
    + "\(fixed(priorSeconds, 1)) s per item")

// What `denoise --method prior` runs is what these traces choose; the test suite recomputes it
// from the saved traces and checks it against `PriorEnhancer.recommended`.
let recommendation = PriorRecommendation(
  traces: traces, gains: priorGains.map(\.gain), rules: rules)
print("  recommended: \(recommendation), within \(prior.iterations) iterations\n")
try SavedTraces(
  settings: "domain \(priorDomain), budget \(prior.iterations), every \(prior.evaluationInterval)",
  gains: priorGains.map { "\($0.gain)" }, rules: rules.map(\.name), traces: traces
).write(to: options.figure("07-traces.json"))

// MARK: Several seeds, averaged
section("Two network seeds, alone and averaged, at fixed counts (Δ SI-SDR, dB)")
// The Deep Image Prior averages outputs to lower their variance; here the average is over
// network seeds instead of iterations, at each gain's best fixed count above.
let seedCounts = priorGains.indices.map { steps[traces.bestFixedIndex(gain: $0, average: false)] }
let seedGains = try prior.seedAveraging(
  priorItems, counts: seedCounts, gains: priorGains.map(\.gain))  // [gain][variant]
var seedTable = Table(["method", "iterations", "fit"] + kinds.map(\.rawValue) + ["all"])
for (g, method) in priorGains.enumerated() {
  for (v, variant) in ["seed 0", "seed 1", "seeds 0 and 1 averaged"].enumerated() {
    seedTable.add(improvementRow([method.name, "\(seedCounts[g])", variant], seedGains[g][v]))
  }
}
seedTable.print()

// MARK: Figure: the stopping rules on three items
// speech.wav at 5 dB in white, pink and babble noise (or the first items with --quick).
let shown = kinds.compactMap { kind in
  traces.indices.first { traces[$0].noise == kind && traces[$0].snrDB == 5 }
}
var panels: [any Chart] = []
for t in shown {
  let (trace, x) = (traces[t], traces[t].iterations.map(Double.init))
  var plot = LinePlot(
    title: "\(priorItems[t].clip), \(trace.noise.rawValue) noise, 5 dB",
    xLabel: "iteration", yLabel: "SI-SDR improvement (dB)")
  let (raw, ema) = (trace.siSDRImprovement(gain: 0), trace.siSDRImprovement(gain: 0, average: true))
  plot.line(x: x, y: raw, label: "raw output")
  plot.line(x: x, y: ema, label: "EMA of outputs", dashed: true)
  for (r, rule) in rules.enumerated() {
    let i = trace.chosen[rule.name]!
    let y = (rule.watchesAverage ? ema : raw)[i]
    plot.points(x: [x[i]], y: [y], label: rule.name, color: Color.palette(r + 2))
  }
  let o = trace.oracleIndex(gain: 0, average: false)
  plot.mark(x: x[o], y: raw[o], label: "oracle")
  panels.append(plot)
}
try Grid(
  columns: panels.count, panels: panels,
  title: "\(priorGains[0].name): SI-SDR over the fit, and where each rule stops"
).write(to: try options.figure("07-stopping.png"), width: 1500, height: 520)

// MARK: All methods
section("All methods: mean SI-SDR improvement by noise (dB)")
var finalTable = Table(["method"] + kinds.map(\.rawValue) + ["all"])
var chart = BarChart(
  title: "SI-SDR improvement over the noisy input: mean (bars), items (dots), "
    + "\(evaluation.items.count / 3) items per noise",
  groups: kinds.map { "\($0.rawValue) noise" }, yLabel: "SI-SDR improvement (dB)")
@MainActor func addRow(_ name: String, _ gain: Improvement, control: Bool = false) {
  finalTable.add(improvementRow([name], gain))
  let (items, color): ([[Double]], Color?) = (gain.itemsByNoise, control ? .gray : nil)
  chart.series(name, values: gain.byNoise, items: items, color: color, hatched: control)
}
for method in methods.dropFirst() {
  let name = method.name == oracleName ? "\(oracleName) (oracle)" : method.name
  addRow(name, Improvement(siSDR: scores[method.name]!, over: noisyScores))
}
if !options.quick {
  for (g, method) in priorGains.enumerated() {
    addRow("\(method.name), \(winners[g].choice.name(iterations: steps))", winners[g].siSDR)
  }
  addRow("untrained network × DD Wiener (control)", untrained[1].siSDR, control: true)
}
finalTable.print()
try chart.write(to: try options.figure("07-comparison.png"), width: 1000, height: 600)
try Diagram.crossfade(Segmenter.samples.weights).write(to: options.figure("07-crossfade.png"))

// MARK: Sounds: the items of the figure above, as the default and the Wiener filter leave them
let defaultPrior = recommendation.enhancer(autoStop: true, base: prior)
let sounds = try ListeningClips(
  items: shown.map { priorItems[$0] }, prefix: "07",
  methods: [("prior", defaultPrior), ("wiener", DecisionDirectedWiener())])
for path in try sounds.write(to: { try options.figure($0) }) { print("wrote \(path)") }

section("Each target domain on the 0 and 10 dB items, its count chosen on the 5 dB ones (dB)")
let domainRows = try prior.domainComparison(
  priorItems, domains: options.quick ? [] : TargetDomain.compared, fitted: traces,
  gains: priorGains, choosingSNR: 5)
var domainTable = Table(["domain", "method", "Δ SI-SDR at"] + kinds.map(\.rawValue) + ["all"])
for r in domainRows { domainTable.add(improvementRow(["\(r.domain)", r.gain, r.stop], r.siSDR)) }
domainTable.print()
