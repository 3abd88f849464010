// Chapter 5: the DCGAN generator and Adam.
//
// Builds the generator, prints its layer table (parameters and FLOPs, with the totals),
// times a few training steps, draws what the untrained network makes of its fixed random
// input layer by layer, and fits a smaller generator to a clean spectrogram-like patch,
// watching the loss fall.
import Autograd
import ChapterSupport
import Foundation
import NN
import Plot
import Tensors

ensureFastBLASKernels()
let options = ChapterOptions.fromCommandLine()

// MARK: - The generator, layer by layer

section("The DCGAN generator")
let configuration =
  options.quick
  ? try GeneratorConfiguration(height: 32, width: 32) : GeneratorConfiguration.canonical
let generator = Generator(configuration, seed: 1)
print(
  "z: \(configuration.latentChannels) values ~ N(0, 1), fixed; output "
    + "\(configuration.height) x \(configuration.width); DCGAN initialisation, seed 1")

/// "C x H x W".
func shapeText(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: " x ") }
/// An integer with thin groups of three digits: 3 614 944.
func grouped(_ n: Int) -> String {
  var digits = Array(String(n))
  var groups: [String] = []
  while digits.count > 3 {
    groups.insert(String(digits.suffix(3)), at: 0)
    digits.removeLast(3)
  }
  groups.insert(String(digits), at: 0)
  return groups.joined(separator: " ")
}

var layerTable = Table(["layer", "input", "output", "parameters", "forward MFLOP"])
for row in generator.layerTable {
  layerTable.add([
    row.name, shapeText(row.inputShape), shapeText(row.outputShape), grouped(row.parameters),
    row.flops == 0 ? "-" : fixed(Double(row.flops) / 1e6, 2),
  ])
}
layerTable.add([
  "total", "", "", grouped(generator.totalParameters),
  fixed(Double(generator.forwardFLOPs) / 1e6, 2),
])
layerTable.print()
print(
  "FLOPs count 2 per multiply-add of the transposed convolutions (batch norm, ReLU and the "
    + "sigmoid are not counted):\n\(fixed(Double(generator.forwardFLOPs) / 1e9, 4)) GFLOP "
    + "forward, \(fixed(Double(generator.trainingStepFLOPs) / 1e9, 3)) GFLOP per training "
    + "step (the backward pass is twice the forward).")

// MARK: - A few training steps

section("A few training steps (not the benchmark: see make bench)")
let target = Tensor.uniform([1, 1, configuration.height, configuration.width], seed: 2)
let adam = Adam(generator.parameters, learningRate: 1e-4)
let stepCount = options.quick ? 3 : 30
// The first two steps allocate the buffers and warm the caches: not counted.
_ = generator.timeTrainingSteps(target: target, optimizer: adam, steps: 2)
let stepTimes = generator.timeTrainingSteps(target: target, optimizer: adam, steps: stepCount)
func medianMilliseconds(_ values: [Double]) -> String {
  fixed(median(values) * 1e3, 2)
}
// And the step as the fit runs it, each parameter updated inside the backward pass.
let fitStepSeconds = medianSeconds(repeats: stepCount, warmUp: 2) {
  _ = generator.fitStep(target: target, optimizer: adam)
}
var stepTable = Table(["part", "median time (ms)"])
stepTable.add(["forward", medianMilliseconds(stepTimes.forward)])
stepTable.add(["backward (from the MSE loss)", medianMilliseconds(stepTimes.backward)])
stepTable.add(["Adam", medianMilliseconds(stepTimes.optimizer)])
stepTable.add(["the three, one after the other", medianMilliseconds(stepTimes.total)])
stepTable.add(["fitStep (Adam inside the backward pass)", fixed(fitStepSeconds * 1e3, 2)])
stepTable.print()
print(
  "median of \(stepCount) steps on \(ProcessInfo.processInfo.activeProcessorCount) "
    + "cores: each GEMM split over the generator's own threads, OpenBLAS single-threaded "
    + "inside a pass")

// MARK: - What the untrained network makes

