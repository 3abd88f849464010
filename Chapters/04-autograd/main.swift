// Chapter 4: automatic differentiation.
//
// Differentiates a first tiny graph, checks the backward pass of every operation against
// central finite differences, fits a two-layer transposed-convolution network to a 16 × 16
// ring by gradient descent with momentum while watching the process's memory, and measures
// what the graph costs on top of the kernels it calls.
import Autograd
import ChapterSupport
import Foundation
import Plot
import Tensors

ensureFastBLASKernels()
let options = ChapterOptions.fromCommandLine()

// MARK: - A first graph

section("A first graph: f(x) = x·x + 3x at x = 2")
let x = Variable(Tensor(2), requiresGrad: true)
let f = x * x + 3 * x
f.backward()
print("f(2) = \(f.value.scalar), df/dx = \(x.grad!.scalar) (by hand: 2x + 3 = 7)")

// MARK: - Every operation against finite differences

section("Every operation against central differences (h = 1e-3, Float32 values)")

/// Values uniform in [−1, 1].
func uniform(_ shape: [Int], seed: UInt64) -> Tensor {
  Tensor.uniform(shape, low: -1, high: 1, seed: seed)
}

/// Values of magnitude 0.2…1 and alternating sign: far from relu's kink and from a pole.
func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
  var index = 0
  return Tensor.uniform(shape, low: 0.2, high: 1, seed: seed).map { value in
    index += 1
    return index % 2 == 0 ? value : -value
  }
}

/// Σ r·y with fixed random weights r: one number of order one that depends on every value
/// of y, each with its own weight.
func projection(_ y: Variable) -> Variable {
  sum(y * Variable(Tensor.normal(y.shape, seed: 99)))
}

let checks: [(operation: String, inputs: [Tensor], f: ([Variable]) -> Variable)] = [
  ("a + b", [uniform([3, 1], seed: 1), uniform([1, 4], seed: 2)], { projection($0[0] + $0[1]) }),
  (
    "a - b", [uniform([2, 3, 4], seed: 3), uniform([3, 1], seed: 4)], { projection($0[0] - $0[1]) }
  ),
  ("a * b", [uniform([2, 3, 4], seed: 5), uniform([4], seed: 6)], { projection($0[0] * $0[1]) }),
  (
    "a / b", [uniform([2, 3], seed: 7), awayFromZero([2, 1], seed: 8)],
    { projection($0[0] / $0[1]) }
  ),
  ("2 - a / 3", [uniform([5], seed: 9)], { projection(2 - $0[0] / 3) }),
  (
    "matmul", [uniform([3, 4], seed: 10), uniform([4, 5], seed: 11)],
    { projection(matmul($0[0], $0[1])) }
  ),
  ("sum", [uniform([2, 3, 4], seed: 12)], { sum($0[0]) }),
  (
    "sum along [0, 2]", [uniform([2, 3, 4], seed: 13)],
    { projection(sum($0[0], alongAxes: [0, 2])) }
  ),
  ("mean", [uniform([2, 3, 4], seed: 14)], { mean($0[0]) }),
  ("mean along [1]", [uniform([2, 3, 4], seed: 15)], { projection(mean($0[0], alongAxes: [1])) }),
  ("reshape", [uniform([2, 3, 4], seed: 16)], { projection(reshape($0[0], [6, 4])) }),
  ("exp", [uniform([2, 3, 4], seed: 17)], { projection(exp($0[0])) }),
  (
    "log", [Tensor.uniform([2, 3, 4], low: 0.2, high: 2, seed: 18)],
    { projection(log($0[0])) }
  ),
  ("relu", [awayFromZero([2, 3, 4], seed: 19)], { projection(relu($0[0])) }),
  (
    "leakyReLU 0.2", [awayFromZero([2, 3, 4], seed: 20)],
    { projection(leakyReLU($0[0], slope: 0.2)) }
  ),
  ("sigmoid", [uniform([2, 3, 4], seed: 21)], { projection(sigmoid($0[0])) }),
  ("tanh", [uniform([2, 3, 4], seed: 22)], { projection(tanh($0[0])) }),
  (
    "conv2d k3 s1 p1",
    [uniform([2, 3, 5, 5], seed: 23), uniform([4, 3, 3, 3], seed: 24), uniform([4], seed: 25)],
    { v in projection(conv2d(v[0], weight: v[1], bias: v[2], padding: 1)) }
  ),
  (
    "conv2d k4 s2 p1",
    [uniform([1, 2, 6, 6], seed: 26), uniform([3, 2, 4, 4], seed: 27), uniform([3], seed: 28)],
    { v in projection(conv2d(v[0], weight: v[1], bias: v[2], stride: 2, padding: 1)) }
  ),
  (
    "convTranspose2d k4 s2 p1",
    [uniform([2, 3, 3, 3], seed: 29), uniform([3, 2, 4, 4], seed: 30), uniform([2], seed: 31)],
    { v in projection(convTranspose2d(v[0], weight: v[1], bias: v[2], stride: 2, padding: 1)) }
  ),
  (
    "batchNorm (fused)",
    [
      uniform([2, 3, 4, 4], seed: 32), Tensor.uniform([3], low: 0.5, high: 1.5, seed: 33),
      uniform([3], seed: 34),
    ],
    { v in projection(batchNorm(v[0], scale: v[1], shift: v[2])) }
  ),
  (
    "batchNorm along [0, 2]", [uniform([3, 2, 4], seed: 35)],
    { projection(batchNorm($0[0], alongAxes: [0, 2])) }
  ),
  ("mseLoss", [uniform([4, 4], seed: 36)], { mseLoss($0[0], uniform([4, 4], seed: 37)) }),
]

