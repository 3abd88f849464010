import Audio
import Denoising
import Foundation
import Spectral
import Suppression

// What a noise estimate costs, measured with the noise itself: possible only because the
// evaluation set mixes known noise into clean speech. Every function here is an oracle
// reference or a measurement of one, never a method.

/// The power `|X|²` of every value of a signal's spectrogram.
public struct PowerSpectrogram: Sendable {
  /// `[bins, frames]` row-major.
  public let power: [Float]
  public let bins: Int
  public let frames: Int

  /// The power spectrogram of `signal` under `stft`.
  public init(_ signal: [Float], stft: STFT) throws(EvaluationError) {
    let spectrum = try wrappingErrors { try stft(signal) }
    power = powerSpectrum(spectrum.real, spectrum.imag)
    (bins, frames) = (spectrum.bins, spectrum.frames)
  }

  /// The power of each bin averaged over all frames, `[bins]`.
  public var meanOverFrames: [Float] { meanPower(power, bins: bins, frames: frames) }

  /// `minimumTrackedNoisePower` of this power, unscaled, `[bins, frames]`.
  public func minimumTracked(smoothing: Float, radius: Int) -> [Float] {
    minimumTrackedNoisePower(
      power, bins: bins, frames: frames, smoothing: smoothing, radius: radius)
  }
}

extension EvaluationItem {
  /// The true noise power per bin, `[bins]`: the mean over the frames of the power of the
  /// noise that was mixed in.
  public func trueNoisePower(stft: STFT) throws(EvaluationError) -> [Float] {
    try PowerSpectrogram(noiseSamples, stft: stft).meanOverFrames
  }

  /// The true noise power of every value averaged over the frames within `radius` of it
  /// (`movingMeanPower`), `[bins, frames]`: what an estimate that follows the noise over
  /// windows of 2r + 1 frames could know at most.
  public func windowedTrueNoisePower(stft: STFT, radius: Int) throws(EvaluationError) -> [Float] {
    let noise = try PowerSpectrogram(noiseSamples, stft: stft)
    return movingMeanPower(noise.power, bins: noise.bins, frames: noise.frames, radius: radius)
  }
}

/// A window of 2r + 1 frames of 8 ms (a hop of 128 samples at 16 kHz) as a table's two
/// columns name it: its length and its frames, or "the segment" and "all" once it spans a
/// segment's 256 frames.
public func frameWindowColumns(radius: Int) -> [String] {
  radius >= 255 ? ["the segment", "all"] : ["\((2 * radius + 1) * 8) ms", "\(2 * radius + 1)"]
}

extension EvaluationItem {
  /// The decision-directed Wiener filter handed the true noise power of this item: the oracle
  /// reference that shows what the classical noise estimate costs, not a method.
  public func oracleWiener(stft: STFT) throws(EvaluationError) -> DecisionDirectedWiener {
    var wiener = DecisionDirectedWiener()
    wiener.knownNoisePower = try trueNoisePower(stft: stft)
    return wiener
  }
}

/// How far an estimate of the noise power lies from the true one in each band, in dB:
/// `10 log₁₀(Σ_band estimate / Σ_band actual)`, the error of the estimated noise amplitude.
/// - Parameters:
///   - estimate: `[bins]`, e.g. from the quietest frames.
///   - actual: `[bins]`, the true noise power.
///   - bands: ranges of bins.
public func bandErrorDecibels(estimate: [Float], actual: [Float], bands: [Range<Int>]) -> [Double] {
  precondition(estimate.count == actual.count, "one estimate per bin")
  func total(_ x: [Float], _ r: Range<Int>) -> Double { r.reduce(0) { $0 + Double(x[$1]) } }
  return bands.map { 10 * log10(total(estimate, $0) / total(actual, $0)) }
}

