import Tensors

/// The median wall-clock time of `body` in seconds (`monotonicSeconds`, the library's one
/// clock), after `warmUp` untimed runs.
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
