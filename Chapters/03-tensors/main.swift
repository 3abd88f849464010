// Chapter 3: tensors and fast matrix multiplication.
//
// Multiplies square matrices three ways (the triple loop, a cache-blocked Swift GEMM,
// OpenBLAS), checks each against the triple loop, times them, and plots GFLOP/s against
// size. Then checks convolution and transposed convolution against their definitions and
// shows what a stride-2 transposed convolution does to a flat image: the checkerboard.
import ChapterSupport
import Foundation
import Plot
import Tensors

ensureFastBLASKernels()
let options = ChapterOptions.fromCommandLine()

// MARK: - Matrix multiplication three ways

section("Matrix multiplication: triple loop, blocked Swift, OpenBLAS")
let sizes = options.quick ? [16, 32, 64, 128] : [64, 128, 192, 256, 384, 512, 768, 1024]
// The triple loop takes seconds beyond 512 (and minutes at 1024 in a debug build); above
// this size it is only used to check a few rows of each product.
let tripleLoopLimit = 512
let blasThreadCount = blasThreads()
print(
  "OpenBLAS threads: \(blasThreadCount) (AUDIOPRIOR_THREADS, or one per core); "
    + "the Swift versions use one thread")
print("OpenBLAS kernels: \(blasKernels())")

/// The median time of `body`, repeated often enough to fill about `budget` seconds.
@MainActor func measure(budget: Double, _ body: () -> Void) -> Double {
  let once = medianSeconds(repeats: 1, warmUp: options.quick ? 0 : 1, body)
  let repeats = options.quick ? 1 : max(3, min(25, Int(budget / max(once, 1e-6))))
  return medianSeconds(repeats: repeats, warmUp: 0, body)
}

/// Rows `rows` of a matrix, as a new matrix.
func rows(_ m: Tensor, _ rows: Range<Int>) -> Tensor {
  let columns = m.shape[1]
  return Tensor(
    Array(m.scalars[(rows.lowerBound * columns)..<(rows.upperBound * columns)]),
    shape: [rows.count, columns])
}

struct Timing {
  var n: Int
  var tripleLoop: Double?
  var blocked: Double
  var blas1: Double
  var blas: Double
}

var timings: [Timing] = []
var worstDifference: Float = 0
for n in sizes {
  let a = Tensor.uniform([n, n], low: -1, high: 1, seed: UInt64(n))
  let b = Tensor.uniform([n, n], low: -1, high: 1, seed: UInt64(n) + 1)
  // Check first: every fast product against the triple loop (its first 8 rows above the
  // limit), and stop if one is wrong.
  let checked = n <= tripleLoopLimit ? 0..<n : 0..<8
  let reference = naiveMatmul(rows(a, checked), b)
  for (name, product) in [("blocked", blockedMatmul(a, b)), ("BLAS", matmul(a, b))] {
    let difference = relativeDifference(rows(product, checked), reference)
    worstDifference = max(worstDifference, difference)
    guard difference < 1e-4 else {
      fatalError("\(name) product of \(n)² differs from the triple loop by \(difference)")
    }
  }
  let tripleLoop = n <= tripleLoopLimit ? measure(budget: 0.5) { _ = naiveMatmul(a, b) } : nil
  let blocked = measure(budget: 0.3) { _ = blockedMatmul(a, b) }
  var c = Tensor.zeros([n, n])
  setBLASThreads(1)
  let blas1 = measure(budget: 0.2) { matmul(a, b, into: &c) }
  setBLASThreads(blasThreadCount)
  let blas = measure(budget: 0.2) { matmul(a, b, into: &c) }
  timings.append(Timing(n: n, tripleLoop: tripleLoop, blocked: blocked, blas1: blas1, blas: blas))
}
print(
  "every product checked against the triple loop: largest relative difference "
    + String(format: "%.1e", Double(worstDifference)))

func gflops(_ n: Int, _ seconds: Double) -> Double { 2 * pow(Double(n), 3) / seconds / 1e9 }

