import Audio
import Denoising
import Prior

/// One way to turn a fit's accumulated fluctuations (`FluctuationAccumulator`) into a gain on
/// the noisy spectrogram.
public struct FluctuationVariant: Hashable, Sendable, CustomStringConvertible {
  /// How the map is brought to [0, 1].
  public var normaliser: FluctuationNormaliser
  /// The first iteration accumulated. The network's first steps move it from its random
  /// output to a rough drawing of the speech, a large change that is not noise; a later
  /// start leaves them out.
  public var from: Int
  /// Whether the mask multiplies the enhancer's own gain; otherwise the mask is the gain.
  public var timesPriorGain: Bool

  public init(normaliser: FluctuationNormaliser, from: Int, timesPriorGain: Bool) {
    (self.normaliser, self.from, self.timesPriorGain) = (normaliser, from, timesPriorGain)
  }

  /// "mask (÷ its maximum, from 50) × prior gain".
  public var description: String {
    "mask (÷ \(normaliser.rawValue), from \(from))" + (timesPriorGain ? " × prior gain" : "")
  }

  /// The variants chapter 8 compares: both normalisers, from the untrained network or from
  /// iteration 50, alone and times the prior's gain.
  public static let compared: [FluctuationVariant] = [false, true].flatMap { times in
    [0, 50].flatMap { from in
      FluctuationNormaliser.allCases.map {
        FluctuationVariant(normaliser: $0, from: from, timesPriorGain: times)
      }
    }
  }
}

/// The floor of every fluctuation mask, the floor of the library's other gains.
let fluctuationMaskFloor: Float = 0.1

extension PriorEnhancer {
  /// Fits `item`'s noisy segment to the budget, accumulating the fluctuations of the output at
  /// every iteration, and scores the segment enhanced by each variant's gain at every
  /// `evaluationInterval`-th iteration, as `trace` scores its gains (the variants are its
  /// gains; there are no rules and no moving average). A variant times the prior's gain
  /// uses this enhancer's `gain`.
  public func fluctuationTrace(_ item: EvaluationItem, variants: [FluctuationVariant])
    throws(EvaluationError) -> StoppingTrace
  {
    try wrappingErrors { try fluctuationTraceThrowingAny(item, variants: variants) }
  }

  private func fluctuationTraceThrowingAny(
    _ item: EvaluationItem, variants: [FluctuationVariant]
  ) throws -> StoppingTrace {
    let target = try FitTarget(noisy: item.noisy, domain: domain)
    var trace = try StoppingTrace(of: item, scores: variants.count)
    // One accumulator per starting iteration, shared by the variants that start there.
    var accumulators = Dictionary(
      uniqueKeysWithValues: Set(variants.map(\.from)).map {
        ($0, FluctuationAccumulator(rows: target.rows, frames: target.frames))
      })
    let starts = Array(accumulators.keys)
    var everyIteration = self
    everyIteration.evaluationInterval = 1
    var failure: Error? = nil
    try everyIteration.fit(target) { step in
      for from in starts where step.iteration >= from {
        accumulators[from]!.add(step.output)
      }
      guard step.iteration % evaluationInterval == 0 || step.iteration == iterations else {
        return false
      }
      do {
        trace.iterations.append(step.iteration)
        trace.loss.append(step.loss)
        let prior = try gain(of: step.output, target: target, noisePower: step.noisePower)
        for (v, variant) in variants.enumerated() {
          let mask = accumulators[variant.from]!.speechMask(
            normalisedBy: variant.normaliser, floor: fluctuationMaskFloor)
          // The image leaves out the Nyquist bin: it takes the row below it.
          var gain = mask + mask[((target.rows - 1) * target.frames)...]
          if variant.timesPriorGain { gain = zip(gain, prior).map { $0 * $1 } }
          let output = try target.audio(gain: gain)
          trace.snr[v].append(try snr(reference: item.clean, estimate: output))
          trace.siSDR[v].append(try siSDR(reference: item.clean, estimate: output))
        }
      } catch {
        failure = error
        return true
      }
      return false
    }
    if let failure { throw failure }
    (trace.averageSNR, trace.averageSISDR, trace.averageLoss) = (trace.snr, trace.siSDR, trace.loss)
    return trace
  }
}

/// The fluctuation masks as chapter 8 reports them: every variant on one half at its best
/// fixed count among those where its mask has seen a change, and the best of them on the
/// other half at iteration 0, at that count and at each item's best iteration.
public struct FluctuationReport: Sendable {
  /// A row of the table: the half, the variant, the stop, the mean iterations kept, and the
  /// mean SI-SDR improvement.
  public typealias Row = (
    half: String, gain: String, stop: String, kept: String, siSDR: Improvement
  )
  /// The variant with the best selection mean at its best count, the one reported.
  public let variant: FluctuationVariant
  /// That count, in iterations.
  public let iterations: Int
  /// Every variant on the selection half, then the chosen one on the report half.
  public let rows: [Row]

  /// Traces every variant on both halves with `prior` (its model and budget) and `gain` as
  /// the prior's gain, chooses on `selection` and reports on `report`; a variant that starts
  /// at or after the budget is left out.
  public init(
    _ prior: PriorEnhancer, gain: Reconstruction, selection: [EvaluationItem],
    report: [EvaluationItem], variants: [FluctuationVariant] = FluctuationVariant.compared
  ) throws(EvaluationError) {
    var prior = prior
    prior.gain = gain
    let variants = variants.filter { $0.from < prior.iterations }
    let chosen = try selection.map { item throws(EvaluationError) in
      try prior.fluctuationTrace(item, variants: variants)
    }
    let counts = chosen[0].iterations
    let totals = variants.indices.map { v in
      counts.indices.map { i in chosen.reduce(0.0) { $0 + $1.siSDR[v][i] } }
    }
    // Each variant's best count among those where its mask has seen a change: at or before
    // its first accumulated iteration the mask is 1, and the variant is the gain without it.
    let best = variants.indices.map { v in
      let seen = counts.indices.filter { counts[$0] > variants[v].from }
      return seen[indexOfMaximum(seen.map { totals[v][$0] })]
    }
    let candidates: [Row] = variants.indices.map { v in
      let verdict = chosen.verdicts(
        gain: v, choices: [StopChoice(.bestFixed(index: best[v]))],
        noises: selection.map(\.noise))
      return ("selection", "\(variants[v])", "best count", "\(counts[best[v]])", verdict[0].siSDR)
    }
    let v = indexOfMaximum(variants.indices.map { totals[$0][best[$0]] })
    let index = best[v]
    (variant, iterations) = (variants[v], counts[index])
    let traces = try report.map { item throws(EvaluationError) in
      try prior.fluctuationTrace(item, variants: [variants[v]])
    }
    let verdicts = traces.verdicts(
      gain: 0,
      choices: [StopChoice(.untrained), StopChoice(.bestFixed(index: index)), StopChoice(.oracle)],
      noises: report.map(\.noise))
    let stops = [
      "untrained network (iteration 0)",
      "fixed count from the selection half, \(counts[index])", "oracle best iteration",
    ]
    rows =
      candidates
      + zip(stops, verdicts).map {
        ("report", "\(variants[v])", $0, "\(Int($1.meanChosen.rounded()))", $1.siSDR)
      }
  }
}
