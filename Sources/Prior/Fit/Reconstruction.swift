import Foundation
import Spectral
import Suppression
import Tensors

/// How a fitted image becomes audio: the one description of the gain a fit stands for, used
/// by chapter 6's comparison and by the prior enhancer of chapter 7.
public enum Reconstruction: Hashable, Sendable, CustomStringConvertible {
  /// The fitted magnitude with the noisy phase: `X̂ = Ŝ · Y / |Y|`, then the inverse STFT.
  /// Whatever the fit reproduced of the noise is in the output.
  case direct
  /// The fitted magnitude as a speech estimate in a Wiener-style gain applied to the noisy
  /// STFT: `X̂ = G · Y`, `G = clamp(Ŝ² / (Ŝ² + N̂²), floor, 1)` with N̂² estimated by `noise`.
  /// The output is the noisy recording, attenuated where the fit says speech is weak.
  case wienerGain(floor: Float = 0.1, noise: NoiseEstimate = .meanResidual)
  /// The geometric mean `√(G · G_DD)` of the Wiener gain with the quiet-frame noise and the
  /// decision-directed Wiener gain of the same recording and noise: each gain's decibels
  /// count half.
  case withDecisionDirected(floor: Float = 0.1)
  /// The speech + noise model's own Wiener gain, `G = clamp(S / (S + N), floor, 1)`, with S
  /// the fitted speech power and N the noise power the fit learnt (`FitModel.speechPlusNoise`).
  case modelWiener(floor: Float = 0.1)
  /// The MMSE log-spectral-amplitude gain with the fit's own a-priori SNR ξ = S / N and
  /// a-posteriori SNR γ = |Y|² / N, at least `floor`: the prior's estimate inside a stronger
  /// classical gain.
  case modelLogSpectralAmplitude(floor: Float = 0.1)
  /// The decision-directed Wiener gain with the noise power a speech + noise fit learnt in
  /// place of the quiet frames' estimate: the prior as a noise estimator for a classical gain.
  case decisionDirectedModelNoise
  /// The geometric mean `√(G_model · G_DD)` of the model's Wiener gain and the
  /// decision-directed Wiener gain, both with the noise the fit learnt.
  case modelWienerWithDecisionDirected(floor: Float = 0.1)

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
    case .withDecisionDirected(let floor):
      return "Wiener gain × DD Wiener" + (floor != 0.1 ? ", floor \(floor)" : "")
    case .modelWiener(let floor):
      return "model Wiener" + (floor != 0.1 ? ", floor \(floor)" : "")
    case .modelLogSpectralAmplitude(let floor):
      return "model LSA" + (floor != 0.1 ? ", floor \(floor)" : "")
    case .decisionDirectedModelNoise:
      return "DD Wiener, model noise"

    case .modelWienerWithDecisionDirected(let floor):
      return "model Wiener × DD Wiener" + (floor != 0.1 ? ", floor \(floor)" : "")
    }
  }

  /// Whether the gain needs the noise power a speech + noise fit learnt.
  public var needsModelNoise: Bool {
    switch self {
    case .modelWiener, .modelLogSpectralAmplitude, .decisionDirectedModelNoise,
      .modelWienerWithDecisionDirected:
      true
    case .direct, .wienerGain, .withDecisionDirected: false
    }
  }
}

