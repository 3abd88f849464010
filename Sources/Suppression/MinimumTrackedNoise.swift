/// The noise power of every value as the smallest smoothed power in the frames around it: a
/// simplified minimum statistics (R. Martin, IEEE Trans. Speech Audio Process. 9(5), 2001).
///
/// Each bin's power is first smoothed over time, `S[t] = α S[t - 1] + (1 - α) P[t]` with
/// `S[-1] = P[0]`, then the noise at frame t is the minimum of `S` over the frames within
/// `radius` of t. Speech comes and goes within a bin while noise stays, so a minimum over a
/// window longer than a syllable finds the noise floor even where the window holds no pause;
/// the shorter the window, the better it follows a changing noise, and the likelier it is
/// to land on speech. A minimum lies below the mean: the caller scales it by a bias factor,
/// for instance the one that makes it unbiased on white noise. Martin's estimator also adapts
/// α and corrects the bias value by value; this one keeps both fixed, to show the idea.
/// - Parameters:
///   - power: `|X|²`, `[bins, frames]` row-major.
///   - smoothing: α in [0, 1).
///   - radius: the window is the frames t - radius … t + radius that exist.
/// - Returns: `[bins, frames]`, the unscaled minimum.
public func minimumTrackedNoisePower(
  _ power: [Float], bins: Int, frames: Int, smoothing: Float, radius: Int
) -> [Float] {
  precondition(power.count == bins * frames && frames > 0, "power is not [bins, frames]")
  precondition(smoothing >= 0 && smoothing < 1, "smoothing \(smoothing) is not in [0, 1)")
  precondition(radius >= 0, "radius \(radius) is negative")
  var result = [Float](repeating: 0, count: power.count)
  var smoothed = [Float](repeating: 0, count: frames)
  for k in 0..<bins {
    var s = power[k * frames]
    for t in 0..<frames {
      s = smoothing * s + (1 - smoothing) * power[k * frames + t]
      smoothed[t] = s
    }
    for t in 0..<frames {
      result[k * frames + t] = smoothed[max(0, t - radius)...min(frames - 1, t + radius)].min()!
    }
  }
  return result
}
