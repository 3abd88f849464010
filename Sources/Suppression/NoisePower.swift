/// The noise power spectrum of a recording, estimated from its quietest frames.
///
/// Speech pauses: in most recordings some frames hold only the background. Rank the frames
/// by their total power `E_t = Σ_k |X[k, t]|²`, keep the quietest `⌈fraction · frames⌉` (at
/// least one), and average their power bin by bin:
///
///     λ[k] = (1 / |Q|) Σ_{t ∈ Q} |X[k, t]|²
///
/// Two things bias it. Choosing the quietest frames picks those where the noise happened to
/// be weak, so for stationary noise λ is a little low (a few percent with 257 bins per frame).
/// And when speech fills every frame (no pause in the segment), speech leaks into λ and the
/// denoiser removes some of the speech with the noise. Minimum statistics (R. Martin, "Noise
/// power spectral density estimation based on optimal smoothing and minimum statistics",
/// IEEE Trans. Speech Audio Process. 9(5), 2001) tracks the noise bin by bin over time
/// instead; for segments of two seconds the simple estimate is what the baselines use.
///
/// - Parameters:
///   - power: `|X|²`, `[bins, frames]` row-major.
///   - fraction: the share of frames taken as noise-only, in (0, 1].
/// - Returns: `[bins]`, the noise power per bin in the units of `power`.
public func quietestFramesNoisePower(
  power: [Float], bins: Int, frames: Int, fraction: Double = 0.1
) -> [Float] {
  precondition(power.count == bins * frames && frames > 0, "power is not [bins, frames]")
  precondition(fraction > 0 && fraction <= 1, "fraction \(fraction) is not in (0, 1]")
  var frameEnergy = [Double](repeating: 0, count: frames)
  for k in 0..<bins {
    for t in 0..<frames { frameEnergy[t] += Double(power[k * frames + t]) }
  }
  let keep = max(1, Int((fraction * Double(frames)).rounded(.up)))
  // Ties broken by the frame index, so the choice never depends on the sort's algorithm.
  let quietest = frameEnergy.indices.sorted { (frameEnergy[$0], $0) < (frameEnergy[$1], $1) }
    .prefix(keep)
  return (0..<bins).map { k in
    let sum = quietest.reduce(0.0) { $0 + Double(power[k * frames + $1]) }
    return Float(sum / Double(keep))
  }
}

/// The power of each bin averaged over all frames, `(1 / frames) Σ_t |X[k, t]|²`: the true
/// noise power when the noise itself is known (as in a synthetic mixture).
///
/// - Parameter power: `|X|²`, `[bins, frames]` row-major.
/// - Returns: `[bins]`.
public func meanPower(_ power: [Float], bins: Int, frames: Int) -> [Float] {
  precondition(power.count == bins * frames && frames > 0, "power is not [bins, frames]")
  return (0..<bins).map { k in
    Float(power[(k * frames)..<((k + 1) * frames)].reduce(0.0) { $0 + Double($1) } / Double(frames))
  }
}

/// The power `|X|² = re² + im²` of every value of a spectrogram, `[bins, frames]` row-major.
public func powerSpectrum(_ real: [Float], _ imag: [Float]) -> [Float] {
  zip(real, imag).map { $0 * $0 + $1 * $1 }
}

/// The power of each value averaged over the frames within `radius` of it, in its own bin:
///
///     P̄[k, t] = (1 / |W(t)|) Σ_{u ∈ W(t)} P[k, u],   W(t) = max(0, t - r) … min(frames - 1, t + r)
///
/// Given the true noise's power (an oracle), this is the most a noise estimate can know that
/// follows the noise over windows of 2r + 1 frames: r = 0 is the noise value by value, a
/// radius of `frames` or more its mean over the whole recording (`meanPower`).
/// - Parameter power: `[bins, frames]` row-major.
/// - Returns: `[bins, frames]`.
public func movingMeanPower(_ power: [Float], bins: Int, frames: Int, radius: Int) -> [Float] {
  precondition(power.count == bins * frames && frames > 0, "power is not [bins, frames]")
  precondition(radius >= 0, "radius \(radius) is negative")
  var result = [Float](repeating: 0, count: power.count)
  // Prefix sums in Double: the window's sum is a difference of two of them.
  var prefix = [Double](repeating: 0, count: frames + 1)
  for k in 0..<bins {
    for t in 0..<frames { prefix[t + 1] = prefix[t] + Double(power[k * frames + t]) }
    for t in 0..<frames {
      let low = max(0, t - radius)
      let high = min(frames - 1, t + radius)
      result[k * frames + t] = Float((prefix[high + 1] - prefix[low]) / Double(high - low + 1))
    }
  }
  return result
}
