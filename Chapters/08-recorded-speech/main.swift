// Chapter 8: recorded speech. The speech + noise model of chapter 6 against the strongest
// classical methods, on two real speakers: every setting chosen on one speaker (awb) and
// reported on the other (slt), each prior row beside its untrained network, its best fixed
// count and its oracle. The measurements are the Evaluation module's.
import Audio
import ChapterSupport
import Denoising
import Evaluation
import Foundation
import Plot
import Prior
import Suppression
import Tensors

ensureFastBLASKernels()
let options = ChapterOptions.fromCommandLine()
let kinds = NoiseKind.allCases

// MARK: The recordings
section("Recorded speech, split by speaker")
let split = try EvaluationSet.realSpeech(
  noises: options.quick ? [.white] : kinds, snrs: options.quick ? [5] : [0, 5, 10])
var setTable = Table(["half", "speakers", "items", "chooses or reports"])
for half in RealSpeechSplit.Half.allCases {
  setTable.add([
    half.rawValue, split.speakers(in: half).joined(separator: ", "),
    "\(split[half].items.count)", half == .selection ? "chooses every setting" : "reports them",
  ])
}
setTable.print()

/// A method's outputs on every item of a set: SI-SDR improvement and STOI per item.
struct MethodScores {
  var improvement: [Double] = []
  var stoi: [Double] = []
  var outputs: [[Float]] = []
  var seconds = 0.0
  func byNoise(_ set: EvaluationSet) -> Improvement {
    Improvement(improvement, noises: set.items.map(\.noise))
  }
}