section("The untrained generator, layer by layer")
/// Channel 0 of a `[1, C, H, W]` tensor as a heat map without axes (row 0 at the bottom).
func channelPanel(_ t: Tensor, _ title: String, _ colormap: Colormap) -> HeatMap {
  let (h, w) = (t.shape[2], t.shape[3])
  var map = HeatMap(
    values: Array(t.scalars.prefix(h * w)), rows: h, columns: w, title: title,
    colorbarLabel: "value", colormap: colormap)
  map.showsAxes = false
  return map
}
// A fresh generator from the same seed: `generator` has taken 32 Adam steps above.
let untrained = Generator(configuration, seed: 1)
var panels: [any Chart] = []
var activation = Variable(untrained.latent)
var featureTable = Table(["after", "shape", "channel 0 min", "channel 0 max", "zeros (%)"])
var block = 0
for layer in untrained.network.layers {
  activation = layer(activation)
  let v = activation.value
  let plane = Array(v.scalars.prefix(v.shape[2] * v.shape[3]))
  let zeros = 100 * Double(v.scalars.filter { $0 == 0 }.count) / Double(v.count)
  if layer is ReLU {
    block += 1
    panels.append(
      channelPanel(v, "block \(block): \(shapeText(Array(v.shape.dropFirst())))", .viridis))
    featureTable.add([
      "block \(block) (BN + ReLU)", shapeText(Array(v.shape.dropFirst())),
      fixed(plane.min()!, 3), fixed(plane.max()!, 3), fixed(zeros, 1),
    ])
  } else if layer is ConvTranspose2d && layer as AnyObject === untrained.convolutions.last! {
    featureTable.add([
      "last ConvT", shapeText(Array(v.shape.dropFirst())), fixed(plane.min()!, 3),
      fixed(plane.max()!, 3), "-",
    ])
  } else if layer is Sigmoid {
    panels.append(channelPanel(v, "output (sigmoid), its own colour range", .magma))
    // A corner, magnified: the texture that the stride-2 layers leave.
    let corner = min(32, v.shape[2])
    var values: [Float] = []
    for row in 0..<corner { values += plane[(row * v.shape[3])..<(row * v.shape[3] + corner)] }
    var zoom = HeatMap(
      values: values, rows: corner, columns: corner,
      title: "output, \(corner)x\(corner) corner magnified", colorbarLabel: "value",
      colormap: .magma)
    zoom.showsAxes = false
    panels.append(zoom)
    featureTable.add([
      "sigmoid", shapeText(Array(v.shape.dropFirst())), fixed(plane.min()!, 4),
      fixed(plane.max()!, 4), "-",
    ])
  }
}
featureTable.print()
try Grid(
  columns: 4, panels: panels,
  title: "The untrained generator: channel 0 after each block, and its output"
).write(to: options.figure("05-generator.png"), width: 1600, height: 780)
try Diagram.layerStack(
  input: generator.layerTable[0].inputShape,
  layers: generator.layerTable.map { ($0.name, $0.outputShape) },
  title: "The generator, layer by layer: from the fixed z to the image"
).write(to: options.figure("05-layers.png"))

// MARK: - Fitting one patch

section("A generator fits a clean patch")
let side = options.quick ? 16 : 64
print("a \(side) x \(side) generator and a \(side) x \(side) patch of harmonic stripes")
let patch = harmonicPatch(rows: side, columns: side)
let small = Generator(try GeneratorConfiguration(height: side, width: side), seed: 3)
let smallAdam = Adam(small.parameters, learningRate: 1e-3)
let iterations = options.quick ? 30 : 2000
let snapshotsAt = options.quick ? [3, 10, 30] : [20, 200, 2000]
var losses: [Double] = []
var snapshots: [(Int, Tensor)] = []
let fitStart = monotonicSeconds()
for iteration in 1...iterations {
  losses.append(Double(small.fitStep(target: patch, optimizer: smallAdam)))
  if snapshotsAt.contains(iteration) { snapshots.append((iteration, small.forward())) }
}
let fitSeconds = monotonicSeconds() - fitStart
var fitTable = Table(["iteration", "MSE"])
for iteration in [1, 10, 100, 1000, iterations] where iteration <= iterations {
  fitTable.add(["\(iteration)", String(format: "%.2e", losses[iteration - 1])])
}
fitTable.print()
print(
  "\(small.totalParameters) parameters, Adam (lr 1e-3), \(iterations) iterations in "
    + "\(fixed(fitSeconds, 2)) s (\(fixed(fitSeconds / Double(iterations) * 1e3, 2)) ms each)")

var fitPanels: [any Chart] = []
var targetMap = channelPanel(patch, "target: harmonics, gliding pitch", .magma)
targetMap.valueRange = 0...1
fitPanels.append(targetMap)
for (iteration, output) in snapshots {
  var map = channelPanel(output, "output after \(iteration) iterations", .magma)
  map.valueRange = 0...1
  fitPanels.append(map)
}
var lossPlot = LinePlot(title: "training loss", xLabel: "iteration", yLabel: "MSE")
lossPlot.yScale = .log
lossPlot.line(x: (1...iterations).map(Double.init), y: losses, label: "Adam, lr 1e-3")
fitPanels.append(lossPlot)
let finalOutput = snapshots.last!.1
var errorMap = channelPanel(
  (finalOutput - patch).map { abs($0) }, "absolute error at the end", .viridis)
errorMap.colorbarLabel = "absolute error"
fitPanels.append(errorMap)
try Grid(
  columns: 3, panels: fitPanels,
  title: "A \(side)x\(side) generator fitted to one clean patch"
).write(to: options.figure("05-overfit.png"), width: 1400, height: 860)
print("figures: 05-generator.png, 05-layers.png, 05-overfit.png in \(options.figuresFolder)")
