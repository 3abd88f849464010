extension PriorFitResult {
  /// The scores of `reconstruction` at `iteration`, if that iteration was evaluated.
  public func score(at iteration: Int, _ reconstruction: Reconstruction) -> FitScore? {
    evaluations.first { $0.iteration == iteration }?.scores[reconstruction]
  }

  /// The audio of the snapshot kept at `iteration`, or, for nil, of the best one of
  /// `reconstruction` (`bestSnapshots`).
  /// - Returns: `[target.noisy.count]` samples.
  /// - Throws: `PriorError.invalidArgument` when no such snapshot was kept.
  public func audio(_ reconstruction: Reconstruction, at iteration: Int?) throws(PriorError)
    -> [Float]
  {
    let kept = iteration.map { snapshot(at: $0) } ?? bestSnapshots[reconstruction]
    guard let kept else {
      throw .invalidArgument(
        argument: "iteration", reason: "no snapshot kept at \(iteration.map(String.init) ?? "best")"
      )
    }
    return try audio(of: kept, reconstruction)
  }
}
