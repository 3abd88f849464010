import Foundation

/// Wall-clock seconds since an arbitrary fixed point, from a monotonic clock: the one clock
/// of the library, for the thread team's spin limits, the generator's step times and every
/// timing a chapter or the benchmark prints.
@inline(__always)
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
