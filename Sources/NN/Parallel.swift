import Dispatch
import Foundation

// The loops that are not GEMMs (column scatters, batch norm, the optimiser) run on every
// core through Dispatch. The split is fixed by the sizes alone, never by timing, so that
// every run computes bit-identical results.

/// The number of cores the elementwise loops are split over.
let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Calls `body(i)` for every i in 0..<iterations, spread over the cores; each call must
/// touch memory no other call writes. Runs inline when there is one iteration or one core.
@inline(__always)
func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
  if iterations <= 1 || coreCount == 1 {
    for i in 0..<iterations { body(i) }
  } else {
    // Safe to send: concurrentPerform returns only when every call has finished, and the
    // calls write disjoint memory (the caller's promise above).
    withoutActuallyEscaping(body) { body in
      let work = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: iterations) { work.value($0) }
    }
  }
}

/// A value handed to other threads under the caller's guarantee that they do not race.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// Splits 0..<count into at most `coreCount` contiguous ranges of at least `minimum`
/// elements (a multiple of 16, so that every range but the last starts on a cache line) and
/// calls `body` with each, in parallel.
@inline(__always)
func parallelRanges(_ count: Int, minimum: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
  let parts = max(1, min(coreCount, count / max(minimum, 1)))
  if parts == 1 {
    body(0..<count)
    return
  }
  let size = ((count + parts - 1) / parts + 15) & ~15
  parallelFor(parts) { part in
    let start = part * size
    body(min(start, count)..<min(start + size, count))
  }
}
