import Foundation

/// Wall-clock seconds since an arbitrary fixed point, from a monotonic clock.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The median wall-clock time of `body` in seconds, after `warmUp` untimed runs.
///
/// The median, not the mean: one run disturbed by another process should not move it.
public func medianSeconds(repeats: Int, warmUp: Int = 1, _ body: () throws -> Void) rethrows
  -> Double
{
  precondition(repeats > 0, "repeats must be positive")
  for _ in 0..<warmUp { try body() }
  var times: [Double] = []
  for _ in 0..<repeats {
    let start = monotonicSeconds()
    try body()
    times.append(monotonicSeconds() - start)
  }
  return median(times)
}

/// The median of some numbers: the middle one, or the mean of the middle two.
public func median(_ values: [Double]) -> Double {
  precondition(!values.isEmpty, "the median of no numbers")
  let sorted = values.sorted()
  let n = sorted.count
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
}
