// The gradients of conv2d and convTranspose2d, for reverse-mode differentiation. Each adds
// into a gradient tensor (gradients accumulate) at no extra cost: the GEMM's beta or
// col2im's scatter-add does the adding.
//
// With y = conv2d(x, W) and an upstream gradient dy = ∂L/∂y:
//   ∂L/∂x = convTranspose2d(dy, W)            the adjoint: same weight tensor
//   ∂L/∂W = Σₙ dy(ₙ) · im2col(x(ₙ))ᵀ
// With y = convTranspose2d(x, W):
//   ∂L/∂x = conv2d(dy, W)
//   ∂L/∂W = Σₙ x(ₙ) · im2col(dy(ₙ))ᵀ

/// Checks that a gradient tensor has the shape the forward pass produced.
func checkShape(_ observed: [Int], _ expected: [Int], _ what: String, context: String) {
  check(
    observed == expected,
    "\(what): output gradient \(observed) does not match the forward output \(expected) of "
      + context)
}

/// ∂L/∂x of y = conv2d(x, W), added into `inputGradient`: the transposed convolution of
/// `outputGradient` with the same weight.
///
/// - Parameters:
///   - outputGradient: ∂L/∂y, `[N, O, Ho, Wo]`.
///   - weight: `[O, C, kh, kw]`.
///   - inputGradient: ∂L/∂x, `[N, C, H, W]`, the shape of the forward input.
public func conv2dInputGradient(
  _ outputGradient: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
  addingInto inputGradient: inout Tensor, workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) {
  let what = "conv2dInputGradient"
  let g = convGeometry(
    input: inputGradient.shape, weight: weight.shape, stride: stride, padding: padding, what)
  let batch = inputGradient.shape[0]
  checkShape(
    outputGradient.shape, [batch, weight.shape[0], g.outputHeight, g.outputWidth], what,
    context: "input \(inputGradient.shape) and weight \(weight.shape)")
  inputGradient.makeUnique()
  let dx = inputGradient.storage.pointer
  withExtendedLifetime((outputGradient, weight)) {
    convolveTransposed(
      outputGradient.storage.pointer, batch: batch, g, weight: weight.storage.pointer,
      rows: weight.shape[0], addingInto: dx, workspace: workspace)
  }
}

/// ∂L/∂W of y = conv2d(x, W), added into `weightGradient` (`[O, C, kh, kw]`):
/// Σₙ dy(ₙ) · im2col(x(ₙ))ᵀ, with `input` x `[N, C, H, W]` and `outputGradient` dy
/// `[N, O, Ho, Wo]`.
public func conv2dWeightGradient(
  input: Tensor, outputGradient: Tensor, stride: Int = 1, padding: Int = 0,
  addingInto weightGradient: inout Tensor, workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) {
  let what = "conv2dWeightGradient"
  let g = convGeometry(
    input: input.shape, weight: weightGradient.shape, stride: stride, padding: padding, what)
  let batch = input.shape[0]
  checkShape(
    outputGradient.shape, [batch, weightGradient.shape[0], g.outputHeight, g.outputWidth],
    what, context: "input \(input.shape) and weight \(weightGradient.shape)")
  weightGradient.makeUnique()
  let dW = weightGradient.storage.pointer
  withExtendedLifetime((input, outputGradient)) {
    Tensors.weightGradient(
      image: input.storage.pointer, other: outputGradient.storage.pointer, batch: batch, g,
      rows: weightGradient.shape[0], addingInto: dW, workspace: workspace)
  }
}

/// ∂L/∂x of y = convTranspose2d(x, W), added into `inputGradient` (`[N, Cin, H, W]`): the
/// convolution of `outputGradient` (`[N, Cout, Ho, Wo]`) with the same weight
/// (`[Cin, Cout, kh, kw]`).
public func convTranspose2dInputGradient(
  _ outputGradient: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
  addingInto inputGradient: inout Tensor, workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) {
  let what = "convTranspose2dInputGradient"
  check(outputGradient.rank == 4, "\(what): output gradient \(outputGradient.shape) is not 4-D")
  let g = convTransposeGeometry(
    input: inputGradient.shape, weight: weight.shape, stride: stride, padding: padding,
    outputHeight: outputGradient.shape[2], outputWidth: outputGradient.shape[3], what)
  let batch = inputGradient.shape[0]
  checkShape(
    outputGradient.shape, [batch, g.channels, g.height, g.width], what,
    context: "input \(inputGradient.shape) and weight \(weight.shape)")
  inputGradient.makeUnique()
  let dx = inputGradient.storage.pointer
  // BEGIN SOLUTION convt-input-gradient (chapter 3): conv2d(dy, W), the adjoint, added into dx
  withExtendedLifetime((outputGradient, weight)) {
    convolve(
      outputGradient.storage.pointer, batch: batch, g, weight: weight.storage.pointer,
      rows: weight.shape[0], into: dx, beta: 1, workspace: workspace)
  }
  // END SOLUTION
}

