import Foundation
import Spectral

/// How a fitted image becomes audio.
public enum Reconstruction: Hashable, Sendable, CustomStringConvertible {
  /// The fitted magnitude with the noisy phase: `X̂ = Ŝ · Y / |Y|`, then the inverse STFT.
  /// Whatever the fit reproduced of the noise is in the output.
  case direct
  /// The fitted magnitude as a speech estimate in a Wiener-style gain applied to the noisy
  /// STFT: `X̂ = G · Y`, `G = clamp(Ŝ² / (Ŝ² + N̂²), floor, 1)` with N̂² from the residual.
  /// The output is the noisy recording, attenuated where the fit says speech is weak.
  case wienerGain(floor: Float = 0.1, noise: NoiseEstimate = .meanResidual)

  /// The two forms the book compares: direct, and the gain with a -20 dB floor.
  public static let compared: [Reconstruction] = [.direct, .wienerGain()]

  /// "direct", "Wiener gain" (with the floor and estimate when not the defaults).
  public var description: String {
    switch self {
    case .direct: return "direct"
    case .wienerGain(let floor, let noise):
      var name = "Wiener gain"
      if floor != 0.1 { name += ", floor \(floor)" }
      if noise != .meanResidual { name += ", \(noise)" }
      return name
    }
  }
}

extension FitTarget {
  // book: reconstruct
  /// Audio from a fitted image: undo the scaling, append the noisy Nyquist row, then either
  /// put the noisy phase on the magnitude (`.direct`) or use it as the speech estimate of a
  /// Wiener-style gain on the noisy STFT (`.wienerGain`); inverse STFT to the recording's
  /// length.
  /// - Parameters:
  ///   - image: `[rows, frames]`, e.g. a generator output; `image` itself gives the
  ///     recording back (`.direct`, to rounding) or the recording exactly (`.wienerGain`).
  ///   - method: the reconstruction.
  /// - Returns: `[noisy.count]` samples.
  /// - Throws: `PriorError.sizeMismatch` for an image of the wrong size.
  public func reconstruct(_ image: [Float], _ method: Reconstruction = .direct)
    throws(PriorError) -> [Float]
  {
    // BEGIN SOLUTION reconstruct: magnitude(fromImage:), then S·Y/|Y| or G·Y, then stft.inverse
    let speech = try magnitude(fromImage: image)
    let y = spectrogram
    var real = [Float](repeating: 0, count: speech.count)
    var imag = real
    switch method {
    case .direct:
      for i in speech.indices {
        // Y/|Y| is the noisy phase as a unit phasor; where Y = 0 its phase is taken as 0.
        let m = noisyMagnitude[i]
        let (c, s) = m > 0 ? (y.real[i] / m, y.imag[i] / m) : (1, 0)
        (real[i], imag[i]) = (speech[i] * c, speech[i] * s)
      }
    case .wienerGain(let floor, let noise):
      let gain = wienerGain(floor: floor, noise: noise, speech: speech)
      for i in speech.indices { (real[i], imag[i]) = (gain[i] * y.real[i], gain[i] * y.imag[i]) }
    }
    do {
      let estimate = try Spectrogram(real: real, imag: imag, bins: bins, frames: frames)
      return try stft.inverse(estimate, length: noisy.count)
    } catch {
      throw .spectral(error)
    }
    // END SOLUTION
  }
  // book: end

  /// The Wiener-style gain of a speech magnitude estimate against this recording.
  /// - Parameters:
  ///   - floor: the smallest gain, in [0, 1].
  ///   - noise: how the noise power per frequency is estimated from the residual.
  ///   - speech: Ŝ, `[bins, frames]`.
  /// - Returns: G, `[bins, frames]` in [floor, 1].
  public func wienerGain(floor: Float, noise: NoiseEstimate, speech: [Float]) -> [Float] {
    let speechPower = speech.map { $0 * $0 }
    let noisyPower = noisyMagnitude.map { $0 * $0 }
    let noisePower = residualNoisePower(
      noisyPower: noisyPower, speechPower: speechPower, frames: frames, estimate: noise)
    return Prior.wienerGain(speechPower: speechPower, noisePower: noisePower, floor: floor)
  }
}
