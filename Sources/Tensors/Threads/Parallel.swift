import Synchronization

// Work split over the cores: GEMMs in blocks of columns, loops over channels or ranges,
// all on the library's thread team (ThreadTeam.swift). The split is fixed by the sizes and
// the thread count alone, never by timing, so that every run computes the same numbers.

/// Calls `body(i)` for every i in 0..<iterations, spread over the cores (the thread team,
/// ThreadTeam.swift); each call must touch memory no other call writes. Runs inline when
/// there is one iteration or one core.
@inline(__always)
func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
  let team = ThreadTeam.shared
  if iterations <= 1 || team.size == 1 {
    for i in 0..<iterations { body(i) }
  } else {
    team.run { member in
      for i in stride(from: member, to: iterations, by: team.size) { body(i) }
    }
  }
}

/// Splits 0..<count into at most `threadCount` contiguous ranges of at least `minimum`
/// elements (each but the last a multiple of 16 long, so that it starts on a cache line) and
/// calls `body(part, range)` with each, in parallel. The split depends on the sizes and the
/// thread count alone.
/// - Returns: the number of parts, 0..<parts being the `part` values passed to `body`.
@discardableResult
public func parallelRanges(
  _ count: Int, minimum: Int = 1 << 15, _ body: (_ part: Int, _ range: Range<Int>) -> Void
) -> Int {
  let parts = max(1, min(threadCount, count / max(minimum, 1)))
  if parts == 1 {
    body(0, 0..<count)
    return 1
  }
  let size = ((count + parts - 1) / parts + 15) & ~15
  parallelFor(parts) { part in
    let start = part * size
    body(part, min(start, count)..<min(start + size, count))
  }
  return parts
}

/// C = op(A) · op(B) (+ beta·C) as `gemm` computes it, split over the thread team: each
/// member multiplies its own block of C's columns (or rows, when C is taller than wide)
/// with single-threaded OpenBLAS. Call it inside `withSingleThreadedBLAS`.
public func parallelGEMM(
  transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let parts = ThreadTeam.shared.size
  let splitColumns = n >= m
  let length = splitColumns ? n : m
  // Blocks of a multiple of 16: every block but the last starts on a cache line.
  let block = ((length + parts - 1) / parts + 15) & ~15
  if parts == 1 || length < 32 {
    gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b,
      ldb: ldb, beta: beta, c: c, ldc: ldc)
    return
  }
  ThreadTeam.shared.run { part in
    let start = min(part * block, length)
    let count = min(block, length - start)
    guard count > 0 else { return }
    if splitColumns {
      // Columns start...start+count of C come from the same columns of op(B).
      gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: count, k: k, a: a, lda: lda,
        b: b + (transposeB ? start * ldb : start), ldb: ldb, beta: beta, c: c + start,
        ldc: ldc)
    } else {
      // Rows of C come from the same rows of op(A).
      gemm(
        transposeA: transposeA, transposeB: transposeB, m: count, n: n, k: k,
        a: a + (transposeA ? start : start * lda), lda: lda, b: b, ldb: ldb, beta: beta,
        c: c + start * ldc, ldc: ldc)
    }
  }
}

/// How many sections run with single-threaded OpenBLAS, and the thread count before the
/// first of them (OpenBLAS's setting is global: nested or concurrent sections share it).
private let singleThreadedSections = Mutex<(depth: Int, saved: Int)>((0, 0))

/// Runs `body` with OpenBLAS set to one thread (the team does the splitting), then restores
/// the thread count of before, once no other such section is running.
public func withSingleThreadedBLAS<R>(_ body: () -> R) -> R {
  singleThreadedSections.withLock { state in
    if state.depth == 0 {
      state.saved = blasThreads()
      if state.saved != 1 { setBLASThreads(1) }
    }
    state.depth += 1
  }
  defer {
    singleThreadedSections.withLock { state in
      state.depth -= 1
      if state.depth == 0 && state.saved != 1 { setBLASThreads(state.saved) }
    }
  }
  return body()
}