/// ∂L/∂W of y = convTranspose2d(x, W), added into `weightGradient` (`[Cin, Cout, kh, kw]`):
/// Σₙ x(ₙ) · im2col(dy(ₙ))ᵀ, with `input` x `[N, Cin, H, W]` and `outputGradient` dy
/// `[N, Cout, Ho, Wo]`.
public func convTranspose2dWeightGradient(
  input: Tensor, outputGradient: Tensor, stride: Int = 1, padding: Int = 0,
  addingInto weightGradient: inout Tensor, workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) {
  let what = "convTranspose2dWeightGradient"
  check(outputGradient.rank == 4, "\(what): output gradient \(outputGradient.shape) is not 4-D")
  let g = convTransposeGeometry(
    input: input.shape, weight: weightGradient.shape, stride: stride, padding: padding,
    outputHeight: outputGradient.shape[2], outputWidth: outputGradient.shape[3], what)
  let batch = input.shape[0]
  checkShape(
    outputGradient.shape, [batch, g.channels, g.height, g.width], what,
    context: "input \(input.shape) and weight \(weightGradient.shape)")
  weightGradient.makeUnique()
  let dW = weightGradient.storage.pointer
  // BEGIN SOLUTION convt-weight-gradient (chapter 3): Σₙ x(ₙ)·im2col(dy(ₙ))ᵀ, rows Cin
  withExtendedLifetime((input, outputGradient)) {
    Tensors.weightGradient(
      image: outputGradient.storage.pointer, other: input.storage.pointer, batch: batch, g,
      rows: input.shape[1], addingInto: dW, workspace: workspace)
  }
  // END SOLUTION
}

// MARK: - As new tensors

/// ∂L/∂x of y = conv2d(x, W) for an input of `inputHeight` × `inputWidth`.
/// - Returns: `[N, C, inputHeight, inputWidth]`.
public func conv2dInputGradient(
  _ outputGradient: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
  inputHeight: Int, inputWidth: Int
) -> Tensor {
  newGradient(
    "conv2dInputGradient", ("output gradient", outputGradient), ("weight", weight),
    stride: stride, padding: padding,
    shape: { dy, w in [dy[0], w[1], inputHeight, inputWidth] },
    kernel: conv2dInputGradient(_:weight:stride:padding:addingInto:workspace:))
}

/// ∂L/∂W of y = conv2d(x, W) for a square `kernelSize` kernel.
/// - Returns: `[O, C, kernelSize, kernelSize]`.
public func conv2dWeightGradient(
  input: Tensor, outputGradient: Tensor, kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
  newGradient(
    "conv2dWeightGradient", ("input", input), ("output gradient", outputGradient),
    stride: stride, padding: padding,
    shape: { x, dy in [dy[1], x[1], kernelSize, kernelSize] },
    kernel: conv2dWeightGradient(input:outputGradient:stride:padding:addingInto:workspace:))
}

/// ∂L/∂x of y = convTranspose2d(x, W).
/// - Returns: `[N, Cin, H, W]` with H = ⌊(Ho + 2p − kh) / s⌋ + 1.
public func convTranspose2dInputGradient(
  _ outputGradient: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0
) -> Tensor {
  newGradient(
    "convTranspose2dInputGradient", ("output gradient", outputGradient), ("weight", weight),
    stride: stride, padding: padding,
    shape: { dy, w in
      let height = convOutputSize(dy[2], kernelSize: w[2], stride: stride, padding: padding)
      let width = convOutputSize(dy[3], kernelSize: w[3], stride: stride, padding: padding)
      return [dy[0], w[0], height, width]
    },
    kernel: convTranspose2dInputGradient(_:weight:stride:padding:addingInto:workspace:))
}

/// ∂L/∂W of y = convTranspose2d(x, W) for a square `kernelSize` kernel.
/// - Returns: `[Cin, Cout, kernelSize, kernelSize]`.
public func convTranspose2dWeightGradient(
  input: Tensor, outputGradient: Tensor, kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
  newGradient(
    "convTranspose2dWeightGradient", ("input", input), ("output gradient", outputGradient),
    stride: stride, padding: padding,
    shape: { x, dy in [x[1], dy[1], kernelSize, kernelSize] },
    kernel:
      convTranspose2dWeightGradient(input:outputGradient:stride:padding:addingInto:workspace:))
}

/// `kernel`, one of the four gradients above (operands, stride, padding, the gradient it adds
/// into, workspace), added into a new zero tensor; `shape` gives the new tensor's shape from
/// the operands' shapes, once both operands are known to be 4-D.
private func newGradient(
  _ what: String, _ first: (name: String, tensor: Tensor),
  _ second: (name: String, tensor: Tensor), stride: Int, padding: Int,
  shape: ([Int], [Int]) -> [Int],
  kernel: (Tensor, Tensor, Int, Int, inout Tensor, ConvolutionWorkspace) -> Void
) -> Tensor {
  let (a, b) = (first.tensor, second.tensor)
  check(
    a.rank == 4 && b.rank == 4,
    "\(what): \(first.name) \(a.shape) and \(second.name) \(b.shape) are not both 4-D")
  var gradient = Tensor.zeros(shape(a.shape, b.shape))
  kernel(a, b, stride, padding, &gradient, ConvolutionWorkspace())
  return gradient
}
