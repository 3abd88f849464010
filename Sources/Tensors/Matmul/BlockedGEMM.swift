// A cache-blocked matrix multiplication in plain Swift, in the style of GotoBLAS / BLIS:
// K. Goto, R. van de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS
// 34(3), 2008; F. Van Zee, R. van de Geijn, "BLIS", ACM TOMS 41(3), 2015.
//
// C is computed in register tiles of mr × nr values. Panels of A and B are first copied
// ("packed") into contiguous buffers in exactly the order the tile kernel reads them, sized
// so that a kc × nr sliver of B stays in L1 and an mc × kc block of A stays in L2.

/// The block sizes of `blockedGEMM`.
enum Blocking {
  /// Rows of the register tile: 6 accumulators of 8 floats.
  static let mr = 6
  /// Columns of the register tile: one `SIMD8<Float>`.
  static let nr = 8
  /// The depth of a packed panel: a kc × nr sliver of B is 8 KB.
  static let kc = 256
  /// Rows of a packed block of A (a multiple of mr): 96 × 256 floats are 96 KB.
  static let mc = 96
  /// Columns of a packed panel of B (a multiple of nr).
  static let nc = 2048
}

/// Copies rows `i0 ..< i0 + rows` and depths `p0 ..< p0 + depth` of op(A) into `packed`, as
/// strips of mr rows; within a strip, the mr values of one depth are adjacent. Rows past
/// the end of the strip are zeros, so the tile kernel never needs a bounds check.
@inline(__always)
func packA(
  _ a: UnsafePointer<Float>, lda: Int, transposed: Bool, rows: Int, depth: Int,
  i0: Int, p0: Int, into packed: UnsafeMutablePointer<Float>
) {
  let mr = Blocking.mr
  for strip in 0..<(rows + mr - 1) / mr {
    let target = packed + strip * depth * mr
    for r in 0..<mr {
      let i = strip * mr + r
      if i >= rows {
        for p in 0..<depth { target[p * mr + r] = 0 }
      } else if transposed {
        // op(A)[i, p] = A[p, i]
        for p in 0..<depth { target[p * mr + r] = a[(p0 + p) * lda + i0 + i] }
      } else {
        let row = a + (i0 + i) * lda + p0
        for p in 0..<depth { target[p * mr + r] = row[p] }
      }
    }
  }
}

/// Copies depths `p0 ..< p0 + depth` and columns `j0 ..< j0 + columns` of op(B) into
/// `packed`, as strips of nr columns; within a strip, the nr values of one depth are
/// adjacent. Columns past the end are zeros.
@inline(__always)
func packB(
  _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, depth: Int, columns: Int,
  p0: Int, j0: Int, into packed: UnsafeMutablePointer<Float>
) {
  let nr = Blocking.nr
  for strip in 0..<(columns + nr - 1) / nr {
    let target = packed + strip * depth * nr
    for p in 0..<depth {
      for c in 0..<nr {
        let j = strip * nr + c
        // op(B)[p, j] = B[j, p] when transposed
        target[p * nr + c] =
          j >= columns ? 0 : transposed ? b[(j0 + j) * ldb + p0 + p] : b[(p0 + p) * ldb + j0 + j]
      }
    }
  }
}

/// Adds `alpha · v` to the first `columns` values at `p`.
@inline(__always)
func addScaled(_ v: SIMD8<Float>, alpha: Float, to p: UnsafeMutablePointer<Float>, columns: Int) {
  if columns == 8 {
    // Unaligned: rows of C start anywhere.
    let raw = UnsafeMutableRawPointer(p)
    raw.storeBytes(
      of: raw.loadUnaligned(as: SIMD8<Float>.self) + alpha * v, as: SIMD8<Float>.self)
  } else {
    for j in 0..<columns { p[j] += alpha * v[j] }
  }
}

