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

/// The median seconds of each body, run in turn (one of each per round, after one untimed
/// warm-up round) so that a change in the machine's load between them affects all alike.
public func interleavedMedianSeconds(rounds: Int, _ bodies: [() -> Void]) -> [Double] {
  precondition(rounds > 0, "rounds must be positive")
  for body in bodies { body() }
  var times = bodies.map { _ in [Double]() }
  for _ in 0..<rounds {
    for (i, body) in bodies.enumerated() {
      let start = monotonicSeconds()
      body()
      times[i].append(monotonicSeconds() - start)
    }
  }
  return times.map(median)
}