extension FitTarget {
  // book: reconstruct
  /// Audio from a fitted image: undo the scaling, append the noisy Nyquist row, then either
  /// put the noisy phase on the magnitude (`.direct`) or use it as the speech estimate of a
  /// Wiener-style gain on the noisy STFT (the other cases); inverse STFT to the recording's
  /// length.
  /// - Parameters:
  ///   - image: `[rows, frames]`, e.g. a generator output; `image` itself gives the
  ///     recording back (`.direct`, to rounding) or the recording exactly (`.wienerGain`).
  ///   - method: the reconstruction.
  ///   - noisePower: the speech + noise model's noise power, `[rows]`, for the methods that
  ///     need it (`needsModelNoise`).
  /// - Returns: `[noisy.count]` samples.
  /// - Throws: `PriorError.sizeMismatch` for an image of the wrong size, `.invalidArgument`
  ///   for a missing noise power.
  public func reconstruct(
    _ image: [Float], _ method: Reconstruction = .direct, noisePower: [Float]? = nil
  ) throws(PriorError) -> [Float] {
    // BEGIN SOLUTION reconstruct: |Ŝ| from the image; |Ŝ|·Y/|Y| (noisy phase) or G·Y; inverse STFT
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
    default:
      let gain = try gain(speech: speech, method, noisePower: noisePower)
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

  /// The gain on the noisy spectrogram that a fitted image stands for, `[bins, frames]`:
  /// `Ŝ / |Y|` (0 where `|Y| = 0`) for `.direct`, the Wiener-style gains otherwise.
  /// - Throws: `PriorError.sizeMismatch` for an image of the wrong size, `.invalidArgument`
  ///   for a missing noise power.
  public func gain(of image: [Float], _ method: Reconstruction, noisePower: [Float]? = nil)
    throws(PriorError) -> [Float]
  {
    try gain(speech: try magnitude(fromImage: image), method, noisePower: noisePower)
  }

  // book: prior-gain
  /// The gain of a speech magnitude estimate Ŝ, `[bins, frames]`.
  func gain(speech: [Float], _ method: Reconstruction, noisePower: [Float]?)
    throws(PriorError) -> [Float]
  {
    switch method {
    case .direct:
      return zip(speech, noisyMagnitude).map { s, y in y > 0 ? s / y : 0 }
    case .wienerGain(let floor, let noise):
      return wienerGain(floor: floor, noise: noise, speech: speech)
    case .withDecisionDirected(let floor):
      // One quiet-frame noise estimate for both gains.
      let noisyPower = noisyMagnitude.map { $0 * $0 }
      let noise = quietestFramesNoisePower(power: noisyPower, bins: bins, frames: frames)
      let fitted = Suppression.wienerGain(
        speechPower: speech.map { $0 * $0 }, noisePower: noise, floor: floor)
      let classical = DecisionDirectedWiener().gain(
        power: noisyPower, noisePower: noise, bins: bins, frames: frames)
      return zip(fitted, classical).map { ($0 * $1).squareRoot() }
    case .modelWiener(let floor):
      let noise = try modelNoise(noisePower)
      return Suppression.wienerGain(
        speechPower: speech.map { $0 * $0 }, noisePower: noise, floor: floor)
    case .modelLogSpectralAmplitude(let floor):
      let noise = try modelNoise(noisePower)
      return speech.indices.map { i in
        let n = Double(noise[noise.count == speech.count ? i : i / frames])
        let (s, y) = (Double(speech[i]), Double(noisyMagnitude[i]))
        let gain = logSpectralAmplitudeGain(priori: s * s / n, posterior: y * y / n)
        return max(Float(gain), floor)
      }
    case .decisionDirectedModelNoise:
      return DecisionDirectedWiener().gain(
        power: noisyMagnitude.map { $0 * $0 }, noisePower: try modelNoise(noisePower),
        bins: bins, frames: frames)
    case .modelWienerWithDecisionDirected(let floor):
      let model = try gain(speech: speech, .modelWiener(floor: floor), noisePower: noisePower)
      let classical = try gain(speech: speech, .decisionDirectedModelNoise, noisePower: noisePower)
      return zip(model, classical).map { ($0 * $1).squareRoot() }
    }
  }

  /// A speech + noise fit's noise power, `[rows]` or `[rows, frames]`, extended to every bin,
  /// `[bins]` or `[bins, frames]`: the Nyquist bin, which the image leaves out, takes the row
  /// below it.
  func modelNoise(_ noisePower: [Float]?) throws(PriorError) -> [Float] {
    guard let noisePower else {
      throw .invalidArgument(
        argument: "noisePower", reason: "this gain needs the noise a speech + noise fit learnt")
    }
    if noisePower.count == rows * frames {
      return noisePower + noisePower[((rows - 1) * frames)...]
    }
    guard noisePower.count == rows else {
      throw .sizeMismatch(what: "noise power", count: noisePower.count, expected: rows)
    }
    return noisePower + [noisePower[rows - 1]]
  }

  // book: end

  /// The Wiener-style gain of a speech magnitude estimate against this recording.
  /// - Parameters:
  ///   - floor: the smallest gain, in [0, 1].
  ///   - noise: how the noise power per frequency is estimated.
  ///   - speech: Ŝ, `[bins, frames]`.
  /// - Returns: G, `[bins, frames]` in [floor, 1].
  public func wienerGain(floor: Float, noise: NoiseEstimate, speech: [Float]) -> [Float] {
    let speechPower = speech.map { $0 * $0 }
    let noisyPower = noisyMagnitude.map { $0 * $0 }
    let noisePower =
      switch noise {
      case .meanResidual, .medianResidual:
        residualNoisePower(
          noisyPower: noisyPower, speechPower: speechPower, frames: frames,
          median: noise == .medianResidual)
      case .quietFrames:
        quietestFramesNoisePower(power: noisyPower, bins: bins, frames: frames)
      }
    return Suppression.wienerGain(speechPower: speechPower, noisePower: noisePower, floor: floor)
  }
}

/// How the noise power per frequency is estimated from what a fit leaves unexplained.
///
/// The residual power of bin f in frame t is `r[f, t] = max(|Y|² - Ŝ², 0)`: the part of the
/// noisy power above the fitted speech estimate Ŝ (negative differences, where the fit
/// overshoots, carry no information about the noise and count as 0).
public enum NoiseEstimate: Hashable, Sendable, CustomStringConvertible {
  /// `N̂²(f) = mean over t of r[f, t]`: every frame counts, including speech the fit has not
  /// reached yet, which then counts as noise.
  case meanResidual
  /// `N̂²(f) = median over t of r[f, t]`: robust to the frames where speech is loud and the
  /// fit falls short of it, as long as those are fewer than half of the frames of the bin.
  case medianResidual
  /// `N̂²(f)` from the quietest 10 % of the noisy frames (`quietestFramesNoisePower`), the
  /// classical estimate: the fit says where speech is, the pauses say how loud the noise is.
  case quietFrames