// book: micro-kernel
/// The register tile: C[0..<rows, 0..<columns] += alpha · Aₚ · Bₚ for one packed strip of A
/// (depth × 6) and one of B (depth × 8). The 6 × 8 sums stay in six SIMD registers for the
/// whole depth; each step loads 8 values of B and broadcasts 6 of A: 48 multiply-adds
/// for 14 loads.
@inline(__always)
func microKernel(
  depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, alpha: Float,
  c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int
) {
  // BEGIN SOLUTION gemm-micro-kernel: the 6 × 8 tile Σₚ (a's column p)(b's row p), then α·tile
  var c0 = SIMD8<Float>()
  var c1 = SIMD8<Float>()
  var c2 = SIMD8<Float>()
  var c3 = SIMD8<Float>()
  var c4 = SIMD8<Float>()
  var c5 = SIMD8<Float>()
  var pa = a
  var pb = b
  for _ in 0..<depth {
    // The packed strips hold `depth` full steps, so these reads stay inside them.
    let bp = UnsafeRawPointer(pb).loadUnaligned(as: SIMD8<Float>.self)
    c0 += pa[0] * bp
    c1 += pa[1] * bp
    c2 += pa[2] * bp
    c3 += pa[3] * bp
    c4 += pa[4] * bp
    c5 += pa[5] * bp
    pa += 6
    pb += 8
  }
  if rows > 0 { addScaled(c0, alpha: alpha, to: c, columns: columns) }
  if rows > 1 { addScaled(c1, alpha: alpha, to: c + ldc, columns: columns) }
  if rows > 2 { addScaled(c2, alpha: alpha, to: c + 2 * ldc, columns: columns) }
  if rows > 3 { addScaled(c3, alpha: alpha, to: c + 3 * ldc, columns: columns) }
  if rows > 4 { addScaled(c4, alpha: alpha, to: c + 4 * ldc, columns: columns) }
  if rows > 5 { addScaled(c5, alpha: alpha, to: c + 5 * ldc, columns: columns) }
  // END SOLUTION
}
// book: end

// book: blocked-gemm
/// C = alpha · op(A) · op(B) + beta · C, cache-blocked in Swift; the same contract as
/// `gemm` (row-major, `lda`/`ldb`/`ldc` row strides, transposes read in place).
public func blockedGEMM(
  transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let (mr, nr, kc, mc, nc) = (Blocking.mr, Blocking.nr, Blocking.kc, Blocking.mc, Blocking.nc)
  // Scale C by beta first; every tile then only adds.
  for i in 0..<m {
    let row = c + i * ldc
    if beta == 0 {
      row.update(repeating: 0, count: n)
    } else if beta != 1 {
      for j in 0..<n { row[j] *= beta }
    }
  }
  if k == 0 { return }
  let packedA = UnsafeMutablePointer<Float>.allocate(capacity: mc * kc)
  let packedB = UnsafeMutablePointer<Float>.allocate(capacity: kc * (min(nc, n) + nr))
  defer {
    packedA.deallocate()
    packedB.deallocate()
  }
  for j0 in stride(from: 0, to: n, by: nc) {
    let columns = min(nc, n - j0)
    for p0 in stride(from: 0, to: k, by: kc) {
      let depth = min(kc, k - p0)
      packB(
        b, ldb: ldb, transposed: transposeB, depth: depth, columns: columns, p0: p0, j0: j0,
        into: packedB)
      for i0 in stride(from: 0, to: m, by: mc) {
        let rows = min(mc, m - i0)
        packA(
          a, lda: lda, transposed: transposeA, rows: rows, depth: depth, i0: i0, p0: p0,
          into: packedA)
        for jr in stride(from: 0, to: columns, by: nr) {
          for ir in stride(from: 0, to: rows, by: mr) {
            microKernel(
              depth: depth, a: packedA + ir * depth, b: packedB + jr * depth, alpha: alpha,
              c: c + (i0 + ir) * ldc + j0 + jr, ldc: ldc,
              rows: min(mr, rows - ir), columns: min(nr, columns - jr))
          }
        }
      }
    }
  }
}
// book: end

/// C = op(A) · op(B) by `blockedGEMM`, as a new `[m, n]` tensor.
public func blockedMatmul(
  _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor {
  let (m, n, k) = matmulSizes(
    a, b, transposeA: transposeA, transposeB: transposeB, "blockedMatmul")
  let c = Tensor(uninitializedShape: [m, n])
  let target = c.storage.pointer
  withExtendedLifetime((a, b)) {
    blockedGEMM(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
      a: a.storage.pointer, lda: a.shape[1], b: b.storage.pointer, ldb: b.shape[1],
      c: target, ldc: n)
  }
  return c
}
