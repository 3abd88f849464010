import Audio
import Denoising
import Foundation
import Prior

/// A stopping rule to compare, and whether it watches the raw outputs or their moving
/// average (its loss is then the average's, and the average is what it keeps).
public struct RuleCandidate: Equatable, Sendable {
  /// The rule, as `PriorEnhancer.stop` names it (not `.fixed`: a fixed count is judged on
  /// its own).
  public let stop: PriorStop
  public let watchesAverage: Bool

  public init(_ stop: PriorStop, watchesAverage: Bool) {
    self.stop = stop
    self.watchesAverage = watchesAverage
  }

  /// "discrepancy", "moving variance, EMA".
  public var name: String {
    let rule =
      switch stop {
      case .fixed: "fixed count"
      case .discrepancy: "discrepancy"
      case .movingVariance: "moving variance"
      case .heldOut: "held-out bins"
      }
    return watchesAverage ? rule + ", EMA" : rule
  }
}

/// One fit of one noisy item, run to the budget and scored at every evaluation step against
/// the clean segment, with the iteration each rule chose on the way.
public struct StoppingTrace: Codable, Sendable {
  /// The item's noise kind and input SNR (dB).
  public var noise = NoiseKind.white
  public var snrDB = 0.0
  /// The evaluated iterations, `0, k, 2k, …, budget`.
  public var iterations: [Int] = []
  /// The loss of the raw output and of the moving average at each evaluated iteration.
  public var loss: [Double] = []
  public var averageLoss: [Double] = []
  /// Per gain (in the order given to `trace`): SNR and SI-SDR (dB) of the enhanced segment
  /// at each evaluated iteration, from the raw output and from the moving average.
  public var snr: [[Double]] = []
  public var siSDR: [[Double]] = []
  public var averageSNR: [[Double]] = []
  public var averageSISDR: [[Double]] = []
  /// SNR and SI-SDR of the noisy input.
  public var noisySNR = 0.0
  public var noisySISDR = 0.0
  /// The target's noise variance from its quietest frames (what the discrepancy rule uses).
  public var noiseVariance = 0.0
  /// Rule name → the index into `iterations` it chose.
  public var chosen: [String: Int] = [:]
  /// Rule name → the index into `iterations` where it stopped the fit (the last one when it
  /// never did): what the rule costs.
  public var ended: [String: Int] = [:]
  /// Iteration → the raw output there, for the iterations `trace` was asked to keep (not
  /// part of the trace's saved form).
  public var outputs: [Int: [Float]] = [:]

  /// An empty trace, to be filled in evaluation step by evaluation step.
  public init() {}

  private enum CodingKeys: String, CodingKey {
    case noise, snrDB, iterations, loss, averageLoss, snr, siSDR, averageSNR, averageSISDR
    case noisySNR, noisySISDR, noiseVariance, chosen, ended
  }

  /// SNR (dB) of gain `g` at each evaluated iteration, from the raw outputs or their average.
  public func snr(gain g: Int, average: Bool) -> [Double] { average ? averageSNR[g] : snr[g] }

  /// SI-SDR (dB) of gain `g` at each evaluated iteration, from the raw outputs or their
  /// average.
  public func siSDR(gain g: Int, average: Bool) -> [Double] {
    average ? averageSISDR[g] : siSDR[g]
  }

  /// The SI-SDR improvement over the noisy input of gain `g` at each evaluated iteration, from
  /// the raw outputs or from their average.
  public func siSDRImprovement(gain g: Int, average: Bool = false) -> [Double] {
    siSDR(gain: g, average: average).map { $0 - noisySISDR }
  }

  /// The index of the best SI-SDR of gain `g` from the raw outputs or from the average: the
  /// oracle's choice (the earliest on a tie).
  public func oracleIndex(gain g: Int, average: Bool) -> Int {
    indexOfMaximum(siSDR(gain: g, average: average))
  }
}

