import Audio
import Denoising
import Prior

extension PriorEnhancer {
  /// `seedAveraging` of every item, as improvements by noise: `[gain][variant]`.
  public func seedAveraging(_ items: [EvaluationItem], counts: [Int], gains: [Reconstruction])
    throws(EvaluationError) -> [[Improvement]]
  {
    let perItem = try items.map { item throws(EvaluationError) in
      try seedAveraging(item, counts: counts, gains: gains)
    }
    return gains.indices.map { g in
      (0..<3).map { v in Improvement(perItem.map { $0[g][v] }, noises: items.map(\.noise)) }
    }
  }

  /// The SI-SDR improvement over the noisy input of one item enhanced from the outputs of
  /// network seeds 0 and 1, alone and averaged: the Deep Image Prior averages outputs to
  /// lower their variance, here over seeds instead of iterations.
  ///
  /// Each seed is fitted once, to the largest of `counts`, on the raw outputs.
  /// - Parameters:
  ///   - counts: for each gain, the iteration whose outputs it enhances.
  ///   - gains: how the outputs become gains.
  /// - Returns: `[gain][variant]`, the variants being seed 0, seed 1, their average.
  public func seedAveraging(_ item: EvaluationItem, counts: [Int], gains: [Reconstruction])
    throws(EvaluationError) -> [[Double]]
  {
    precondition(counts.count == gains.count && !gains.isEmpty, "one count per gain")
    let target = try wrappingErrors { try FitTarget(noisy: item.noisy, domain: domain) }
    // Each kept output with the noise power a speech + noise fit learnt with it (nil for the
    // noisy-image model).
    var outputs: [[Int: (image: [Float], noise: [Float]?)]] = []
    for seed: UInt64 in [0, 1] {
      var fitted = self
      (fitted.seed, fitted.averageDecay, fitted.iterations) = (seed, nil, counts.max()!)
      var kept: [Int: (image: [Float], noise: [Float]?)] = [:]
      try wrappingErrors {
        try fitted.fit(target) { step in
          if counts.contains(step.iteration) {
            kept[step.iteration] = (step.output, step.noisePower)
          }
          return false
        }
      }
      outputs.append(kept)
    }
    let noisy = try wrappingErrors { try siSDR(reference: item.clean, estimate: item.noisy) }
    return try gains.indices.map { g throws(EvaluationError) in
      var enhancer = self
      enhancer.gain = gains[g]
      let (a, b) = (outputs[0][counts[g]]!, outputs[1][counts[g]]!)
      let mean = { (x: [Float], y: [Float]) in zip(x, y).map { 0.5 * ($0 + $1) } }
      let averaged = (
        image: mean(a.image, b.image), noise: a.noise.flatMap { n in b.noise.map { mean(n, $0) } }
      )
      return try [a, b, averaged].map { fit throws(EvaluationError) in
        try wrappingErrors {
          try siSDR(
            reference: item.clean,
            estimate: enhancer.enhanced(fit.image, target: target, noisePower: fit.noise))
            - noisy
        }
      }
    }
  }
}
