import Foundation

/// The periodogram of a recording where only noise is heard, against the noise's power: the
/// ratios r[f, t] = P[f, t] / N[f] over the bins where the speech is negligible.
///
/// If a bin of the noise's STFT is a circular complex Gaussian of power N (white, pink or
/// babble noise, away from DC and Nyquist, whose bins are real), its periodogram P = |Y|² is
/// exponentially distributed with mean N: r has the density e^(−r), whatever the bin's
/// power. The Itakura–Saito term r − log r − 1 of such a bin then averages Euler's γ
/// (`eulerGamma`): the loss of a model that gets the noise power exactly right.
/// S. M. Kay, "Fundamentals of Statistical Signal Processing: Estimation Theory", 1993, §15.
public struct NoisePeriodogram: Sendable {
  /// The number of bins counted.
  public var count: Int { ratios.count }
  /// r = P[f, t] / N[f] over the noise-only bins, row by row.
  public let ratios: [Float]

  /// The ratios of the noise-only bins of a power spectrogram.
  /// - Parameters:
  ///   - power: P = |Y|², `[bins, frames]` row-major.
  ///   - noisePower: N[f], `[bins]`, positive where a bin is counted.
  ///   - noiseOnly: which values hold noise alone, `[bins, frames]`.
  ///   - bins: the rows to count (leave out DC and Nyquist, whose periodogram is χ² with one
  ///     degree of freedom, not exponential).
  ///   - frames: the frames to count (leave out those whose window reaches into a reflected
  ///     padding, which repeats the noise).
  public init(
    power: [Float], noisePower: [Float], noiseOnly: [Bool], bins: Range<Int>, frames: Range<Int>
  ) {
    precondition(!noisePower.isEmpty && power.count % noisePower.count == 0, "[bins, frames]")
    precondition(noiseOnly.count == power.count, "noiseOnly is not [bins, frames]")
    let frameCount = power.count / noisePower.count
    precondition(bins.upperBound <= noisePower.count && frames.upperBound <= frameCount)
    var ratios: [Float] = []
    for f in bins where noisePower[f] > 0 {
      for t in frames where noiseOnly[f * frameCount + t] {
        ratios.append(Float(Double(power[f * frameCount + t]) / Double(noisePower[f])))
      }
    }
    self.ratios = ratios
  }

  /// The share of the ratios above `x`: e^(−x) for an exponential periodogram.
  public func share(above x: Float) -> Double {
    Double(ratios.filter { $0 > x }.count) / Double(max(count, 1))
  }

  /// The mean of r: 1 when N is the noise's power.
  public var meanRatio: Double {
    ratios.reduce(0.0) { $0 + Double($1) } / Double(max(count, 1))
  }

  /// The mean of r − log r − 1: the Itakura–Saito divergence of the periodogram from the
  /// noise's power, γ ≈ 0.577 for an exponential periodogram.
  public var meanDivergence: Double {
    var gradient: [Float] = []
    let ones = [Float](repeating: 1, count: count)
    return itakuraSaitoDivergence(observed: ratios, model: ones, gradient: &gradient)
  }
}

/// Where the speech of a made-up mixture is negligible: the values whose clean power lies
/// below `threshold` times the noise's power in their bin.
/// - Parameters:
///   - cleanPower: |X|², `[bins, frames]` row-major.
///   - noisePower: N[f], `[bins]`.
///   - threshold: 10⁻³ keeps the values where the speech is 30 dB or more below the noise.
/// - Returns: `[bins, frames]`, true where only noise is heard.
public func noiseOnlyBins(cleanPower: [Float], noisePower: [Float], threshold: Float = 1e-3)
  -> [Bool]
{
  precondition(!noisePower.isEmpty && cleanPower.count % noisePower.count == 0, "[bins, frames]")
  let frames = cleanPower.count / noisePower.count
  return cleanPower.indices.map { cleanPower[$0] < threshold * noisePower[$0 / frames] }
}
