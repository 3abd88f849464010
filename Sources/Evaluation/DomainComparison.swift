import Audio
import Denoising
import Prior

/// One row of the domain comparison: a target domain, a gain, a way of choosing where each
/// fit stops, and the SI-SDR improvement it gives on the report items.
public struct DomainRow: Sendable {
  public let domain: TargetDomain
  /// The gain's name.
  public let gain: String
  /// The choice's name, as the chapter's stopping tables name it.
  public let stop: String
  public let siSDR: Improvement
}

extension [StoppingTrace] {
  /// For gain `g` of these fits: the untrained network, the best fixed count and each item's
  /// oracle iteration, judged on the raw outputs of the items whose input SNR is not
  /// `choosingSNR`. The fixed count (after iteration 0) is chosen on the items at
  /// `choosingSNR` alone, so that it is reported on items it was not chosen on.
  public func heldOutVerdicts(gain g: Int, choosingSNR: Double) -> [StopVerdict] {
    let choosing = filter { $0.snrDB == choosingSNR }
    let report = filter { $0.snrDB != choosingSNR }
    precondition(!choosing.isEmpty && !report.isEmpty, "no items to choose on or report on")
    let fixed = choosing.bestFixedIndex(gain: g, average: false, fitted: true)
    let choices = [
      StopChoice(.untrained), StopChoice(.bestFixed(index: fixed)), StopChoice(.oracle),
    ]
    return report.verdicts(gain: g, choices: choices, noises: report.map(\.noise))
  }
}

extension PriorEnhancer {
  /// Fits every item in each of `domains` to the budget, scoring each of the named `gains`,
  /// and judges every domain and gain by `heldOutVerdicts`. The traces `fitted`, of these
  /// items in the enhancer's own domain with the same gains, are reused, not fitted again.
  public func domainComparison(
    _ items: [EvaluationItem], domains: [TargetDomain], fitted: [StoppingTrace],
    gains: [(name: String, gain: Reconstruction)], choosingSNR: Double
  ) throws(EvaluationError) -> [DomainRow] {
    var rows: [DomainRow] = []
    for domain in domains {
      var enhancer = self
      enhancer.domain = domain
      var traces = fitted
      if domain != self.domain {
        traces = []
        for item in items {
          traces.append(try enhancer.trace(item, gains: gains.map(\.gain), rules: []))
        }
      }
      for g in gains.indices {
        for verdict in traces.heldOutVerdicts(gain: g, choosingSNR: choosingSNR) {
          let stop = verdict.choice.name(iterations: traces[0].iterations)
          rows.append(
            DomainRow(domain: domain, gain: gains[g].name, stop: stop, siSDR: verdict.siSDR))
        }
      }
    }
    return rows
  }
}
