import Denoising
import Foundation
import Prior

/// The settings of the prior method that chapter 7's evaluation chooses, computed from the
/// traces of its fits: the gain whose best rule (one that does not need the clean signal)
/// improves SI-SDR most, that rule, and the best fixed count of that gain on the raw outputs.
///
/// `PriorEnhancer.recommended`, which `denoise` runs, holds these settings; a test
/// recomputes them from the traces chapter 7 saved, so the two cannot drift apart.
public struct PriorRecommendation: Equatable, Sendable, CustomStringConvertible {
  /// The chosen gain, one of the gains the traces were scored with.
  public let gain: Reconstruction
  /// The winning rule for that gain.
  public let rule: RuleCandidate
  /// The best fixed count of that gain on the raw outputs.
  public let fixedIterations: Int

  /// - Parameters:
  ///   - traces: one per item, scored with `gains` in order, fed every rule of `rules`.
  public init(traces: [StoppingTrace], gains: [Reconstruction], rules: [RuleCandidate]) {
    precondition(!traces.isEmpty && !gains.isEmpty && !rules.isEmpty, "nothing to choose from")
    let noises = traces.map(\.noise)
    let winners = gains.indices.map { g in
      winningRule(
        traces.verdicts(
          gain: g, choices: traces.choices(gain: g, rules: rules),
          noises: noises))!
    }
    let best = winners.indices.max { winners[$0].siSDR.all < winners[$1].siSDR.all }!
    gain = gains[best]
    guard case .rule(let rule) = winners[best].choice.kind else { preconditionFailure() }
    self.rule = rule
    fixedIterations = traces[0].iterations[traces.bestFixedIndex(gain: best, average: false)]
  }

  /// "Wiener gain × DD Wiener, moving variance, or 180 iterations fixed".
  public var description: String { "\(gain), \(rule.name), or \(fixedIterations) iterations fixed" }

  /// The gains chapter 7 compares, with their names in its tables: the fit's Wiener gain with
  /// the noise power of the baselines (the quietest frames), and its geometric mean with the
  /// decision-directed Wiener gain.
  public static let candidateGains: [(name: String, gain: Reconstruction)] = [
    ("prior fit, Wiener gain", .wienerGain(floor: 0.1, noise: .quietFrames)),
    ("prior fit × DD Wiener", .withDecisionDirected(floor: 0.1)),
  ]

  /// The rules chapter 7 compares: the discrepancy rule at the quiet-column noise level and
  /// the windowed moving variance, each on the raw outputs and on their moving average.
  public static func candidateRules(window: Int, patience: Int) -> [RuleCandidate] {
    [false, true].flatMap { average in
      [
        RuleCandidate(.discrepancy(margin: 1), watchesAverage: average),
        RuleCandidate(.movingVariance(window: window, patience: patience), watchesAverage: average),
      ]
    }
  }

  /// The recommendation as the enhancer `denoise --method prior` runs: the rule within the
  /// budget of `base`, or the fixed count; the other settings of `base` unchanged.
  public func enhancer(autoStop: Bool, base: PriorEnhancer) -> PriorEnhancer {
    var prior = base
    prior.gain = gain
    prior.stop = autoStop ? rule.stop : .fixed
    prior.averageDecay = autoStop && rule.watchesAverage ? base.averageDecay ?? 0.99 : nil
    if !autoStop { prior.iterations = fixedIterations }
    return prior
  }
}

/// The traces of chapter 7's fits as the chapter saves them (`data/chapter07-traces.json`),
/// with what they were scored and fed with.
public struct SavedTraces: Codable, Sendable {
  /// The enhancer's domain, budget and evaluation interval, as text for people.
  public var settings: String
  /// The gains' and rules' names, in the order of the traces' per-gain values.
  public var gains: [String]
  public var rules: [String]
  public var traces: [StoppingTrace]

  public init(settings: String, gains: [String], rules: [String], traces: [StoppingTrace]) {
    (self.settings, self.gains, self.rules, self.traces) = (settings, gains, rules, traces)
  }

  /// Reads saved traces.
  public init(path: String) throws(EvaluationError) {
    do {
      self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw .invalidArgument(argument: path, reason: "cannot read saved traces: \(error)")
    }
  }

  /// Writes the traces as JSON, keys sorted so that reruns diff cleanly.
  public func write(to path: String) throws(EvaluationError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    } catch {
      throw .invalidArgument(argument: path, reason: "cannot write the traces: \(error)")
    }
  }
}