var table = Table([
  "n", "triple loop (ms)", "GFLOP/s", "blocked (ms)", "GFLOP/s", "BLAS 1 thread (ms)",
  "GFLOP/s", "BLAS \(blasThreadCount) threads (ms)", "GFLOP/s",
])
for t in timings {
  let loop = t.tripleLoop.map { (fixed($0 * 1e3, 2), fixed(gflops(t.n, $0), 2)) } ?? ("-", "-")
  table.add([
    "\(t.n)", loop.0, loop.1, fixed(t.blocked * 1e3, 2), fixed(gflops(t.n, t.blocked), 1),
    fixed(t.blas1 * 1e3, 2), fixed(gflops(t.n, t.blas1), 1), fixed(t.blas * 1e3, 2),
    fixed(gflops(t.n, t.blas), 1),
  ])
}
table.print()
print("(the triple loop is timed up to n = \(tripleLoopLimit) only)")
let atLimit = timings.last { $0.tripleLoop != nil }!
print(
  "at n = \(atLimit.n): blocked is \(fixed(atLimit.tripleLoop! / atLimit.blocked, 1))× the "
    + "triple loop, BLAS (\(blasThreadCount) threads) "
    + "\(fixed(atLimit.tripleLoop! / atLimit.blas, 0))×")

var plot = LinePlot(
  title: "Single-precision matrix multiplication, n x n", xLabel: "n", yLabel: "GFLOP/s")
plot.xScale = .log
plot.yScale = .log
let looped = timings.filter { $0.tripleLoop != nil }
let series: [(label: String, timings: [Timing], seconds: (Timing) -> Double)] = [
  ("triple loop", looped, { $0.tripleLoop! }),
  ("blocked Swift, 1 thread", timings, { $0.blocked }),
  ("OpenBLAS, 1 thread", timings, { $0.blas1 }),
  ("OpenBLAS, \(blasThreadCount) threads", timings, { $0.blas }),
]
for (index, s) in series.enumerated() {
  let x = s.timings.map { Double($0.n) }
  let y = s.timings.map { gflops($0.n, s.seconds($0)) }
  plot.line(x: x, y: y, label: s.label, color: Color.palette(index))
  plot.points(x: x, y: y, color: Color.palette(index))
}
try plot.write(to: options.figure("03-matmul-gflops.png"), width: 900, height: 560)

// MARK: - Convolution as im2col + GEMM

section("Convolution and transposed convolution: im2col + GEMM against the definitions")
// A generator-like layer: channels halve, the image doubles (k4 s2 p1).
let (cIn, cOut, side) = options.quick ? (4, 2, 4) : (32, 16, 16)
let x = Tensor.normal([1, cIn, side, side], seed: 1)
let w = Tensor.normal([cIn, cOut, 4, 4], standardDeviation: 0.02, seed: 2)
var convTable = Table([
  "operation", "shape", "direct loops (ms)", "im2col + GEMM (ms)", "rel. diff",
])
var fast = Tensor.zeros([])
let workspace = ConvolutionWorkspace()
let directT = measure(budget: 0.2) {
  fast = directConvTranspose2d(x, weight: w, stride: 2, padding: 1)
}
let expectedT = fast
let gemmT = measure(budget: 0.2) {
  convTranspose2d(x, weight: w, stride: 2, padding: 1, into: &fast, workspace: workspace)
}
convTable.add([
  "convTranspose2d k4 s2 p1", "\(x.shape) → \(fast.shape)", fixed(directT * 1e3, 2),
  fixed(gemmT * 1e3, 3), String(format: "%.1e", Double(relativeDifference(fast, expectedT))),
])
// The convolution back down, with the same weight read as [out, in, kh, kw] = [cIn, cOut, 4, 4].
let y = expectedT
var down = Tensor.zeros([])
let directC = measure(budget: 0.2) { down = directConv2d(y, weight: w, stride: 2, padding: 1) }
let expectedC = down
let gemmC = measure(budget: 0.2) {
  conv2d(y, weight: w, stride: 2, padding: 1, into: &down, workspace: workspace)
}
convTable.add([
  "conv2d k4 s2 p1", "\(y.shape) → \(down.shape)", fixed(directC * 1e3, 2),
  fixed(gemmC * 1e3, 3), String(format: "%.1e", Double(relativeDifference(down, expectedC))),
])
convTable.print()