/// "1.2e-04" for an error.
func scientific(_ x: Double) -> String { String(format: "%.1e", x) }

var checkTable = Table(["operation", "input shapes", "max relative error, per input"])
var worstError = 0.0
for check in checks {
  let errors = gradcheck(check.inputs, check.f)
  worstError = max(worstError, errors.max()!)
  checkTable.add([
    check.operation, check.inputs.map { "\($0.shape)" }.joined(separator: " "),
    errors.map(scientific).joined(separator: "  "),
  ])
}
checkTable.print()
print(
  "largest error: \(scientific(worstError)) "
    + (worstError <= 1e-2 ? "(every operation within 1e-2)" : "— AN OPERATION FAILED"))

// MARK: - A tiny fit, and the memory it uses

section("A tiny fit: fixed noise [1, 8, 4, 4] → ConvT → relu → ConvT → sigmoid = 16 × 16")

/// A ring: 0.1 far from radius 0.3·side, rising smoothly to 0.9 on it.
func ring(side: Int) -> Tensor {
  let centre = Double(side - 1) / 2
  let (radius, width) = (0.3 * Double(side), 0.1 * Double(side))
  var values: [Float] = []
  for row in 0..<side {
    for column in 0..<side {
      let r = hypot(Double(row) - centre, Double(column) - centre)
      values.append(Float(0.1 + 0.8 * Foundation.exp(-pow(r - radius, 2) / (2 * width * width))))
    }
  }
  return Tensor(values, shape: [1, 1, side, side])
}

/// The process's resident set size in bytes, from /proc/self/statm (Linux).
func residentBytes() -> Int {
  let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
  let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
  return pages * sysconf(Int32(_SC_PAGESIZE))
}

let target = ring(side: 16)
let noise = Variable(Tensor.normal([1, 8, 4, 4], seed: 1))
// He-like scale: each output of a k4 s2 convT sums 8 channels × 4 taps.
let w1 = Variable(
  Tensor.normal([8, 8, 4, 4], standardDeviation: 0.25, seed: 2), requiresGrad: true)
let b1 = Variable(Tensor.zeros([8]), requiresGrad: true)
let w2 = Variable(
  Tensor.normal([8, 1, 4, 4], standardDeviation: 0.25, seed: 3), requiresGrad: true)
let b2 = Variable(Tensor.zeros([1]), requiresGrad: true)
let parameters = [w1, b1, w2, b2]
let (learningRate, momentum): (Float, Float) = (1, 0.9)
var velocities = parameters.map { Tensor.zeros($0.shape) }
// One workspace per layer, kept across steps: im2col scratch is allocated once.
let workspaces = (ConvolutionWorkspace(), ConvolutionWorkspace())

/// The network's output, [1, 1, 16, 16].
@MainActor func generate() -> Variable {
  let hidden = relu(
    convTranspose2d(noise, weight: w1, bias: b1, stride: 2, padding: 1, workspace: workspaces.0))
  return sigmoid(
    convTranspose2d(hidden, weight: w2, bias: b2, stride: 2, padding: 1, workspace: workspaces.1))
}

