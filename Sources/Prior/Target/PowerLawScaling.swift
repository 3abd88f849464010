import Foundation

// book: power-law-scaling
/// A magnitude spectrogram as an image in [0, 1] by a power law, divided by its maximum:
///
///     y = (|X| / M)^p  ∈ [0, 1],      |X| = M · y^(1/p),      M = max |X|
///
/// which is |X|^p / max |X|^p. With p = 1 the image is the linear magnitude; p = 0.3 is the
/// power-law compression common in speech enhancement (a cousin of Stevens' law, loudness
/// growing about as intensity^0.3, that is |X|^0.6; p = 0.3 on the magnitude is
/// intensity^0.15): between the linear magnitude and the logarithm.
/// Silence stays 0, so no minimum is subtracted: the map is a pure power and a scale, and
/// MSE in this domain weights a bin by how loud it is (fully so at p = 1).
/// Negative image values (a fitted image may undershoot) count as 0: `y^(1/p)` has no real
/// value there, and a magnitude cannot be negative.
public struct PowerLawScaling: Equatable, Sendable {
  /// The exponent p > 0.
  public let exponent: Float
  /// M, the largest magnitude of the spectrogram the scaling was fitted to.
  public let maximum: Float

  /// A scaling with a known maximum (`maximum == 0` maps everything to 0 and back to 0).
  public init(exponent: Float, maximum: Float) {
    precondition(exponent > 0 && exponent.isFinite, "exponent \(exponent) must be positive")
    self.exponent = exponent
    self.maximum = maximum
  }

  /// The scaling that maps these magnitudes into [0, 1] with the largest at exactly 1.
  /// - Parameters:
  ///   - magnitude: |X|, any layout, at least one value, finite and not negative.
  ///   - exponent: p, positive.
  /// - Throws: `PriorError.invalidArgument` for a non-positive exponent or no values,
  ///   `.nonFiniteValue` or `.negativeMagnitude` naming the index.
  public init(fitting magnitude: [Float], exponent: Float) throws(PriorError) {
    guard exponent > 0, exponent.isFinite else {
      throw .invalidArgument(argument: "exponent", reason: "\(exponent) must be positive")
    }
    try validateMagnitude(magnitude, what: "magnitude")
    self.init(exponent: exponent, maximum: magnitude.max()!)
  }

  /// `(|X| / M)^p`: in [0, 1] for the magnitudes it was fitted to.
  public func scaled(_ magnitude: [Float]) -> [Float] {
    guard maximum > 0 else { return [Float](repeating: 0, count: magnitude.count) }
    let inverseMaximum = 1 / maximum
    if exponent == 1 { return magnitude.map { $0 * inverseMaximum } }
    return magnitude.map { pow($0 * inverseMaximum, exponent) }
  }

  /// `M · max(y, 0)^(1/p)`: the magnitudes that `scaled` maps to `values`.
  public func magnitude(fromScaled values: [Float]) -> [Float] {
    // BEGIN SOLUTION power-law-inverse: undo y = (m/M)ᵖ: m = M·y^(1/p); y below 0 means silence
    let inverseExponent = 1 / exponent
    return values.map { y in
      let y = max(y, 0)
      return maximum * (exponent == 1 ? y : pow(y, inverseExponent))
    }
    // END SOLUTION
  }
}
// book: end
