import CBLAS
import ChapterSupport
import Foundation
import Random
import Tensors

// Chapter 3: matrix multiplication and the generator's transposed convolution.
// Every rate is checked against a reference measured in the same run: the Tensor wrapper
// against cblas_sgemm on raw buffers, the blocked Swift GEMM against the triple loop.

/// GFLOP/s of an n × n × n single-precision GEMM (2n³ floating-point operations).
func gemmGFLOPS(size n: Int, seconds: Double) -> Double {
  2 * pow(Double(n), 3) / seconds / 1e9
}

/// The median time of cblas_sgemm on raw n × n buffers, called from Swift exactly as a C
/// program would: the "OpenBLAS from C" reference.
func rawSGEMMSeconds(size n: Int, repeats: Int) -> Double {
  let a = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
  let b = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
  let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
  defer {
    a.deallocate()
    b.deallocate()
    c.deallocate()
  }
  var random = Xoshiro256(seed: 1)
  for i in 0..<(n * n) {
    a[i] = Float(random.uniform(-1, 1))
    b[i] = Float(random.uniform(-1, 1))
  }
  c.initialize(repeating: 0, count: n * n)
  let size = Int32(n)
  return medianSeconds(repeats: repeats, warmUp: 2) {
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1, a, size, b, size, 0, c,
      size)
  }
}

/// The machine's measured GEMM peak: GFLOP/s of cblas_sgemm at `size`² with the current
/// OpenBLAS thread count. Later chapters report their speed as a fraction of it.
func measuredGEMMPeak(size: Int = 2048) -> Double {
  gemmGFLOPS(size: size, seconds: rawSGEMMSeconds(size: size, repeats: size >= 2048 ? 5 : 11))
}

/// Formats `x` as a percentage with no decimals.
func percent(_ x: Double) -> String { "\(fixed(100 * x, 0))%" }

