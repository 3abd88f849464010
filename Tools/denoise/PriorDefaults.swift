import Prior

/// The prior method as `denoise` runs it: the configuration chapter 7 measured best.
enum PriorDefaults {
  /// The most iterations per segment with `--stop auto`.
  static let budget = 500
  /// The iterations per segment with `--stop fixed`: the best fixed count on the chapter's
  /// evaluation set.
  static let fixedIterations = 210
  /// Iterations between snapshots.
  static let snapshotInterval = 50

  /// The enhancer: the power-law target (p = 0.3), the fit's Wiener gain combined with the
  /// decision-directed Wiener gain, and the stopping rule that won the chapter's comparison
  /// for that gain (the windowed moving variance over 10 evaluations, 100 iterations).
  static func enhancer(stop: StopMode) -> PriorEnhancer {
    var prior = PriorEnhancer()
    prior.domain = .power(exponent: 0.3)
    prior.gain = .withDecisionDirected(floor: 0.1)
    prior.evaluationInterval = 10
    switch stop {
    case .auto: prior.stop = .movingVariance(window: 10, patience: 10)
    case .fixed: prior.stop = .fixed
    }
    return prior
  }
}
