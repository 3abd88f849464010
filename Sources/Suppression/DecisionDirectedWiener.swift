import Foundation

/// How a decision-directed suppressor turns the SNRs of one value into its gain: the Wiener
/// gain (`WienerRule`) or the log-spectral-amplitude gain (`LogSpectralAmplitudeRule`).
public protocol DecisionDirectedRule: Sendable {
  /// A short name for tables ("Wiener").
  static var name: String { get }

  /// The gain G(ξ, γ) in [0, 1] of a value with a-priori SNR ξ and a-posteriori SNR γ.
  static func gain(priori: Double, posterior: Double) -> Double
}

/// The Wiener gain `ξ / (1 + ξ)`, which does not depend on γ.
///
/// If speech S and noise N in one time-frequency value are independent Gaussians with powers
/// σ_S² and λ, the least-squares estimate of S from X = S + N is `G · X` with this gain,
/// ξ = σ_S² / λ being the a-priori SNR.
public enum WienerRule: DecisionDirectedRule {
  public static var name: String { "Wiener" }

  public static func gain(priori: Double, posterior: Double) -> Double { priori / (1 + priori) }
}

/// The Wiener filter with the decision-directed a-priori SNR (Ephraim and Malah, 1984): the
/// classical denoiser that the prior-based method has to beat.
public typealias DecisionDirectedWiener = DecisionDirected<WienerRule>

/// A gain from the decision-directed estimate of the a-priori SNR (Ephraim and Malah, 1984),
/// each value's gain given by the rule `Rule` (`DecisionDirectedWiener`,
/// `DecisionDirectedLSA`).
///
/// The a-priori SNR ξ = σ_S² / λ of a value, speech power over noise power, is not known. The
/// a-posteriori SNR `γ = |X|² / λ` is, and `γ - 1` is an unbiased but very noisy estimate of ξ.
/// The decision-directed estimate mixes it with the speech power just estimated in the previous
/// frame, `|Ŝ(t-1)|² = G(t-1)² |X(t-1)|²`, G(t-1) being the gain that frame was given:
///
///     ξ(t) = max( α G(t-1)² γ(t-1) + (1 - α) max(γ(t) - 1, 0),  ξ_min )
///
/// With α = 0.98 the estimate follows speech onsets one frame late and keeps ξ smooth in the
/// noise, which is what removes most musical noise (O. Cappé, "Elimination of the musical
/// noise phenomenon with the Ephraim and Malah noise suppressor", IEEE Trans. Speech Audio
/// Process. 2(2), 1994). ξ_min (-25 dB) limits how far a value is pulled down: the Wiener gain
/// never falls below ξ_min / (1 + ξ_min), nor the LSA gain, which lies above it; so the gain
/// floor G_min is 0 (none) by default. The first frame has no predecessor and uses
/// `max(γ - 1, ξ_min)`.
///
/// Y. Ephraim, D. Malah, "Speech enhancement using a minimum mean-square error short-time
/// spectral amplitude estimator", IEEE Trans. ASSP 32(6), 1984,
/// https://doi.org/10.1109/TASSP.1984.1164453
public struct DecisionDirected<Rule: DecisionDirectedRule>: Sendable {
  /// α, the weight of the previous frame's estimate.
  public var smoothing: Double
  /// ξ_min, the least a-priori SNR (as a power ratio, not in dB).
  public var minimumPrioriSNR: Double
  /// G_min, the least gain (as an amplitude ratio, not in dB); 0 by default.
  public var minimumGain: Double
  /// The share of frames the noise is estimated from.
  public var noiseFraction: Double
  /// A noise power `[bins]` (or `[bins, frames]` of the segment, one per value) to use instead
  /// of the estimate, e.g. the true one, to measure what the estimate costs: an oracle
  /// reference, not a method. nil by default.
  public var knownNoisePower: [Float]?
  /// When set, the noise power follows the segment value by value by this tracker, started
  /// from the quietest frames' estimate, instead of being that estimate for every frame. nil
  /// by default.
  public var noiseTracker: SpeechPresenceNoiseTracker?

  public init(
    smoothing: Double = 0.98, minimumPrioriSNR: Double = pow(10, -25.0 / 10),
    minimumGain: Double = 0, noiseFraction: Double = 0.1,
    noiseTracker: SpeechPresenceNoiseTracker? = nil
  ) {
    self.smoothing = smoothing
    self.minimumPrioriSNR = minimumPrioriSNR
    self.minimumGain = minimumGain
    self.noiseFraction = noiseFraction
    self.noiseTracker = noiseTracker
  }

  // book: dd-gain
  /// The gains frame by frame, each bin on its own.
  ///
  /// - Parameters:
  ///   - power: `|X|²`, `[bins, frames]` row-major.
  ///   - noisePower: λ, `[bins]` (one per bin, as the quietest frames give it) or
  ///     `[bins, frames]` (one per value); a value with no noise at all gets gain 1.
  /// - Returns: `[bins, frames]` gains in `(0, 1]`.
  public func gain(power: [Float], noisePower: [Float], bins: Int, frames: Int) -> [Float] {
    precondition(power.count == bins * frames)
    precondition(noisePower.count == bins || noisePower.count == power.count)
    let perValue = noisePower.count == power.count
    var g = [Float](repeating: 1, count: power.count)
    for k in 0..<bins {
      var previousGain = 0.0
      var previousPosterior = 0.0
      for t in 0..<frames {
        let lambda = Double(perValue ? noisePower[k * frames + t] : noisePower[k])
        guard lambda > 0 else {
          (previousGain, previousPosterior) = (1, 0)
          continue
        }
        let posterior = Double(power[k * frames + t]) / lambda
        let priori =
          t == 0
          ? max(posterior - 1, minimumPrioriSNR)
          : decisionDirectedPrioriSNR(
            previousGain: previousGain, previousPosterior: previousPosterior,
            posterior: posterior, smoothing: smoothing, floor: minimumPrioriSNR)
        let gain = max(Rule.gain(priori: priori, posterior: posterior), minimumGain)
        g[k * frames + t] = Float(gain)
        (previousGain, previousPosterior) = (gain, posterior)
      }
    }
    return g
  }
  // book: end
}

// book: dd-priori-snr
/// The decision-directed a-priori SNR of one value:
/// `ξ = max(α G_prev² γ_prev + (1 - α) max(γ - 1, 0), ξ_min)`.
///
/// - Parameters:
///   - previousGain: G of the same bin in the previous frame.
///   - previousPosterior: γ of the same bin in the previous frame, `|X|² / λ`.
///   - posterior: γ of this value.
///   - smoothing: α.
///   - floor: ξ_min.
public func decisionDirectedPrioriSNR(
  previousGain: Double, previousPosterior: Double, posterior: Double, smoothing: Double,
  floor: Double
) -> Double {
  // BEGIN SOLUTION dd-priori-snr: ξ = α·G²γ of the last frame + (1 − α)(γ − 1)₊, at least ξ_min
  let previousSpeech = previousGain * previousGain * previousPosterior
  let instantaneous = max(posterior - 1, 0)
  return max(smoothing * previousSpeech + (1 - smoothing) * instantaneous, floor)
  // END SOLUTION
}
// book: end
