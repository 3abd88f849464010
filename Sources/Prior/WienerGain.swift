import Foundation

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

  /// "mean residual", "median residual".
  public var description: String {
    switch self {
    case .meanResidual: "mean residual"
    case .medianResidual: "median residual"
    }
  }
}

/// The noise power per frequency that a speech estimate leaves unexplained.
/// - Parameters:
///   - noisyPower: |Y|², `[bins, frames]` row-major.
///   - speechPower: Ŝ², `[bins, frames]` row-major.
///   - frames: columns per row.
///   - estimate: mean or median over the frames of the residual `max(|Y|² - Ŝ², 0)`.
/// - Returns: N̂²(f), `[bins]`.
public func residualNoisePower(
  noisyPower: [Float], speechPower: [Float], frames: Int,
  estimate: NoiseEstimate = .meanResidual
) -> [Float] {
  precondition(noisyPower.count == speechPower.count, "|Y|² and Ŝ² differ in size")
  precondition(frames > 0 && noisyPower.count % frames == 0, "\(frames) frames per row")
  let bins = noisyPower.count / frames
  var residual = [Float](repeating: 0, count: frames)
  return (0..<bins).map { f in
    for t in 0..<frames {
      residual[t] = max(noisyPower[f * frames + t] - speechPower[f * frames + t], 0)
    }
    switch estimate {
    case .meanResidual:
      // Summed in Double: 256 frames of values spanning many decades.
      return Float(residual.reduce(0.0) { $0 + Double($1) } / Double(frames))
    case .medianResidual:
      residual.sort()
      let middle = frames / 2
      return frames % 2 == 1 ? residual[middle] : 0.5 * (residual[middle - 1] + residual[middle])
    }
  }
}

// book: wiener-gain
/// The Wiener-style gain of a speech estimate against a noise estimate, per bin and frame:
///
///     G[f, t] = clamp( Ŝ²[f, t] / (Ŝ²[f, t] + N̂²(f)),  floor, 1 )
///
/// the gain that minimises the expected squared error of G·Y when speech and noise are
/// independent with those powers (Wiener 1949; for the STFT, Lim & Oppenheim, "Enhancement
/// and bandwidth compression of noisy speech", Proc. IEEE 67(12), 1979,
/// https://doi.org/10.1109/PROC.1979.11540). The floor keeps the residual noise from being
/// carved into isolated "musical" tones; where both powers are 0 nothing is known to be
/// noise and the gain is 1.
/// - Parameters:
///   - speechPower: Ŝ², `[bins, frames]` row-major.
///   - noisePower: N̂²(f), `[bins]`.
///   - floor: the smallest gain, in [0, 1] (0.1 is -20 dB).
/// - Returns: G, `[bins, frames]`, every value in [floor, 1].
public func wienerGain(speechPower: [Float], noisePower: [Float], floor: Float) -> [Float] {
  // BEGIN SOLUTION wiener-gain: G = S2 / (S2 + N2[f]) for row f, 1 when both are 0, clamped
  precondition(!noisePower.isEmpty && speechPower.count % noisePower.count == 0, "[bins, frames]")
  let frames = speechPower.count / noisePower.count
  return speechPower.indices.map { i in
    let s2 = speechPower[i]
    let n2 = noisePower[i / frames]
    let gain = s2 + n2 > 0 ? s2 / (s2 + n2) : 1
    return min(max(gain, floor), 1)
  }
  // END SOLUTION
}
// book: end