// MARK: - The checkerboard

section("What a stride-2 transposed convolution does to a flat image")
// One channel in, one out: an 8 × 8 input, spread by a kernel onto a 2× larger output.
let inputSide = 8
let constant = Tensor.ones([1, 1, inputSide, inputSide])
var impulses = Tensor.zeros([1, 1, inputSide, inputSide])
for row in [1, 5] { for column in [1, 5] { impulses[0, 0, row, column] = 1 } }
let kernels: [(name: String, weight: Tensor)] = [
  ("ones, k4", Tensor.ones([1, 1, 4, 4])),
  ("ones, k3", Tensor.ones([1, 1, 3, 3])),
  ("random, k4", Tensor.normal([1, 1, 4, 4], mean: 1, standardDeviation: 0.3, seed: 3)),
]

/// The interior of a single-channel image (one pixel of border dropped on each side).
func interior(_ image: Tensor) -> [Float] {
  let (h, w) = (image.shape[2], image.shape[3])
  var values: [Float] = []
  for row in 1..<(h - 1) { for column in 1..<(w - 1) { values.append(image[0, 0, row, column]) } }
  return values
}

var checkerTable = Table([
  "kernel (stride 2, padding 1)", "output", "interior min", "interior max", "max / min",
])
var panels: [any Chart] = []
func panel(
  _ image: Tensor, _ title: String, range: ClosedRange<Float>? = nil, quantity: String = "output"
) -> HeatMap {
  let (h, w) = (image.shape[2], image.shape[3])
  // Row 0 of the heat map is drawn at the bottom: flip so the image reads top-down.
  var flipped: [Float] = []
  for row in (0..<h).reversed() { for column in 0..<w { flipped.append(image[0, 0, row, column]) } }
  var map = HeatMap(
    values: flipped, rows: h, columns: w, title: title, colorbarLabel: quantity,
    colormap: .viridis)
  map.showsAxes = false
  map.valueRange = range
  return map
}
for (input, name) in [(constant, "constant input"), (impulses, "impulses")] {
  panels.append(panel(input, name, range: 0...1, quantity: "input"))
  for kernel in kernels {
    let output = convTranspose2d(input, weight: kernel.weight, stride: 2, padding: 1)
    let values = interior(output)
    let (low, high) = (values.min()!, values.max()!)
    // The random kernel's checkerboard is a few percent of the value: colour the interior's
    // range (the border, where fewer taps land, falls below it and shows dark).
    let range: ClosedRange<Float>? =
      input == constant && kernel.name.hasPrefix("random")
      ? low...high : nil
    let size = "\(output.shape[2])x\(output.shape[3])"
    let note = range == nil ? "" : " (interior)"
    panels.append(panel(output, "\(kernel.name) -> \(size)\(note)", range: range))
    if input == constant {
      checkerTable.add([
        kernel.name, size, fixed(low, 3), fixed(high, 3),
        fixed(high / low, 2),
      ])
    }
  }
}
checkerTable.print()
let grid = Grid(
  columns: 4, panels: panels,
  title: "Transposed convolution, stride 2, padding 1, of an 8x8 input")
try grid.write(to: options.figure("03-convtranspose.png"), width: 1400, height: 720)
let tiny = Tensor((1...18).map(Float.init), shape: [2, 3, 3])  // im2col's columns, drawn
try Diagram.im2col(
  image: tiny.scalars, shape: tiny.shape, kernel: 2,
  columns: im2col(tiny, kernelHeight: 2, kernelWidth: 2).scalars
).write(to: options.figure("03-im2col.png"))
print(
  "figures: 03-matmul-gflops.png, 03-convtranspose.png, 03-im2col.png in \(options.figuresFolder)")