func run(_ enhancer: any Enhancer, on set: EvaluationSet) throws -> MethodScores {
  var scores = MethodScores()
  let start = monotonicSeconds()
  for item in set.items {
    let output = try Denoiser(enhancer: enhancer)
      .denoise(AudioBuffer(mono: item.noisy, sampleRate: Denoiser.fittingRate)).samples
    scores.improvement.append(
      try siSDR(reference: item.clean, estimate: output)
        - siSDR(reference: item.clean, estimate: item.noisy))
    scores.stoi.append(try stoi(clean: item.clean, processed: output, sampleRate: 16_000))
    scores.outputs.append(output)
  }
  scores.seconds = monotonicSeconds() - start
  return scores
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

// MARK: The classical methods
section("Classical methods: Δ SI-SDR by noise (dB) and STOI, on each half")
let tracker = SpeechPresenceNoiseTracker()
let classical: [(name: String, enhancer: any Enhancer)] = [
  ("DD Wiener", DecisionDirectedWiener()), ("DD LSA", DecisionDirectedLSA()),
  ("SPP + DD Wiener", DecisionDirectedWiener(noiseTracker: tracker)),
  ("SPP + DD LSA", DecisionDirectedLSA(noiseTracker: tracker)),
]
var noisySTOI: [RealSpeechSplit.Half: Double] = [:]
for half in RealSpeechSplit.Half.allCases {
  noisySTOI[half] = mean(
    try split[half].items.map { try stoi(clean: $0.clean, processed: $0.noisy, sampleRate: 16_000) }
  )
}
var classicalScores: [String: [RealSpeechSplit.Half: MethodScores]] = [:]
var classicalTable = Table(["method", "half"] + kinds.map(\.rawValue) + ["all", "STOI"])
for method in classical {
  for half in RealSpeechSplit.Half.allCases {
    let scores = try run(method.enhancer, on: split[half])
    classicalScores[method.name, default: [:]][half] = scores
    let gain = scores.byNoise(split[half])
    classicalTable.add(
      [method.name, half.rawValue] + gain.byNoise.map { fixed($0, 2) }
        + [fixed(gain.all, 2), fixed(mean(scores.stoi), 3)])
  }
}
for half in RealSpeechSplit.Half.allCases {
  classicalTable.add(
    ["noisy input", half.rawValue] + kinds.map { _ in "0" } + ["0", fixed(noisySTOI[half]!, 3)])
}
classicalTable.print()
let strongest = classical.max { a, b in
  classicalScores[a.name]![.selection]!.byNoise(split.selection).all
    < classicalScores[b.name]![.selection]!.byNoise(split.selection).all
}!
print("The strongest classical method on the selection half: \(strongest.name)")

// MARK: The prior, traced
section("The speech + noise prior on the selection half, by noise model and gain (Δ SI-SDR, dB)")
var prior = PriorEnhancer()
prior.domain = .power(exponent: 0.3)
prior.iterations = options.quick ? 10 : 250
prior.evaluationInterval = options.quick ? 5 : 25
let gains: [(name: String, gain: Reconstruction)] = [
  ("model Wiener S/(S+N)", .modelWiener()), ("model LSA", .modelLogSpectralAmplitude()),
  ("DD Wiener, model noise", .decisionDirectedModelNoise),
  ("model Wiener × DD Wiener", .modelWienerWithDecisionDirected()),
]
let models: [FitModel] =
  options.quick
  ? [.speechPlusNoise, .speechPlusBoundedNoise]
  : [.speechPlusNoise, .speechPlusVaryingNoise, .speechPlusBoundedNoise, .speechPlusTrackedNoise]
let rules = [
  RuleCandidate(.discrepancy(margin: 1), watchesAverage: false),
  RuleCandidate(.movingVariance(window: 10, patience: 10), watchesAverage: false),
]
// Every model's fit of every selection item, its gains one after the other: gain index
// m · gains.count + g is gain g of model m.
var selection: [StoppingTrace] = []
var traceSeconds = 0.0
for item in split.selection.items {
  var joined: StoppingTrace? = nil
  for model in models {
    var variant = prior
    variant.model = model
    let start = monotonicSeconds()
    let trace = try variant.trace(item, gains: gains.map(\.gain), rules: [])
    traceSeconds += monotonicSeconds() - start
    joined = joined?.appendingGains(of: trace) ?? trace
  }
  selection.append(joined!)
}
let iterations = selection[0].iterations
let selectionNoises = split.selection.items.map(\.noise)
var modelTable = Table(
  ["noise model", "gain", "untrained", "best fixed count"] + kinds.map(\.rawValue) + ["all"])
for (m, model) in models.enumerated() {
  for (g, gain) in gains.enumerated() {
    let k = m * gains.count + g
    let fixedIndex = selection.bestFixedIndex(gain: k, average: false, fitted: true)
    let verdicts = selection.verdicts(
      gain: k, choices: [StopChoice(.untrained), StopChoice(.bestFixed(index: fixedIndex))],
      noises: selectionNoises)
    modelTable.add(
      ["\(model)", gain.name, fixed(verdicts[0].siSDR.all, 2), "\(iterations[fixedIndex])"]
        + verdicts[1].siSDR.byNoise.map { fixed($0, 2) } + [fixed(verdicts[1].siSDR.all, 2)])
  }
}
modelTable.print()

// MARK: Chosen on one speaker, reported on the other
let (chosen, chosenFixed) = selection.bestGainAtItsBestFixedCount(gains: models.count * gains.count)
let (chosenModel, chosenGain) = (models[chosen / gains.count], chosen % gains.count)
// The selection half's traces decide `denoise`'s default; a test checks the two agree.
try SavedTraces(
  settings: "power 0.3, \(prior.iterations) iterations, every \(prior.evaluationInterval); "
    + "selection half",
  gains: models.flatMap { m in gains.map { "\(m): \($0.gain)" } }, rules: [], traces: selection
).write(to: options.figure("08-traces.json"))
prior.model = chosenModel
var heldOutPrior = prior
heldOutPrior.stop = .heldOut(fraction: 0.1, patience: 4)
let heldOutRule = RuleCandidate(heldOutPrior.stop, watchesAverage: false)
// The held-out rule needs fits of its own, with tiles held out; its fraction and patience
// are fixed in advance.
var report: [StoppingTrace] = []
var heldOutReport: [StoppingTrace] = []
for item in split.report.items {
  let start = monotonicSeconds()
  report.append(try prior.trace(item, gains: gains.map(\.gain), rules: rules))
  traceSeconds += monotonicSeconds() - start
  heldOutReport.append(try heldOutPrior.trace(item, gains: gains.map(\.gain), rules: [heldOutRule]))
}
section(
  "Report half (\(split.speakers(in: .report).joined(separator: ", "))): \(chosenModel), "
    + "\(gains[chosenGain].name), settings from the selection half (Δ SI-SDR, dB)")
let reportNoises = split.report.items.map(\.noise)
let choices =
  [
    StopChoice(.untrained), StopChoice(.bestFixed(index: chosenFixed)), StopChoice(.oracle),
  ] + rules.map { StopChoice(.rule($0)) }
var reportTable = Table(["stop", "mean iterations kept", "run"] + kinds.map(\.rawValue) + ["all"])
let verdicts =
  report.verdicts(gain: chosenGain, choices: choices, noises: reportNoises)
  + heldOutReport.verdicts(
    gain: chosenGain, choices: [StopChoice(.rule(heldOutRule))], noises: reportNoises)
for verdict in verdicts {
  let name =
    verdict.choice.kind == .bestFixed(index: chosenFixed)
    ? "fixed count from the selection half, \(iterations[chosenFixed])"
    : verdict.choice.name(iterations: iterations)
  reportTable.add(
    [name, fixed(verdict.meanChosen, 0), fixed(verdict.meanCost, 0)]
      + verdict.siSDR.byNoise.map { fixed($0, 2) } + [fixed(verdict.siSDR.all, 2)])
}
let strongestReport = classicalScores[strongest.name]![.report]!.byNoise(split.report)
reportTable.add(
  [strongest.name + " (strongest classical)", "", ""]
    + strongestReport.byNoise.map { fixed($0, 2) } + [fixed(strongestReport.all, 2)])
reportTable.print()
let fits = split.selection.items.count * models.count + split.report.items.count
print(
  "Fitting and scoring: \(fixed(traceSeconds / Double(fits), 1)) s per 2.04 s item, "
    + "\(prior.iterations) iterations (shared machine: see BENCHMARKS.md).")

// MARK: Two network seeds
// From the published work on untrained networks: the outputs of fits from different random
// networks differ most where they draw noise, so their average keeps what they agree on.
section("The report half's prior with one network seed and with two averaged (Δ SI-SDR, dB)")
var seedTable = Table(["outputs"] + kinds.map(\.rawValue) + ["all"])
let seeds = try prior.seedAveraging(
  split.report.items, counts: [iterations[chosenFixed]], gains: [gains[chosenGain].gain])[0]
for (name, improvement) in zip(["seed 0", "seed 1", "seeds 0 and 1 averaged"], seeds) {
  seedTable.add([name] + improvement.byNoise.map { fixed($0, 2) } + [fixed(improvement.all, 2)])
}
seedTable.print()

// MARK: Accumulated fluctuations
// From the same work: the bins where the fit's output keeps moving are the ones it fits late,
// the noise; each bin's accumulated change becomes a mask (`FluctuationAccumulator`).
section("Fluctuation masks: each at its best count on the selection half, the best on the report")
let masks = try FluctuationReport(
  prior, gain: gains[chosenGain].gain, selection: split.selection.items, report: split.report.items)
var maskTable = Table(["half", "gain", "stop", "kept"] + kinds.map(\.rawValue) + ["all"])
let fixedStop = "fixed count from the selection half, \(iterations[chosenFixed])"
for row in masks.rows + [
  ("report", gains[chosenGain].name, fixedStop, "\(iterations[chosenFixed])", verdicts[1].siSDR),
  ("report", strongest.name + " (strongest classical)", "", "", strongestReport),
] {
  maskTable.add(
    [row.half, row.gain, row.stop, row.kept] + row.siSDR.byNoise.map { fixed($0, 2) }
      + [fixed(row.siSDR.all, 2)])
}
maskTable.print()

// MARK: The chosen prior method through the pipeline, with STOI
section("The chosen prior method and the strongest classical one on the report half")
var chosenPrior = prior
chosenPrior.gain = gains[chosenGain].gain
chosenPrior.iterations = iterations[chosenFixed]
chosenPrior.stop = .fixed
let chosenScores = try run(chosenPrior, on: split.report)
let strongestScores = classicalScores[strongest.name]![.report]!
var finalTable = Table(["method", "Δ SI-SDR (dB)", "STOI", "seconds per 2.04 s item"])
for (name, scores) in [
  ("prior: \(gains[chosenGain].name), \(chosenPrior.iterations) iterations", chosenScores),
  (strongest.name, strongestScores),
] {
  finalTable.add([
    name, fixed(mean(scores.improvement), 2), fixed(mean(scores.stoi), 3),
    fixed(scores.seconds / Double(split.report.items.count), 2),
  ])
}
finalTable.add(["noisy input", "0", fixed(noisySTOI[.report]!, 3), ""])
finalTable.print()
// The outputs, for wideband PESQ through its reference implementation (`make pesq`).
let scoreFolder = options.quick ? try options.figure("08-scores") : "output/08-scores"
try split.report.writeClean(to: scoreFolder)
try split.report.write(outputs: chosenScores.outputs, method: "prior", to: scoreFolder)
try split.report.write(outputs: strongestScores.outputs, method: "spp-lsa", to: scoreFolder)
try split.report.write(outputs: split.report.items.map(\.noisy), method: "noisy", to: scoreFolder)
print("Wrote the report half's outputs to \(scoreFolder)/: make pesq DIR=\(scoreFolder)")

// MARK: The figure
var plot = LinePlot(
  title: "Report half (slt): the prior's gain by iteration, and \(strongest.name)",
  xLabel: "iteration", yLabel: "SI-SDR improvement (dB)")
for (n, kind) in kinds.enumerated() {
  let mine = report.indices.filter { reportNoises[$0] == kind }
  guard !mine.isEmpty else { continue }
  let curve = iterations.indices.map { i in
    mean(mine.map { report[$0].siSDRImprovement(gain: chosenGain)[i] })
  }
  let color = Color.palette(n)
  plot.line(
    x: iterations.map(Double.init), y: curve, label: "prior, \(kind.rawValue)", color: color)
  let level = strongestReport.byNoise[n]
  plot.line(
    x: [0, Double(iterations.last!)], y: [level, level],
    label: "\(strongest.name), \(kind.rawValue)",
    color: color, dashed: true)
}
try plot.write(to: try options.figure("08-recorded-speech.png"), width: 900, height: 520)
print("Wrote \(try options.figure("08-recorded-speech.png"))")
