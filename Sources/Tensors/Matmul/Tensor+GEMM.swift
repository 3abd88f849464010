import CBLAS

// Matrix multiplication three ways: the triple loop (the definition, kept as the reference),
// a cache-blocked Swift version (BlockedGEMM.swift), and OpenBLAS's sgemm, which the library
// uses. All three compute C = op(A) · op(B) with op(X) = X or Xᵀ.

/// The shapes of C = op(A) · op(B), checked: `(m, n, k)` with op(A) `[m, k]`, op(B) `[k, n]`.
func matmulSizes(
  _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, _ what: String
) -> (m: Int, n: Int, k: Int) {
  check(
    a.rank == 2 && b.rank == 2,
    "\(what): shapes \(a.shape) and \(b.shape) are not both matrices")
  let (m, ka) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
  let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
  check(
    ka == kb,
    "\(what): shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")"
      + " do not multiply: inner sizes \(ka) and \(kb) differ")
  return (m, n, ka)
}

// book: naive-matmul
/// C = A · B by the definition, c[i, j] = Σₚ a[i, p] · b[p, j]: the reference that the fast
/// versions are checked against. A is `[m, k]`, B is `[k, n]`; the result is `[m, n]`.
public func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
  // BEGIN SOLUTION naive-matmul: entry (i, j) of AB: row i of A dotted with column j of B
  let (m, n, k) = matmulSizes(a, b, transposeA: false, transposeB: false, "naiveMatmul")
  var c = Tensor.zeros([m, n])
  a.withUnsafeBufferPointer { a in
    b.withUnsafeBufferPointer { b in
      c.withUnsafeMutableBufferPointer { c in
        for i in 0..<m {
          for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum += a[i * k + p] * b[p * n + j] }
            c[i * n + j] = sum
          }
        }
      }
    }
  }
  return c
  // END SOLUTION
}
// book: end

/// C = alpha · op(A) · op(B) + beta · C on row-major matrices in raw memory, by OpenBLAS.
///
/// op(A) is `[m, k]`: A is stored `[m, k]` with row stride `lda`, or `[k, m]` when
/// `transposeA`; likewise op(B) is `[k, n]` and C is `[m, n]` with row stride `ldc`.
/// Transposes are read in place, never materialised. With `beta` 0, C is only written.
public func gemm(
  transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  if m == 0 || n == 0 { return }
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
    transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha, a,
    Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

// book: matmul
/// C = op(A) · op(B) by OpenBLAS, written into `c`, whose storage is reused when it already
/// has shape `[m, n]` and is not shared; with `accumulate`, C += op(A) · op(B) instead.
///
/// - Parameters:
///   - a: `[m, k]`, or `[k, m]` when `transposeA`.
///   - b: `[k, n]`, or `[n, k]` when `transposeB`.
///   - c: becomes `[m, n]`.
public func matmul(
  _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
  into c: inout Tensor, accumulate: Bool = false
) {
  let (m, n, k) = matmulSizes(a, b, transposeA: transposeA, transposeB: transposeB, "matmul")
  if accumulate {
    check(c.shape == [m, n], "matmul: accumulating into shape \(c.shape), not \([m, n])")
    c.makeUnique()
  } else {
    c.prepareForOverwrite(shape: [m, n])
  }
  let target = c.storage.pointer
  withExtendedLifetime((a, b)) {
    // Row strides of the matrices as stored: the transpose is BLAS's business.
    gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
      a: a.storage.pointer, lda: a.shape[1], b: b.storage.pointer, ldb: b.shape[1],
      beta: accumulate ? 1 : 0, c: target, ldc: n)
  }
}
// book: end

/// C = op(A) · op(B) by OpenBLAS, as a new `[m, n]` tensor.
public func matmul(
  _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor {
  var c = Tensor(uninitializedShape: [])
  matmul(a, b, transposeA: transposeA, transposeB: transposeB, into: &c)
  return c
}

/// Sets how many threads OpenBLAS uses (by default one per core).
public func setBLASThreads(_ count: Int) {
  check(count >= 1, "setBLASThreads: \(count) threads")
  openblas_set_num_threads(Int32(count))
}

/// How many threads OpenBLAS uses.
public func blasThreads() -> Int {
  Int(openblas_get_num_threads())
}
