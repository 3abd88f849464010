import Foundation
import Synchronization
import Tensors

/// How many scratch buffers the fast path has allocated so far.
private let scratchAllocations = Atomic<Int>(0)

/// The number of scratch buffers the generators' fast paths have allocated so far (their
/// tensors are counted by `tensorAllocationCount`): both stay unchanged across training
/// steps once the first step has made everything.
public var scratchAllocationCount: Int { scratchAllocations.load(ordering: .relaxed) }

/// `count` Floats of raw memory owned by one object, 64-byte aligned, allocated once.
final class ScratchBuffer {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int

  init(count: Int) {
    self.count = count
    pointer = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64
    ).bindMemory(to: Float.self, capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
    scratchAllocations.add(1, ordering: .relaxed)
  }

  deinit { pointer.deallocate() }
}

/// The sizes of one transposed convolution of the generator, for one image.
struct LayerPlan {
  let inputChannels: Int
  let outputChannels: Int
  let inputHeight: Int
  let inputWidth: Int
  let outputHeight: Int
  let outputWidth: Int
  let kernelHeight: Int
  let kernelWidth: Int
  let stride: Int
  let padding: Int

  init(_ convolution: ConvTranspose2d, inputHeight: Int, inputWidth: Int) {
    inputChannels = convolution.inputChannels
    outputChannels = convolution.outputChannels
    self.inputHeight = inputHeight
    self.inputWidth = inputWidth
    (outputHeight, outputWidth) = convolution.outputSize(height: inputHeight, width: inputWidth)
    kernelHeight = convolution.kernelHeight
    kernelWidth = convolution.kernelWidth
    stride = convolution.stride
    padding = convolution.padding
  }

  var inputPlane: Int { inputHeight * inputWidth }
  var outputPlane: Int { outputHeight * outputWidth }
  var inputCount: Int { inputChannels * inputPlane }
  var outputCount: Int { outputChannels * outputPlane }
  /// Rows of the column matrix: one per (output channel, kernel tap).
  var columnRows: Int { outputChannels * kernelHeight * kernelWidth }
  /// The k4 s2 p1 layer that doubles both axes, which has specialised kernels.
  var isDoubling: Bool {
    kernelHeight == 4 && kernelWidth == 4 && stride == 2 && padding == 1
  }
  /// The convolution whose adjoint this layer is, over the output image: im2col of an
  /// output-shaped map gives `[columnRows, inputPlane]`.
  var geometry: ConvGeometry {
    ConvGeometry(
      channels: outputChannels, height: outputHeight, width: outputWidth,
      kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding)
  }
}

/// Seconds spent in each layer during the last forward and backward pass.
public struct LayerTimes: Sendable {
  public var forward: [Double]
  public var backward: [Double]
}

/// Everything the fast path writes, allocated when the generator first runs and reused by
/// every later step.
final class GeneratorBuffers {
  let plans: [LayerPlan]
  /// Each batch-normalised layer's convolution output (the input of its batch norm).
  let preactivations: [ScratchBuffer]
  /// Each batch-normalised layer's output after ReLU (the next layer's input).
  let activations: [ScratchBuffer]
  /// Per-channel means and 1/σ of each batch norm, from the last forward pass.
  let means: [ScratchBuffer]
  let inverseStds: [ScratchBuffer]
  /// Per-channel ∂L/∂γ and ∂L/∂β before they are copied into the parameters' gradients.
  let scaleGradients: [ScratchBuffer]
  let shiftGradients: [ScratchBuffer]
  /// The sigmoid's output, `[1, 1, height, width]`.
  var output: Tensor
  /// Column matrices, for the largest layer.
  let columns: ScratchBuffer
  /// ∂L/∂(a layer's output), then ∂L/∂(its input), for the largest layer.
  let gradient: ScratchBuffer
  var times: LayerTimes
  /// Seconds of the last optimiser step taken by `fitStep`.
  var optimizerSeconds = 0.0
  /// The input of the last forward pass, which the backward pass reads.
  var input: Tensor?

  init(_ generator: Generator) {
    var plans: [LayerPlan] = []
    var (height, width) = (1, 1)
    for convolution in generator.convolutions {
      let plan = LayerPlan(convolution, inputHeight: height, inputWidth: width)
      plans.append(plan)
      (height, width) = (plan.outputHeight, plan.outputWidth)
    }
    self.plans = plans
    let hidden = plans.dropLast()
    preactivations = hidden.map { ScratchBuffer(count: $0.outputCount) }
    activations = hidden.map { ScratchBuffer(count: $0.outputCount) }
    means = hidden.map { ScratchBuffer(count: $0.outputChannels) }
    inverseStds = hidden.map { ScratchBuffer(count: $0.outputChannels) }
    scaleGradients = hidden.map { ScratchBuffer(count: $0.outputChannels) }
    shiftGradients = hidden.map { ScratchBuffer(count: $0.outputChannels) }
    output = Tensor.zeros([1, 1, height, width])
    columns = ScratchBuffer(count: plans.map { $0.columnRows * $0.inputPlane }.max()!)
    gradient = ScratchBuffer(
      count: plans.map { max($0.inputCount, $0.outputCount) }.max()!)
    times = LayerTimes(
      forward: Array(repeating: 0, count: plans.count),
      backward: Array(repeating: 0, count: plans.count))
  }
}

/// Seconds on a monotonic clock, for the per-layer times.
@inline(__always)
func clockSeconds() -> Double {
  Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
}
