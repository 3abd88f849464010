import Foundation
import Spectral
import Suppression

/// What the clean speech of a made-up mixture tells about a fit of it: the speech's and the
/// noise's power in every bin, where a fitted image's error lies, how far the true speech +
/// noise model is from the noisy power, and the periodogram where only noise is heard.
public struct CleanReference {
  /// The target the fits are fitted to.
  public let target: FitTarget
  /// |X|², the clean speech's power, `[bins, frames]`.
  public let cleanPower: [Float]
  /// |N|², the noise's power (noisy minus clean), `[bins, frames]`.
  public let noisePower: [Float]
  /// N̄[f], the noise's mean power in each bin over the clip, `[bins]`.
  public let noiseMeanPower: [Float]

  /// The reference of `target`, mixed from `clean` and noise.
  /// - Throws: `PriorError.sizeMismatch` for a clean signal of another length, `.spectral`
  ///   when it cannot be transformed.
  public init(target: FitTarget, clean: [Float]) throws(PriorError) {
    guard clean.count == target.noisy.count else {
      throw .sizeMismatch(
        what: "the clean signal", count: clean.count, expected: target.noisy.count)
    }
    do throws(SpectralError) {
      cleanPower = try target.stft(clean).magnitude.map { $0 * $0 }
      noisePower = try target.stft(zip(target.noisy, clean).map { $0 - $1 }).magnitude
        .map { $0 * $0 }
    } catch {
      throw .spectral(error)
    }
    self.target = target
    noiseMeanPower = meanPower(noisePower, bins: target.bins, frames: target.frames)
  }

  /// Where a fitted image's error lies: its squared magnitude error in the bins the speech
  /// dominates and in those the noise dominates, each relative to the clean speech's energy,
  ///
  ///     E_speech = 10 log10( Σ_{|X| ≥ |N|} (Ŝ − |X|)² / Σ |X|² ),   E_noise over |X| < |N|,
  ///
  /// with Ŝ the magnitude the image stands for (`FitTarget.magnitude(fromImage:)`), over the
  /// image's rows. A fit that draws the speech lowers E_speech; one that draws the noise
  /// raises E_noise, since in those bins the clean magnitude is small.
  /// - Parameter image: `[rows, frames]`, e.g. a snapshot.
  /// - Returns: E_speech and E_noise in dB (−∞ for no error).
  /// - Throws: `PriorError.sizeMismatch` for an image of the wrong size.
  public func errors(of image: [Float]) throws(PriorError) -> (speech: Double, noise: Double) {
    let magnitude = try target.magnitude(fromImage: image)
    var (speech, noise, energy) = (0.0, 0.0, 0.0)
    for i in 0..<(target.rows * target.frames) {
      let x = Double(cleanPower[i]).squareRoot()
      let d = Double(magnitude[i]) - x
      if noisePower[i] > cleanPower[i] { noise += d * d } else { speech += d * d }
      energy += x * x
    }
    return (10 * log10(speech / energy), 10 * log10(noise / energy))
  }

  /// D(P ‖ |X|² + N̄), the Itakura–Saito divergence of the true speech + noise model (the
  /// clean speech's power plus the noise's mean power in each bin) from the noisy power,
  /// over the image's rows: what the speech + noise fit's loss would be if it found the
  /// truth, as the clean image's loss is for the mean squared error.
  public var speechPlusNoiseDivergence: Double {
    let (n, frames) = (target.rows * target.frames, target.frames)
    let observed = target.noisyMagnitude.prefix(n).map { $0 * $0 }
    let model = (0..<n).map { cleanPower[$0] + noiseMeanPower[$0 / frames] }
    var gradient: [Float] = []
    return itakuraSaitoDivergence(observed: observed, model: model, gradient: &gradient)
  }

  /// The noisy periodogram against N̄ where the speech is at least 1/`threshold` below the
  /// noise (`noiseOnlyBins`), over bins 1 … bins − 2 (DC and Nyquist are real, their
  /// periodogram not exponential) and the frames whose window lies inside the recording.
  public func noisePeriodogram(threshold: Float = 1e-3) -> NoisePeriodogram {
    // Frames centred within nFFT/2 of an end see the reflected padding: the noise twice.
    let edge = (target.stft.padding + target.stft.hop - 1) / target.stft.hop
    return NoisePeriodogram(
      power: target.noisyMagnitude.map { $0 * $0 }, noisePower: noiseMeanPower,
      noiseOnly: noiseOnlyBins(
        cleanPower: cleanPower, noisePower: noiseMeanPower, threshold: threshold),
      bins: 1..<(target.bins - 1), frames: edge..<max(edge, target.frames - edge))
  }
}
