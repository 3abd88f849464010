import Foundation

// book: log-magnitude-scaling
/// The map from a magnitude spectrogram to the image the generator fits, and back:
///
///     y = (log1p|X| - min) / (max - min)  ∈ [0, 1],     |X| = expm1(min + y · (max - min))
///
/// where min and max are those of log1p|X| over the spectrogram it was fitted to. log1p
/// squeezes the 100 dB range of speech magnitudes into a few units while staying 0 at 0 and
/// linear near it; the min–max step matches the generator's Sigmoid output range [0, 1].
/// The scaling remembers min and max, so that a fitted image can be turned back into
/// magnitudes (values outside [0, 1] are inverted too, by the same straight line).
public struct LogMagnitudeScaling: Equatable, Sendable {
  /// min over the fitted spectrogram of log1p|X|.
  public let minimum: Float
  /// max over the fitted spectrogram of log1p|X|.
  public let maximum: Float

  /// A scaling with a known range of log1p|X| (`maximum == minimum` maps everything to 0).
  public init(minimum: Float, maximum: Float) {
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The scaling that maps these magnitudes onto exactly [0, 1].
  /// - Parameter magnitude: |X|, any layout, at least one value.
  /// - Throws: `PriorError.nonFiniteValue` or `.negativeMagnitude` naming the index;
  ///   `.invalidArgument` when there are no values.
  public init(fitting magnitude: [Float]) throws(PriorError) {
    try validateMagnitude(magnitude, what: "magnitude")
    let logs = magnitude.map { log1p($0) }
    self.init(minimum: logs.min()!, maximum: logs.max()!)
  }

  /// The span max - min, or 1 when it is 0 (a constant spectrogram), so that scaling a
  /// constant gives 0 and undoing it gives the constant back.
  var span: Float { maximum > minimum ? maximum - minimum : 1 }

  /// `(log1p|X| - min) / (max - min)`: in [0, 1] for the magnitudes it was fitted to.
  public func scaled(_ magnitude: [Float]) -> [Float] {
    // BEGIN SOLUTION log-magnitude-scaling: log(1 + |X|), then [min, max] mapped onto [0, 1]
    let span = self.span
    return magnitude.map { (log1p($0) - minimum) / span }
    // END SOLUTION
  }

  /// `expm1(min + y · (max - min))`: the magnitudes that `scaled` maps to `values`.
  public func magnitude(fromScaled values: [Float]) -> [Float] {
    let span = self.span
    return values.map { expm1(minimum + $0 * span) }
  }
}
// book: end
