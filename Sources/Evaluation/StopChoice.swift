/// One way to decide where the prior fit of every item stops, judged on the traces of the
/// same fits: the untrained network, the oracle, the best fixed count, or a rule.
public struct StopChoice: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    /// Iteration 0: the gain of the untrained network, the control.
    case untrained
    /// Each item's best iteration, known only from the clean signal.
    case oracle
    /// The one evaluated iteration (an index into the traces' iterations), the same for all
    /// items, with the best mean SI-SDR; chosen with the clean signal.
    case bestFixed(index: Int)
    /// A stopping rule, which sees only the loss and the outputs.
    case rule(RuleCandidate)
  }

  public let kind: Kind
  /// Whether the choice takes the moving average of the outputs instead of the raw outputs.
  public let watchesAverage: Bool

  public init(_ kind: Kind, watchesAverage: Bool = false) {
    self.kind = kind
    self.watchesAverage = watchesAverage
  }

  /// Whether the choice needs the clean signal: then it is a reference, not a method.
  public var usesClean: Bool {
    switch kind {
    case .oracle, .bestFixed: true
    case .untrained, .rule: false
    }
  }

  /// The index into `trace.iterations` whose output the choice keeps.
  public func index(in trace: StoppingTrace, gain g: Int) -> Int {
    switch kind {
    case .untrained: 0
    case .oracle: trace.oracleIndex(gain: g, average: watchesAverage)
    case .bestFixed(let index): index
    case .rule(let rule): trace.chosen[rule.name]!
    }
  }

  /// The iterations the choice costs: the whole budget for the oracle, the rule's stop.
  public func cost(in trace: StoppingTrace) -> Int {
    switch kind {
    case .untrained: 0
    case .oracle: trace.iterations.last!
    case .bestFixed(let index): trace.iterations[index]
    case .rule(let rule): trace.iterations[trace.ended[rule.name]!]
    }
  }

  /// "untrained network (iteration 0)", "oracle best iteration, EMA", "best fixed count, 210".
  public func name(iterations: [Int]) -> String {
    let suffix = watchesAverage ? ", EMA" : ""
    switch kind {
    case .untrained: return "untrained network (iteration 0)"
    case .oracle: return "oracle best iteration" + suffix
    case .bestFixed(let index): return "best fixed count, \(iterations[index])" + suffix
    case .rule(let rule): return rule.name
    }
  }
}

/// How one choice did over the traces of every item, for one gain.
public struct StopVerdict: Sendable {
  public let choice: StopChoice
  /// The mean iteration kept, and the mean iterations run.
  public let meanChosen: Double
  public let meanCost: Double
  /// The improvement over the noisy input of the kept outputs.
  public let snr: Improvement
  public let siSDR: Improvement
}

extension [StoppingTrace] {
  /// The evaluated iteration (as an index) whose mean SI-SDR of gain `g` over the traces is
  /// best, from the raw outputs or their average: the best fixed count (the earliest on a tie).
  public func bestFixedIndex(gain g: Int, average: Bool, fitted: Bool = false) -> Int {
    let totals = self[0].iterations.indices.map { i in
      reduce(0.0) { $0 + $1.siSDR(gain: g, average: average)[i] }
    }
    // A prior method runs the fit: with `fitted`, iteration 0, its untrained control, is no
    // count to choose.
    guard fitted, totals.count > 1 else { return indexOfMaximum(totals) }
    return 1 + indexOfMaximum([Double](totals.dropFirst()))
  }

  /// The gain whose best fixed count after iteration 0 has the best mean SI-SDR over the
  /// traces (the first on a tie), with that count as an index into the iterations: a choice
  /// of gain and count made with the clean signal of these traces, to be reported on others.
  public func bestGainAtItsBestFixedCount(gains: Int) -> (gain: Int, index: Int) {
    let best = (0..<gains).map { g -> (total: Double, index: Int) in
      let index = bestFixedIndex(gain: g, average: false, fitted: true)
      return (reduce(0.0) { $0 + $1.siSDR(gain: g, average: false)[index] }, index)
    }
    let gain = indexOfMaximum(best.map(\.total))
    return (gain, best[gain].index)
  }

  /// The choices the chapter compares for gain `g`: the untrained network, then for the raw
  /// outputs and for their average the oracle, the best fixed count and each rule watching
  /// them.
  public func choices(gain g: Int, rules: [RuleCandidate]) -> [StopChoice] {
    var choices = [StopChoice(.untrained)]
    for average in [false, true] {
      choices.append(StopChoice(.oracle, watchesAverage: average))
      let fixed = bestFixedIndex(gain: g, average: average)
      choices.append(StopChoice(.bestFixed(index: fixed), watchesAverage: average))
      for rule in rules where rule.watchesAverage == average {
        choices.append(StopChoice(.rule(rule), watchesAverage: average))
      }
    }
    return choices
  }

  /// Each choice judged on gain `g` of every trace; `noises[i]` is the noise of trace i.
  public func verdicts(gain g: Int, choices: [StopChoice], noises: [NoiseKind]) -> [StopVerdict] {
    choices.map { choice in
      let kept = map { choice.index(in: $0, gain: g) }
      let average = choice.watchesAverage
      let snr = indices.map { self[$0].snr(gain: g, average: average)[kept[$0]] }
      let siSDR = indices.map { self[$0].siSDR(gain: g, average: average)[kept[$0]] }
      return StopVerdict(
        choice: choice,
        meanChosen: indices.reduce(0.0) { $0 + Double(self[$1].iterations[kept[$1]]) }
          / Double(count),
        meanCost: reduce(0.0) { $0 + Double(choice.cost(in: $1)) } / Double(count),
        snr: Improvement(snr, over: map(\.noisySNR), noises: noises),
        siSDR: Improvement(siSDR, over: map(\.noisySISDR), noises: noises))
    }
  }
}

/// The rule with the best mean SI-SDR improvement among the verdicts, ignoring every choice
/// that needs the clean signal or is not a rule; nil when there is no rule.
public func winningRule(_ verdicts: [StopVerdict]) -> StopVerdict? {
  verdicts.filter {
    if case .rule = $0.choice.kind { return !$0.choice.usesClean }
    return false
  }.max { $0.siSDR.all < $1.siSDR.all }
}
