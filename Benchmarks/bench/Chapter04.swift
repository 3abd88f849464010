import Autograd
import ChapterSupport
import Foundation
import Tensors

// Chapter 4: what reverse-mode differentiation costs on top of the kernels it calls. The
// generator's 64 → 32-channel transposed convolution (k4 s2 p1), forward and both
// gradients, is timed three ways in one run: the Tensors kernels called directly, the same
// through Variables and backward(), and a whole generator block (+ batch norm, relu, MSE).

func chapter04Benchmarks() throws -> [BenchRow] {

  let input = Tensor.normal([1, 64, 32, 32], seed: 1)
  let weight = Tensor.normal([64, 32, 4, 4], standardDeviation: 0.02, seed: 2)
  let outputGradient = Tensor.normal([1, 32, 64, 64], seed: 3)
  let target = Tensor.uniform([1, 32, 64, 64], seed: 4)
  let workspace = ConvolutionWorkspace()
  var output = Tensor.zeros([])
  var inputGradient = Tensor.zeros(input.shape)
  var weightGradient = Tensor.zeros(weight.shape)
  let x = Variable(input, requiresGrad: true)
  let w = Variable(weight, requiresGrad: true)
  let scale = Variable(Tensor.ones([32]), requiresGrad: true)
  let shift = Variable(Tensor.zeros([32]), requiresGrad: true)
  let one = Variable(Tensor(1), requiresGrad: true)
  let increment = Variable(Tensor(1e-3))
  let chain = 1000

  let times = interleavedMedianSeconds(
    rounds: 51,
    [
      {
        convTranspose2d(
          input, weight: weight, stride: 2, padding: 1, into: &output, workspace: workspace)
        inputGradient.fill(with: 0)
        weightGradient.fill(with: 0)
        convTranspose2dInputGradient(
          outputGradient, weight: weight, stride: 2, padding: 1, addingInto: &inputGradient,
          workspace: workspace)
        convTranspose2dWeightGradient(
          input: input, outputGradient: outputGradient, stride: 2, padding: 1,
          addingInto: &weightGradient, workspace: workspace)
      },
      {
        x.zeroGrad()
        w.zeroGrad()
        convTranspose2d(x, weight: w, stride: 2, padding: 1, workspace: workspace)
          .backward(gradient: outputGradient)
      },
      {
        for p in [x, w, scale, shift] { p.zeroGrad() }
        let y = convTranspose2d(x, weight: w, stride: 2, padding: 1, workspace: workspace)
        mseLoss(relu(batchNorm(y, scale: scale, shift: shift)), target).backward()
      },
      {
        var y = one
        for _ in 0..<chain { y = y + increment }
        y.backward()
      },
    ])
  let (direct, graph, block, adds) = (times[0], times[1], times[2], times[3])
  // Forward, input gradient and weight gradient: three GEMMs of 2 · 512 · 1024 · 64 flops.
  let gflops = { (s: Double) in "\(fixed(3 * 2.0 * 512 * 1024 * 64 / s / 1e9, 1)) GFLOP/s" }
  let size = "[1,64,32,32]→[1,32,64,64]"
  return [
    BenchRow(
      what: "convT 64→32 forward + both gradients, kernels direct", size: size, seconds: direct,
      rate: gflops(direct), ofReference: "reference"),
    BenchRow(
      what: "the same through Variables and backward()", size: size, seconds: graph,
      rate: gflops(graph), ofReference: "\(fixed(graph / direct, 3))× direct"),
    BenchRow(
      what: "+ batchNorm, relu, mseLoss (a generator block)", size: size, seconds: block,
      rate: gflops(block), ofReference: "conv kernels \(percent(direct / block)) of the time"),
    BenchRow(
      what: "addition of two single values, forward + backward", size: "chain of \(chain)",
      seconds: adds / Double(chain), rate: "\(fixed(Double(chain) / adds / 1e6, 2)) M op/s"),
  ]
}
