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

/// How the generator's fast path computes its layers. The defaults are the fastest
/// measured; the alternatives stay for the benchmark to measure against, and the tests check
/// that every combination computes the same numbers.
public struct FastPathOptions: Sendable, Equatable {
  /// The k4 s2 p1 layers use the specialised column gather and scatter
  /// (DoublingKernels.swift), fused per channel with batch norm; otherwise the general
  /// im2col and col2im of the Tensors module.
  public var specialisedKernels: Bool
  /// Each GEMM takes the operand layout measured fastest for its size; otherwise always
  /// the "rows" layout.
  public var gemmLayoutsBySize: Bool
  /// Every GEMM is split in column (or row) blocks over the fast path's own threads, with
  /// OpenBLAS set to one thread for the duration of the pass; otherwise OpenBLAS's threads
  /// run each GEMM.
  public var teamGEMMs: Bool

  public init(
    specialisedKernels: Bool = true, gemmLayoutsBySize: Bool = true, teamGEMMs: Bool = true
  ) {
    self.specialisedKernels = specialisedKernels
    self.gemmLayoutsBySize = gemmLayoutsBySize
    self.teamGEMMs = teamGEMMs
  }

  /// The first version: general im2col and col2im, one GEMM layout, OpenBLAS's threads.
  public static let general = FastPathOptions(
    specialisedKernels: false, gemmLayoutsBySize: false, teamGEMMs: false)
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

  /// The specialised column kernels run this layer.
  let usesSpecialisedKernels: Bool
  /// The forward GEMM computes Dᵀ = xᵀ·W (then transposed) rather than D = Wᵀ·x.
  let forwardThroughPixels: Bool
  /// ∂L/∂W = x·(Dᵀ) from the "pixels" layout, rather than x·Dᵀ from "rows".
  let weightGradientFromPixels: Bool
  /// ∂L/∂x = W·(Dᵀ)ᵀ from the "pixels" layout, rather than W·D from "rows".
  let inputGradientFromPixels: Bool
  /// The two gradient GEMMs run side by side, one per core, rather than each split.
  let gradientsSideBySide: Bool

  init(
    _ convolution: ConvTranspose2d, inputHeight: Int, inputWidth: Int, options: FastPathOptions
  ) {
    inputChannels = convolution.inputChannels
    outputChannels = convolution.outputChannels
    self.inputHeight = inputHeight
    self.inputWidth = inputWidth
    (outputHeight, outputWidth) = convolution.outputSize(height: inputHeight, width: inputWidth)
    kernelHeight = convolution.kernelHeight
    kernelWidth = convolution.kernelWidth
    stride = convolution.stride
    padding = convolution.padding
    let doubling =
      convolution.kernelHeight == 4 && convolution.kernelWidth == 4
      && convolution.stride == 2 && convolution.padding == 1
    usesSpecialisedKernels = options.specialisedKernels && doubling
    // The layouts measured fastest with OpenBLAS on 2 cores (chapter 5's benchmark): the
    // "pixels" GEMMs win where the image is small, "rows" where the output has 1 channel.
    let bySize = usesSpecialisedKernels && options.gemmLayoutsBySize
    let plane = inputHeight * inputWidth
    let channels = convolution.outputChannels
    forwardThroughPixels = bySize && channels > 1 && plane <= 16
    weightGradientFromPixels = bySize && plane >= 1024
    inputGradientFromPixels = bySize && plane >= 1024
    gradientsSideBySide = bySize && plane <= 256
  }

  /// The backward pass needs the columns in the "rows" layout.
  var needsRowColumns: Bool { !(weightGradientFromPixels && inputGradientFromPixels) }
  /// The backward pass needs the columns in the "pixels" layout.
  var needsPixelColumns: Bool { weightGradientFromPixels || inputGradientFromPixels }

  var inputPlane: Int { inputHeight * inputWidth }
  var outputPlane: Int { outputHeight * outputWidth }
  var inputCount: Int { inputChannels * inputPlane }
  var outputCount: Int { outputChannels * outputPlane }
  /// Rows of the column matrix: one per (output channel, kernel tap).
  var columnRows: Int { outputChannels * kernelHeight * kernelWidth }
  /// The convolution whose adjoint this layer is, over the output image: im2col of an
  /// output-shaped map gives `[columnRows, inputPlane]`.
  var geometry: ConvGeometry {
    ConvGeometry(
      channels: outputChannels, height: outputHeight, width: outputWidth,
      kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding)
  }
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
  /// The input of the last forward pass, which the backward pass reads.
  var input: Tensor?

  /// The options the plans were made with.
  let options: FastPathOptions
  /// Columns in the "pixels" layout, for the largest layer that uses it.
  let pixels: ScratchBuffer
  /// A row of zeros, read in place of rows beyond the border.
  let zeros: ScratchBuffer
  /// Each part's sum of squared differences of the loss: one slot per thread, the most
  /// parts `parallelRanges` makes.
  let lossPartials: ScratchBuffer

  /// Bytes held by the scratch buffers and the output.
  var byteCount: Int {
    let scratch =
      preactivations + activations + means + inverseStds + scaleGradients + shiftGradients
      + [columns, gradient, pixels, zeros, lossPartials]
    return 4 * (scratch.reduce(0) { $0 + $1.count } + output.count)
  }

  init(_ generator: Generator, options: FastPathOptions) {
    self.options = options
    var plans: [LayerPlan] = []
    var (height, width) = (1, 1)
    for convolution in generator.convolutions {
      let plan = LayerPlan(
        convolution, inputHeight: height, inputWidth: width, options: options)
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
    pixels = ScratchBuffer(
      count: plans.map {
        $0.needsPixelColumns || $0.forwardThroughPixels ? $0.columnRows * $0.inputPlane : 0
      }.max()!)
    zeros = ScratchBuffer(count: plans.map { $0.inputWidth }.max()!)
    lossPartials = ScratchBuffer(count: threadCount)
    gradient = ScratchBuffer(
      count: plans.map { max($0.inputCount, $0.outputCount) }.max()!)
  }
}
