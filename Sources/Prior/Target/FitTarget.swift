import Foundation
import Spectral

/// The image a prior fit fits, made from one noisy recording, and what it takes to turn a
/// fitted image back into sound: the noisy spectrogram (its phase, its Nyquist row) and the
/// domain's scaling.
///
/// Layout: the noisy spectrogram is `[bins, frames]` = `[nFFT/2 + 1, 1 + length / hop]`;
/// the image drops the top (Nyquist) bin, `[rows, frames]` = `[nFFT/2, frames]`, row-major,
/// row 0 the lowest frequency. For the canonical clip (32 640 samples, nFFT 512, hop 128)
/// the image is 256 × 256.
///
///     let target = try FitTarget(noisy: noisy, domain: .linear)
///     // fit an image to target.image …
///     let audio = try target.reconstruct(fitted, .wienerGain())
public struct FitTarget {
  /// The recording, `[length]` samples.
  public let noisy: [Float]
  /// The transform between the recording and its spectrogram.
  public let stft: STFT
  /// STFT of the recording, `[bins, frames]`.
  public let spectrogram: Spectrogram
  /// |Y| of the recording, `[bins, frames]`.
  public let noisyMagnitude: [Float]
  /// The domain's map between magnitudes and image values, fitted to bins 0 … rows - 1.
  public let scaling: TargetScaling
  /// The image to fit, `[rows, frames]` in [0, 1].
  public let image: [Float]

  /// Frequency bins of the spectrogram, nFFT/2 + 1.
  public var bins: Int { spectrogram.bins }
  /// Rows of the image, bins - 1 (the Nyquist bin is left out).
  public var rows: Int { spectrogram.bins - 1 }
  /// Frames: the columns of both the spectrogram and the image.
  public var frames: Int { spectrogram.frames }
  /// The target domain.
  public var domain: TargetDomain { scaling.domain }

  /// The target of one noisy recording in a domain.
  /// - Parameters:
  ///   - noisy: the recording, more than nFFT/2 samples, finite.
  ///   - domain: how magnitudes become image values.
  ///   - stft: the transform; nil for the canonical nFFT 512, hop 128, periodic Hann.
  /// - Throws: `PriorError.nonFiniteValue` for a bad sample, `.spectral` when the recording
  ///   is too short for the transform.
  public init(noisy: [Float], domain: TargetDomain = .log1p, stft: STFT? = nil)
    throws(PriorError)
  {
    for (i, x) in noisy.enumerated() where !x.isFinite {
      throw .nonFiniteValue(what: "noisy recording", index: i)
    }
    do throws(SpectralError) {
      let transform: STFT
      if let stft { transform = stft } else { transform = try STFT(nFFT: 512, hop: 128) }
      self.stft = transform
      spectrogram = try transform(noisy)
    } catch {
      throw .spectral(error)
    }
    self.noisy = noisy
    noisyMagnitude = spectrogram.magnitude
    // Row-major [bins, frames]: the first rows · frames values are bins 0 … nFFT/2 - 1.
    let belowNyquist = Array(noisyMagnitude.prefix((spectrogram.bins - 1) * spectrogram.frames))
    scaling = try TargetScaling(fitting: belowNyquist, domain: domain)
    image = scaling.scaled(belowNyquist)
  }

  /// The magnitudes an image stands for, with the noisy Nyquist row appended.
  /// - Parameter image: `[rows, frames]`, e.g. a generator output.
  /// - Returns: `[bins, frames]`, not negative.
  /// - Throws: `PriorError.sizeMismatch` for an image of the wrong size.
  public func magnitude(fromImage image: [Float]) throws(PriorError) -> [Float] {
    guard image.count == rows * frames else {
      throw .sizeMismatch(what: "image", count: image.count, expected: rows * frames)
    }
    // A fitted value a little outside the target's range inverts to a slightly negative
    // magnitude in the log1p domain; a magnitude cannot be negative.
    var magnitude = scaling.magnitude(fromScaled: image).map { max($0, 0) }
    magnitude.append(contentsOf: noisyMagnitude[(rows * frames)...])
    return magnitude
  }
}