/// The factor that makes the minimum-tracked noise power unbiased on a noise draw: the
/// mean of its true power over the mean of its tracked minimum, over bins 1 … bins - 2 (the
/// DC and Nyquist bins of a real signal have other statistics).
/// - Parameter noise: the power spectrogram of a noise alone (white noise, for the book).
public func minimumTrackingBias(_ noise: PowerSpectrogram, smoothing: Float, radius: Int)
  -> Double
{
  let minimum = noise.minimumTracked(smoothing: smoothing, radius: radius)
  let inner = noise.frames..<((noise.bins - 1) * noise.frames)
  let truth = inner.reduce(0.0) { $0 + Double(noise.power[$1]) }
  return truth / inner.reduce(0.0) { $0 + Double(minimum[$1]) }
}

extension EvaluationSet {
  /// Every item denoised through the pipeline by the enhancer `method` makes for it, scored
  /// against its clean segment.
  public func scores(of method: (EvaluationItem) throws -> any Enhancer)
    throws(EvaluationError) -> [EvaluationScore]
  {
    try wrappingErrors {
      try scores { item in
        try Denoiser(enhancer: method(item))
          .denoise(AudioBuffer(mono: item.noisy, sampleRate: Denoiser.fittingRate)).samples
      }
    }
  }

  /// The SI-SDR improvement of the decision-directed Wiener filter over the noisy input when
  /// it is handed the noise power `noise(item)` (`[bins]` or `[bins, frames]`) for each item.
  public func wienerImprovement(
    over noisy: [EvaluationScore], noise: (EvaluationItem) throws -> [Float]
  ) throws(EvaluationError) -> Improvement {
    let scores = try scores { item in
      var wiener = DecisionDirectedWiener()
      wiener.knownNoisePower = try noise(item)
      return wiener
    }
    return Improvement(siSDR: scores, over: noisy)
  }

  /// The same filter handed, for each item, the minimum of its smoothed noisy power over the
  /// 2r + 1 frames around each frame (`minimumTracked`), scaled by the factor that makes it
  /// unbiased on a white-noise draw of its own (`minimumTrackingBias`): the improvement and
  /// that factor. Not an oracle: the measure of a tracker against the oracle rows.
  public func minimumTrackedWienerImprovement(
    over noisy: [EvaluationScore], stft: STFT, smoothing: Float, radius: Int
  ) throws(EvaluationError) -> (bias: Double, improvement: Improvement) {
    let white = try PowerSpectrogram(whiteNoise(count: items[0].clean.count, seed: 707), stft: stft)
    let bias = minimumTrackingBias(white, smoothing: smoothing, radius: radius)
    let improvement = try wienerImprovement(over: noisy) { item in
      let power = try PowerSpectrogram(item.noisy, stft: stft)
      return power.minimumTracked(smoothing: smoothing, radius: radius).map { $0 * Float(bias) }
    }
    return (bias, improvement)
  }
}

/// How far the noise power from the quietest 10 % of frames lies from the true one, by band,
/// averaged over some items.
public struct QuietFramesError: Sendable {
  /// The mean over the items of `bandErrorDecibels`, one per band.
  public let bandDecibels: [Double]
  /// The mean over the items of the share of the true noise power in `lowBins`.
  public let lowShare: Double

  public init(items: [EvaluationItem], stft: STFT, bands: [Range<Int>], lowBins: Range<Int>)
    throws(EvaluationError)
  {
    precondition(!items.isEmpty, "no items")
    var errors = [Double](repeating: 0, count: bands.count)
    var share = 0.0
    for item in items {
      let noisy = try PowerSpectrogram(item.noisy, stft: stft)
      let estimate = quietestFramesNoisePower(
        power: noisy.power, bins: noisy.bins, frames: noisy.frames)
      let actual = try item.trueNoisePower(stft: stft)
      let error = bandErrorDecibels(estimate: estimate, actual: actual, bands: bands)
      errors = zip(errors, error).map { $0 + $1 }
      share +=
        lowBins.reduce(0.0) { $0 + Double(actual[$1]) } / actual.reduce(0.0) { $0 + Double($1) }
    }
    bandDecibels = errors.map { $0 / Double(items.count) }
    lowShare = share / Double(items.count)
  }
}