let steps = options.quick ? 1000 : 10_000
let memoryEvery = steps / 10
// Allocated and written before the loop, so that recording the losses does not itself
// grow the process while its memory is measured.
var losses = [Float](repeating: 0, count: steps)
var memory: [(step: Int, bytes: Int)] = []
memory.reserveCapacity(12)
let fitStart = monotonicSeconds()
let snapshotStep = 30
var snapshot = Tensor.zeros([])
for step in 0..<steps {
  let output = generate()
  if step + 1 == snapshotStep { snapshot = output.value }
  let loss = mseLoss(output, target)
  losses[step] = loss.value.scalar
  for p in parameters { p.zeroGrad() }
  loss.backward()
  // Gradient descent with momentum: v ← μ·v + ∂L/∂p, p ← p − η·v.
  for (i, p) in parameters.enumerated() {
    velocities[i] *= momentum
    velocities[i] += p.grad!
    p.value.add(velocities[i], scaledBy: -learningRate)
  }
  if step % memoryEvery == 0 || step == steps - 1 { memory.append((step + 1, residentBytes())) }
}
let fitSeconds = monotonicSeconds() - fitStart
let fitted = generate().value

var lossTable = Table(["step", "MSE", "initial / MSE"])
for step in [1, 10, 30, 100, 300, 1000, 3000, 10_000] where step <= steps {
  lossTable.add([
    "\(step)", scientific(Double(losses[step - 1])), fixed(losses[0] / losses[step - 1], 0),
  ])
}
lossTable.print()
if let hundredfold = losses.firstIndex(where: { $0 * 100 <= losses[0] }) {
  print("the loss is 100× below its initial value from step \(hundredfold + 1)")
}
print(
  "\(steps) steps in \(fixed(fitSeconds, 2)) s (\(fixed(fitSeconds / Double(steps) * 1e6, 0)) µs "
    + "per step, forward + backward + update)")

section("Memory over \(steps) steps: the graph is released after every backward")
var memoryTable = Table(["after step", "resident set (MB)"])
for m in memory { memoryTable.add(["\(m.step)", fixed(Double(m.bytes) / 1e6, 2)]) }
memoryTable.print()
let afterFirst = memory[1].bytes
let growth = Double(memory.last!.bytes - afterFirst) / 1e3
print(
  "growth from step \(memory[1].step) to step \(memory.last!.step): \(fixed(growth, 0)) kB "
    + "(\(fixed(growth * 1e3 / Double(memory.last!.step - memory[1].step), 1)) bytes per step)")

// MARK: - The figure

var lossPlot = LinePlot(title: "Mean squared error", xLabel: "step", yLabel: "MSE")
lossPlot.xScale = .log
lossPlot.yScale = .log
lossPlot.line(x: (1...steps).map { Double($0) }, y: losses.map { Double($0) }, label: "loss")
lossPlot.horizontalLine(at: Double(losses[0]) / 100, label: "initial / 100")
lossPlot.verticalLine(at: Double(snapshotStep), label: "step \(snapshotStep)")

/// A single-channel [1, 1, h, w] image as a heat map that reads top-down.
func heatMap(_ image: Tensor, _ title: String) -> HeatMap {
  let (h, w) = (image.shape[2], image.shape[3])
  // Row 0 of a heat map is drawn at the bottom: flip the rows.
  let values = (0..<h).reversed().flatMap { row in (0..<w).map { image[0, 0, row, $0] } }
  var map = HeatMap(
    values: values, rows: h, columns: w, title: title, colorbarLabel: "value", colormap: .viridis)
  map.valueRange = 0...1
  map.showsAxes = false
  return map
}
let grid = Grid(
  columns: 4,
  panels: [
    lossPlot, heatMap(target, "target: a ring, 16x16"),
    heatMap(snapshot, "output at step \(snapshotStep)"),
    heatMap(fitted, "output after \(steps) steps"),
  ],
  title: "Two transposed convolutions fitted by gradient descent with momentum")
try grid.write(to: options.figure("04-fit.png"), width: 1800, height: 500)

// What the graph costs on top of the kernels is a speed, measured by `make bench` (chapter 4's
// rows) rather than here.
print("figure: 04-fit.png in \(options.figuresFolder)")
