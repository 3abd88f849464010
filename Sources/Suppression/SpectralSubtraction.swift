import Foundation

/// Power spectral subtraction with over-subtraction and a spectral floor: the oldest
/// single-channel denoiser.
///
/// With λ[k] the noise power of bin k (from the quietest frames), each value keeps the power
/// that is left after taking the noise away, never less than a floor:
///
///     |Ŝ|² = max(|X|² - α λ[k], β |X|²),     G = |Ŝ| / |X| = √max(1 - α λ[k] / |X|², β)
///
/// α > 1 takes away more than the average noise, because the noise power of one value
/// scatters widely around λ (for Gaussian noise |N|² is exponentially distributed): with
/// α = 1 the values where the noise happened to be strong stay as isolated peaks, the
/// "musical noise". The floor β keeps a little of the noise everywhere, which masks what
/// remains of it. See S. Boll, "Suppression of acoustic noise in speech using spectral
/// subtraction", IEEE Trans. ASSP 27(2), 1979, and M. Berouti, R. Schwartz, J. Makhoul,
/// "Enhancement of speech corrupted by acoustic noise", ICASSP 1979.
public struct SpectralSubtraction: Sendable {
  /// α, how many times the noise power is taken away.
  public var overSubtraction: Float
  /// β, the least power kept, as a fraction of the noisy power (0.01 is -20 dB of gain).
  public var floor: Float
  /// The share of frames the noise is estimated from.
  public var noiseFraction: Double

  public init(overSubtraction: Float = 2, floor: Float = 0.01, noiseFraction: Double = 0.1) {
    self.overSubtraction = overSubtraction
    self.floor = floor
    self.noiseFraction = noiseFraction
  }

  // book: spectral-subtraction
  /// `G = √max(1 - α λ[k] / |X|², β)` for every value; `√β` where `|X|² = 0` (nothing to
  /// keep there, and no division by zero).
  ///
  /// - Parameters:
  ///   - power: `|X|²`, `[bins, frames]` row-major.
  ///   - noisePower: λ, `[bins]`.
  /// - Returns: `[bins, frames]` gains in `[√β, 1]`.
  public func gain(power: [Float], noisePower: [Float], bins: Int, frames: Int) -> [Float] {
    precondition(power.count == bins * frames && noisePower.count == bins)
    var g = [Float](repeating: floor.squareRoot(), count: power.count)
    for k in 0..<bins {
      for t in 0..<frames where power[k * frames + t] > 0 {
        let kept = 1 - overSubtraction * noisePower[k] / power[k * frames + t]
        g[k * frames + t] = max(kept, floor).squareRoot()
      }
    }
    return g
  }
  // book: end
}