  /// "mean residual", "median residual".
  public var description: String {
    switch self {
    case .meanResidual: "mean residual"
    case .medianResidual: "median residual"
    case .quietFrames: "quiet frames"
    }
  }
}

/// The noise power per frequency that a speech estimate leaves unexplained.
/// - Parameters:
///   - noisyPower: |Y|², `[bins, frames]` row-major.
///   - speechPower: Ŝ², `[bins, frames]` row-major.
///   - frames: columns per row.
///   - median: the median over the frames of the residual `max(|Y|² - Ŝ², 0)` instead of
///     its mean.
/// - Returns: N̂²(f), `[bins]`.
public func residualNoisePower(
  noisyPower: [Float], speechPower: [Float], frames: Int,
  median: Bool = false
) -> [Float] {
  precondition(noisyPower.count == speechPower.count, "|Y|² and Ŝ² differ in size")
  precondition(frames > 0 && noisyPower.count % frames == 0, "\(frames) frames per row")
  let bins = noisyPower.count / frames
  var residual = [Float](repeating: 0, count: frames)
  return (0..<bins).map { f in
    for t in 0..<frames {
      residual[t] = max(noisyPower[f * frames + t] - speechPower[f * frames + t], 0)
    }
    if median { return Tensors.median(residual) }
    // Summed in Double: 256 frames of values spanning many decades.
    return Float(residual.reduce(0.0) { $0 + Double($1) } / Double(frames))
  }
}