extension StoppingTrace {
  /// This trace with the gains of `other`, a trace of another fit of the same item at the
  /// same iterations, after its own: to compare fits of several models as one set of gains.
  public func appendingGains(of other: StoppingTrace) -> StoppingTrace {
    precondition(other.iterations == iterations, "the traces evaluate other iterations")
    var joined = self
    joined.snr += other.snr
    joined.siSDR += other.siSDR
    joined.averageSNR += other.averageSNR
    joined.averageSISDR += other.averageSISDR
    return joined
  }
}

/// The index of the largest of `values`, the earliest on a tie.
func indexOfMaximum(_ values: [Double]) -> Int {
  values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }!
}

extension PriorEnhancer {
  /// Fits `item`'s noisy segment to the budget (the enhancer's `stop` and `gain` are
  /// ignored), scoring the segment enhanced by each of `gains` at every evaluation step and
  /// feeding every candidate rule; the enhancer must keep a moving average (`averageDecay`)
  /// for candidates that watch it. The raw outputs at the evaluated iterations in `keeping`
  /// are kept in the trace.
  public func trace(
    _ item: EvaluationItem, gains: [Reconstruction], rules: [RuleCandidate], keeping: Set<Int> = []
  ) throws(EvaluationError) -> StoppingTrace {
    try wrappingErrors { try traceThrowingAny(item, gains: gains, rules: rules, keeping: keeping) }
  }

  private func traceThrowingAny(
    _ item: EvaluationItem, gains: [Reconstruction], rules: [RuleCandidate], keeping: Set<Int>
  ) throws -> StoppingTrace {
    let target = try FitTarget(noisy: item.noisy, domain: domain)
    var trace = try StoppingTrace(of: item, scores: gains.count)
    trace.noiseVariance = quietColumnsVariance(
      image: target.image, rows: target.rows, columns: target.frames)
    (trace.averageSNR, trace.averageSISDR) = (trace.snr, trace.snr)
    var instances = rules.map { rule in
      var enhancer = self
      enhancer.stop = rule.stop
      return enhancer.stoppingRule(for: target)
    }
    var stopped = [Bool](repeating: false, count: rules.count)
    var failure: Error? = nil
    try fit(target) { step in
      do {
        let average = step.average ?? step.output
        let averageLoss = Double(meanSquaredError(average, target.image))
        let index = trace.iterations.count
        trace.iterations.append(step.iteration)
        trace.loss.append(step.loss)
        trace.averageLoss.append(averageLoss)
        if keeping.contains(step.iteration) { trace.outputs[step.iteration] = step.output }
        for (g, gain) in gains.enumerated() {
          var enhancer = self
          enhancer.gain = gain
          for (image, isAverage) in [(step.output, false), (average, true)] {
            let output = try enhancer.enhanced(
              image, target: target, noisePower: step.noisePower)
            let (s, d) = (
              try snr(reference: item.clean, estimate: output),
              try siSDR(reference: item.clean, estimate: output)
            )
            if isAverage {
              trace.averageSNR[g].append(s)
              trace.averageSISDR[g].append(d)
            } else {
              trace.snr[g].append(s)
              trace.siSDR[g].append(d)
            }
          }
        }
        for r in rules.indices where !stopped[r] {
          let watched = rules[r].watchesAverage
          let observed = FitStep(
            iteration: step.iteration, loss: watched ? averageLoss : step.loss,
            output: watched ? average : step.output, heldOutLoss: step.heldOutLoss)
          stopped[r] = instances[r].observe(observed)
          if instances[r].chosenIteration == step.iteration { trace.chosen[rules[r].name] = index }
          trace.ended[rules[r].name] = index
        }
      } catch {
        failure = error
        return true
      }
      return false
    }
    if let failure { throw failure }
    return trace
  }
}

extension StoppingTrace {
  /// An empty trace of `item` with `count` score curves: its noise kind and input SNR, and the
  /// noisy input's own SNR and SI-SDR against the clean segment.
  init(of item: EvaluationItem, scores count: Int) throws {
    (noise, snrDB) = (item.noise, item.snrDB)
    noisySNR = try Audio.snr(reference: item.clean, estimate: item.noisy)
    noisySISDR = try Audio.siSDR(reference: item.clean, estimate: item.noisy)
    snr = Array(repeating: [], count: count)
    siSDR = snr
  }
}
