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

// book: conv-gradients
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
// book: end

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
  withExtendedLifetime((outputGradient, weight)) {
    convolve(
      outputGradient.storage.pointer, batch: batch, g, weight: weight.storage.pointer,
      rows: weight.shape[0], into: dx, beta: 1, workspace: workspace)
  }
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
  withExtendedLifetime((input, outputGradient)) {
    Tensors.weightGradient(
      image: outputGradient.storage.pointer, other: input.storage.pointer, batch: batch, g,
      rows: input.shape[1], addingInto: dW, workspace: workspace)
  }
}

// MARK: - As new tensors

/// ∂L/∂x of y = conv2d(x, W) for an input of `inputHeight` × `inputWidth`.
/// - Returns: `[N, C, inputHeight, inputWidth]`.
public func conv2dInputGradient(
  _ outputGradient: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
  inputHeight: Int, inputWidth: Int
) -> Tensor {
  check(
    outputGradient.rank == 4 && weight.rank == 4,
    "conv2dInputGradient: output gradient \(outputGradient.shape) and weight \(weight.shape) "
      + "are not both 4-D")
  var dx = Tensor.zeros([outputGradient.shape[0], weight.shape[1], inputHeight, inputWidth])
  conv2dInputGradient(
    outputGradient, weight: weight, stride: stride, padding: padding, addingInto: &dx)
  return dx
}

/// ∂L/∂W of y = conv2d(x, W) for a square `kernelSize` kernel.
/// - Returns: `[O, C, kernelSize, kernelSize]`.
public func conv2dWeightGradient(
  input: Tensor, outputGradient: Tensor, kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
  check(
    input.rank == 4 && outputGradient.rank == 4,
    "conv2dWeightGradient: input \(input.shape) and output gradient \(outputGradient.shape) "
      + "are not both 4-D")
  var dW = Tensor.zeros([outputGradient.shape[1], input.shape[1], kernelSize, kernelSize])
  conv2dWeightGradient(
    input: input, outputGradient: outputGradient, stride: stride, padding: padding,
    addingInto: &dW)
  return dW
}

/// ∂L/∂x of y = convTranspose2d(x, W).
/// - Returns: `[N, Cin, H, W]` with H = ⌊(Ho + 2p − kh) / s⌋ + 1.
public func convTranspose2dInputGradient(
  _ outputGradient: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0
) -> Tensor {
  check(
    outputGradient.rank == 4 && weight.rank == 4,
    "convTranspose2dInputGradient: output gradient \(outputGradient.shape) and weight "
      + "\(weight.shape) are not both 4-D")
  let height = convOutputSize(
    outputGradient.shape[2], kernelSize: weight.shape[2], stride: stride, padding: padding)
  let width = convOutputSize(
    outputGradient.shape[3], kernelSize: weight.shape[3], stride: stride, padding: padding)
  var dx = Tensor.zeros([outputGradient.shape[0], weight.shape[0], height, width])
  convTranspose2dInputGradient(
    outputGradient, weight: weight, stride: stride, padding: padding, addingInto: &dx)
  return dx
}

/// ∂L/∂W of y = convTranspose2d(x, W) for a square `kernelSize` kernel.
/// - Returns: `[Cin, Cout, kernelSize, kernelSize]`.
public func convTranspose2dWeightGradient(
  input: Tensor, outputGradient: Tensor, kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
  check(
    input.rank == 4 && outputGradient.rank == 4,
    "convTranspose2dWeightGradient: input \(input.shape) and output gradient "
      + "\(outputGradient.shape) are not both 4-D")
  var dW = Tensor.zeros([input.shape[1], outputGradient.shape[1], kernelSize, kernelSize])
  convTranspose2dWeightGradient(
    input: input, outputGradient: outputGradient, stride: stride, padding: padding,
    addingInto: &dW)
  return dW
}
