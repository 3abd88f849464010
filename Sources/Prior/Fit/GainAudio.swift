import Spectral
import Suppression

extension FitTarget {
  /// The recording through a gain on its STFT: `X̂ = G · Y`, then the inverse STFT, as a
  /// classical suppressor (`DecisionDirectedWiener`) produces its output.
  /// - Parameter gain: G, `[bins, frames]` (the Nyquist row included).
  /// - Returns: `[noisy.count]` samples.
  /// - Throws: `PriorError.sizeMismatch` for a gain of the wrong size.
  public func audio(gain: [Float]) throws(PriorError) -> [Float] {
    guard gain.count == bins * frames else {
      throw .sizeMismatch(what: "gain", count: gain.count, expected: bins * frames)
    }
    let y = spectrogram
    do throws(SpectralError) {
      let estimate = try Spectrogram(
        real: zip(gain, y.real).map { $0 * $1 }, imag: zip(gain, y.imag).map { $0 * $1 },
        bins: bins, frames: frames)
      return try stft.inverse(estimate, length: noisy.count)
    } catch {
      throw .spectral(error)
    }
  }

  /// The classical baseline on this recording: the decision-directed Wiener gain
  /// (`DecisionDirectedWiener`, α = 0.98, ξ_min = −25 dB) with the noise power of the
  /// quietest 10 % of frames, applied to the noisy STFT.
  /// - Returns: `[noisy.count]` samples.
  public func decisionDirectedWiener() throws(PriorError) -> [Float] {
    let power = noisyMagnitude.map { $0 * $0 }
    let noise = quietestFramesNoisePower(power: power, bins: bins, frames: frames)
    return try audio(
      gain: DecisionDirectedWiener().gain(
        power: power, noisePower: noise, bins: bins, frames: frames))
  }
}