func chapter03Benchmarks() throws -> [BenchRow] {
  var rows: [BenchRow] = []

  // The BLAS path at 1024²: raw buffers against the Tensor wrapper, same run, same threads.
  let n = 1024
  let raw = rawSGEMMSeconds(size: n, repeats: 11)
  let a = Tensor.uniform([n, n], low: -1, high: 1, seed: 2)
  let b = Tensor.uniform([n, n], low: -1, high: 1, seed: 3)
  var c = Tensor.zeros([n, n])
  let wrapperNew = medianSeconds(repeats: 11, warmUp: 2) { _ = matmul(a, b) }
  let wrapperInto = medianSeconds(repeats: 11, warmUp: 2) { matmul(a, b, into: &c) }
  let gflops = { (s: Double) in "\(fixed(gemmGFLOPS(size: n, seconds: s), 1)) GFLOP/s" }
  rows.append(
    BenchRow(
      what: "cblas_sgemm on raw buffers (2 threads)", size: "1024²", seconds: raw,
      rate: gflops(raw), ofReference: "reference"))
  rows.append(
    BenchRow(
      what: "matmul(a, b), Tensor wrapper, new output", size: "1024²", seconds: wrapperNew,
      rate: gflops(wrapperNew), ofReference: "\(percent(raw / wrapperNew)) of raw sgemm"))
  rows.append(
    BenchRow(
      what: "matmul(a, b, into: &c), reused output", size: "1024²", seconds: wrapperInto,
      rate: gflops(wrapperInto), ofReference: "\(percent(raw / wrapperInto)) of raw sgemm"))

  // Triple loop against the blocked Swift GEMM at 512², both single-threaded Swift.
  let m = 512
  let x = Tensor.uniform([m, m], low: -1, high: 1, seed: 4)
  let y = Tensor.uniform([m, m], low: -1, high: 1, seed: 5)
  let naive = medianSeconds(repeats: 3, warmUp: 1) { _ = naiveMatmul(x, y) }
  let blocked = medianSeconds(repeats: 11, warmUp: 2) { _ = blockedMatmul(x, y) }
  let rate = { (s: Double) in "\(fixed(gemmGFLOPS(size: m, seconds: s), 2)) GFLOP/s" }
  rows.append(
    BenchRow(
      what: "naiveMatmul (triple loop)", size: "512²", seconds: naive, rate: rate(naive),
      ofReference: "reference"))
  rows.append(
    BenchRow(
      what: "blockedMatmul (Swift, 1 thread)", size: "512²", seconds: blocked, rate: rate(blocked),
      ofReference: "\(fixed(naive / blocked, 1))× the triple loop"))

  // The GEMM peak that later chapters quote their speed against.
  let peak1024 = gemmGFLOPS(size: n, seconds: raw)
  let peak2048 = measuredGEMMPeak(size: 2048)
  rows.append(
    BenchRow(
      what: "GEMM peak (cblas_sgemm, 2 threads)", size: "2048²",
      seconds: 2 * pow(2048, 3) / peak2048 / 1e9, rate: "\(fixed(peak2048, 1)) GFLOP/s",
      ofReference: "1024²: \(fixed(peak1024, 1)) GFLOP/s"))

  // The generator's 64 → 32-channel transposed convolution, k4 s2 p1: [1,64,32,32] → [1,32,64,64].
  let input = Tensor.normal([1, 64, 32, 32], seed: 6)
  let weight = Tensor.normal([64, 32, 4, 4], standardDeviation: 0.02, seed: 7)
  let workspace = ConvolutionWorkspace()
  var output = Tensor.zeros([])
  let convT = medianSeconds(repeats: 51, warmUp: 5) {
    convTranspose2d(
      input, weight: weight, stride: 2, padding: 1, into: &output, workspace: workspace)
  }
  // The GEMM does (32·4·4) · (32·32) · 64 multiply-adds of 2 FLOP each; col2im only adds.
  let convFlops = 2.0 * 32 * 16 * 1024 * 64
  let convRate = convFlops / convT / 1e9
  rows.append(
    BenchRow(
      what: "convTranspose2d 64→32, k4 s2 p1 (GEMM + col2im)", size: "[1,64,32,32]→[1,32,64,64]",
      seconds: convT, rate: "\(fixed(convRate, 1)) GFLOP/s",
      ofReference: "\(percent(convRate / peak2048)) of GEMM peak"))

  // Its two parts: the GEMM Wᵀ·x into the [512, 1024] column matrix, and col2im.
  let g = ConvGeometry(
    channels: 32, height: 64, width: 64, kernelHeight: 4, kernelWidth: 4, stride: 2, padding: 1)
  let columns = UnsafeMutablePointer<Float>.allocate(capacity: g.columnRows * g.columnCount)
  let image = UnsafeMutablePointer<Float>.allocate(capacity: g.channels * g.height * g.width)
  defer {
    columns.deallocate()
    image.deallocate()
  }
  image.initialize(repeating: 0, count: g.channels * g.height * g.width)
  let gemmPart = medianSeconds(repeats: 51, warmUp: 5) {
    weight.withUnsafeBufferPointer { w in
      input.withUnsafeBufferPointer { x in
        gemm(
          transposeA: true, m: g.columnRows, n: g.columnCount, k: 64, a: w.baseAddress!,
          lda: g.columnRows, b: x.baseAddress!, ldb: g.columnCount, c: columns,
          ldc: g.columnCount)
      }
    }
  }
  let col2imPart = medianSeconds(repeats: 51, warmUp: 5) {
    col2im(columns, g, addingInto: image)
  }
  rows.append(
    BenchRow(
      what: "  its GEMM Wᵀ·x", size: "[512,64]·[64,1024]", seconds: gemmPart,
      rate: "\(fixed(convFlops / gemmPart / 1e9, 1)) GFLOP/s",
      ofReference: "\(percent(gemmPart / convT)) of the layer"))
  rows.append(
    BenchRow(
      what: "  its col2im (scatter-add)", size: "[512,1024]→[32,64,64]", seconds: col2imPart,
      rate: "\(fixed(Double(g.columnRows * g.columnCount) / col2imPart / 1e9, 2)) G values/s",
      ofReference: "\(percent(col2imPart / convT)) of the layer"))
  return rows
}
