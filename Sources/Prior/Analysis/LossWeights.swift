import Spectral

/// Where the fit's loss puts its weight, measured with the clean speech: how many pixels of
/// the target the noise dominates, what share of the target's energy they hold, and the loss
/// a fit would have if it produced exactly the clean speech's image. A training loss below
/// that last one can only come from fitting the noise.
public struct LossWeights: Equatable, Sendable {
  /// The share of pixels where the noise's STFT magnitude exceeds the speech's.
  public let noiseDominatedShare: Double
  /// Their share of Σ y² over the target image.
  public let noiseDominatedEnergy: Double
  /// The mean squared error of the clean speech's image (in the target's scaling) against
  /// the target.
  public let cleanImageLoss: Double
}

extension FitTarget {
  /// The loss weights of this target, given the clean speech it was mixed from.
  /// - Parameter clean: the clean recording, as long as `noisy`.
  /// - Throws: `PriorError.sizeMismatch` for a clean signal of another length, `.spectral`
  ///   when it cannot be transformed.
  public func lossWeights(clean: [Float]) throws(PriorError) -> LossWeights {
    guard clean.count == noisy.count else {
      throw .sizeMismatch(what: "the clean signal", count: clean.count, expected: noisy.count)
    }
    let (speech, noise): ([Float], [Float])
    do throws(SpectralError) {
      speech = try stft(clean).magnitude
      noise = try stft(zip(noisy, clean).map { $0 - $1 }).magnitude
    } catch {
      throw .spectral(error)
    }
    let n = image.count
    let dominated = (0..<n).filter { noise[$0] > speech[$0] }
    let squares = image.reduce(0.0) { $0 + Double($1 * $1) }
    let dominatedSquares = dominated.reduce(0.0) { $0 + Double(image[$1] * image[$1]) }
    let cleanImage = scaling.scaled(Array(speech.prefix(n)))
    let loss = zip(image, cleanImage).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
    return LossWeights(
      noiseDominatedShare: Double(dominated.count) / Double(n),
      noiseDominatedEnergy: squares > 0 ? dominatedSquares / squares : 0,
      cleanImageLoss: loss / Double(n))
  }
}
