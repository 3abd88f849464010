import Foundation

/// The noise power of every value, tracked frame by frame through the probability that the
/// value holds speech (Gerkmann and Hendriks, 2012).
///
/// Each bin on its own. With λ the estimate after the previous frame and `γ = |Y|² / λ`, the
/// a-posteriori probability of speech presence, for a speech value `ξ_H1` times as strong as
/// the noise and a prior `P(H1)`, is
///
///     P(H1 | Y) = 1 / (1 + (1 - P(H1)) / P(H1) · (1 + ξ_H1) · exp(-γ ξ_H1 / (1 + ξ_H1)))
///
/// (the likelihood ratio of two complex Gaussians, of powers λ(1 + ξ_H1) and λ). The noise
/// periodogram it implies is the MMSE estimate `E|N|² = (1 - P) |Y|² + P λ`: where the value
/// is surely noise it counts in full, where it is surely speech the old estimate stays. Then
///
///     λ ← α λ + (1 - α) E|N|²
///
/// So that a noise that rises for good is not taken for speech for ever, the probability is
/// smoothed, `P̄ ← β P̄ + (1 - β) P` (from P̄ = 0.5), and while `P̄ > 0.99` each P is held at
/// 0.99 or below, which lets a hundredth of the value in.
///
/// Constants. ξ_H1 = 15 dB and P(H1) = 0.5 are the paper's fixed priors. Its α = 0.8 and
/// β = 0.9 are per frame at its frame advance of 16 ms (32 ms frames, 50 % overlap): time
/// constants of 72 ms and 152 ms. These are kept as times, so at a hop of `hop` seconds
/// α = 0.8^(hop / 0.016) and β = 0.9^(hop / 0.016); at the canonical 8 ms hop (512-point
/// frames, hop 128, 16 kHz) α ≈ 0.894 and β ≈ 0.949. The start is the mean of the first frames
/// (the paper's reference code assumes its first five frames, 96 ms, hold no speech; five of
/// ours span 64 ms), or an estimate the caller passes in, such as `quietestFramesNoisePower`,
/// which needs no pause at the start.
///
/// With fixed priors the estimate is not unbiased on noise alone: values of noise that are
/// strong by chance look like speech and are partly kept out. For stationary noise of power σ²
/// it settles near λ = E[E|N|²], which is about 0.81 σ² (−0.9 dB).
///
/// T. Gerkmann, R. C. Hendriks, "Unbiased MMSE-based noise power estimation with low complexity
/// and low tracking delay", IEEE Trans. Audio, Speech, Lang. Process. 20(4), 2012,
/// https://doi.org/10.1109/TASL.2011.2180896
public struct SpeechPresenceNoiseTracker: Sendable {
  /// ξ_H1, the a-priori SNR assumed for speech (as a power ratio, not in dB).
  public var fixedPrioriSNR: Double
  /// P(H1), the prior probability of speech in a value.
  public var speechPrior: Double
  /// α, the weight of the previous estimate of the noise power.
  public var noiseSmoothing: Double
  /// β, the weight of the previous smoothed speech presence probability.
  public var presenceSmoothing: Double
  /// Above this smoothed probability a value's probability is held at this value or below.
  public var stagnationLimit: Double
  /// How many frames the start's mean takes, when no start is passed in.
  public var initialFrames: Int

  /// The paper's constants, its smoothing kept as time constants at a hop of `hop` seconds.
  public init(hop: Double = 0.008) {
    precondition(hop > 0, "hop \(hop) s is not positive")
    fixedPrioriSNR = pow(10, 15.0 / 10)
    speechPrior = 0.5
    noiseSmoothing = pow(0.8, hop / 0.016)
    presenceSmoothing = pow(0.9, hop / 0.016)
    stagnationLimit = 0.99
    initialFrames = 5
  }

  /// `P(H1 | Y)` of a value with a-posteriori SNR `posterior` (`+∞` gives 1).
  public func speechPresence(posterior: Double) -> Double {
    let xi = fixedPrioriSNR
    let odds = (1 - speechPrior) / speechPrior * (1 + xi) * exp(-posterior * xi / (1 + xi))
    return 1 / (1 + odds)
  }

  /// The tracked noise power, frame by frame.
  ///
  /// - Parameters:
  ///   - power: `|Y|²`, `[bins, frames]` row-major.
  ///   - initial: the estimate before the first frame, `[bins]`; nil takes the mean of each
  ///     bin over its first `initialFrames` frames.
  /// - Returns: `[bins, frames]`: λ after each frame's update (frame t's own value included).
  public func noisePower(_ power: [Float], bins: Int, frames: Int, initial: [Float]? = nil)
    -> [Float]
  {
    precondition(power.count == bins * frames && frames > 0, "power is not [bins, frames]")
    precondition(initial == nil || initial!.count == bins, "initial is not [bins]")
    precondition(initialFrames > 0, "initialFrames \(initialFrames) is not positive")
    let start = initial ?? firstFramesMean(power, bins: bins, frames: frames)
    var result = [Float](repeating: 0, count: power.count)
    for k in 0..<bins {
      var lambda = Double(start[k])
      var meanPresence = 0.5
      for t in 0..<frames {
        // BEGIN SOLUTION spp-noise-update (chapter 7): λ ← αλ + (1−α)((1−P)|Y|² + Pλ), P = P(H1|γ)
        let value = Double(power[k * frames + t])
        // No noise yet and something in the value: the limit γ → ∞, surely speech.
        let posterior = lambda > 0 ? value / lambda : (value > 0 ? .infinity : 0)
        var presence = speechPresence(posterior: posterior)
        // The smoothed probability takes the probability before it is held.
        meanPresence = presenceSmoothing * meanPresence + (1 - presenceSmoothing) * presence
        if meanPresence > stagnationLimit { presence = min(presence, stagnationLimit) }
        let noise = (1 - presence) * value + presence * lambda
        lambda = noiseSmoothing * lambda + (1 - noiseSmoothing) * noise
        result[k * frames + t] = Float(lambda)
        // END SOLUTION
      }
    }
    return result
  }

  /// The mean of each bin over its first `initialFrames` frames (all if fewer), `[bins]`.
  private func firstFramesMean(_ power: [Float], bins: Int, frames: Int) -> [Float] {
    let n = min(initialFrames, frames)
    return (0..<bins).map { k in
      Float(power[(k * frames)..<(k * frames + n)].reduce(0.0) { $0 + Double($1) } / Double(n))
    }
  }
}
