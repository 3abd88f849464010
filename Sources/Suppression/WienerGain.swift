import Foundation

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
  // BEGIN SOLUTION wiener-gain: ξ/(1 + ξ) = Ŝ²/(Ŝ² + N̂²), N̂² the row's; in [floor, 1]; 0/0 is 1
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
