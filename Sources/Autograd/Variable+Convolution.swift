import Tensors

// Convolution and transposed convolution. Each is the other's adjoint with the same weight
// tensor, so the gradient of one with respect to its input is the other one applied to the
// output gradient; the weight gradients are one GEMM per image. All four are in the Tensors
// module (ConvGradients.swift) and add into the gradient tensors directly, so each op below
// only names its two kernels, and one backward closure (`convolutionNode`) calls them.
//
//   y = conv2d(x, W) + b            ∂L/∂x = convTranspose2d(dy, W)
//                                   ∂L/∂W = Σₙ dy(ₙ) · im2col(x(ₙ))ᵀ
//                                   ∂L/∂b = Σ over n, y, x of dy
//   y = convTranspose2d(x, W) + b   ∂L/∂x = conv2d(dy, W)
//                                   ∂L/∂W = Σₙ x(ₙ) · im2col(dy(ₙ))ᵀ
//                                   ∂L/∂b = Σ over n, y, x of dy

/// Adds bias `[O]` to every position of channel o of `y` `[N, O, H, W]`, in place.
func addBias(_ bias: Variable?, to y: inout Tensor, _ what: String) {
  guard let bias else { return }
  check(
    bias.shape == [y.shape[1]],
    "\(what): bias \(bias.shape) does not match the \(y.shape[1]) output channels")
  y += bias.value.reshaped([1, y.shape[1], 1, 1])
}

/// ∂L/∂b of a per-channel bias: dy `[N, O, H, W]` summed over everything but the channel.
func accumulateBiasGradient(_ bias: Variable?, _ dy: Tensor) {
  guard let bias, bias.requiresGrad else { return }
  bias.accumulate(dy.sum(alongAxes: [0, 2, 3]))
}

/// The gradient kernels' common form (ConvGradients.swift): two operands, stride, padding,
/// the gradient tensor to add into, and the workspace.
private typealias ConvolutionGradient = (
  Tensor, Tensor, Int, Int, inout Tensor, ConvolutionWorkspace
) -> Void

// book: conv2d-variable
/// The 2-D convolution (cross-correlation) of a batch, with an optional per-channel bias.
///
/// - Parameters:
///   - x: `[N, C, H, W]`.
///   - weight: `[O, C, kh, kw]`.
///   - bias: `[O]`.
///   - workspace: scratch for the column matrices, shared by the forward and backward
///     passes; a layer that passes its own allocates it once for all its steps.
/// - Returns: `[N, O, Ho, Wo]` with Ho = ⌊(H + 2p − kh) / s⌋ + 1.
public func conv2d(
  _ x: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0,
  workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) -> Variable {
  var y = Tensor.zeros([])
  conv2d(
    x.value, weight: weight.value, stride: stride, padding: padding, into: &y,
    workspace: workspace)
  addBias(bias, to: &y, "conv2d")
  return convolutionNode(
    y, x, weight: weight, bias: bias, stride: stride, padding: padding, workspace: workspace,
    inputGradient: conv2dInputGradient(_:weight:stride:padding:addingInto:workspace:),
    weightGradient: conv2dWeightGradient(input:outputGradient:stride:padding:addingInto:workspace:))
}

/// The node of y = op(x, W) + b for a convolution op whose output `y` (bias added) has been
/// computed. Its backward adds `inputGradient(dy, W)` into ∂L/∂x, `weightGradient(x, dy)`
/// into ∂L/∂W, and dy summed per channel into ∂L/∂b.
private func convolutionNode(
  _ y: Tensor, _ x: Variable, weight: Variable, bias: Variable?, stride: Int, padding: Int,
  workspace: ConvolutionWorkspace, inputGradient: @escaping ConvolutionGradient,
  weightGradient: @escaping ConvolutionGradient
) -> Variable {
  let (input, w) = (x.value, weight.value)
  let parents = bias.map { [x, weight, $0] } ?? [x, weight]
  return Variable(y, parents: parents) { dy in
    if x.requiresGrad {
      x.addIntoGradient { inputGradient(dy, w, stride, padding, &$0, workspace) }
    }
    if weight.requiresGrad {
      weight.addIntoGradient { weightGradient(input, dy, stride, padding, &$0, workspace) }
    }
    accumulateBiasGradient(bias, dy)
  }
}
// book: end

/// The 2-D transposed convolution of a batch (PyTorch's ConvTranspose2d), with an optional
/// per-channel bias.
///
/// - Parameters:
///   - x: `[N, Cin, H, W]`.
///   - weight: `[Cin, Cout, kh, kw]`.
///   - bias: `[Cout]`.
///   - outputPadding: added to the output size (less than the stride).
///   - workspace: scratch shared by the forward and backward passes, as for `conv2d`.
/// - Returns: `[N, Cout, Ho, Wo]` with Ho = (H − 1)·s − 2p + kh + outputPadding.
public func convTranspose2d(
  _ x: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0,
  outputPadding: Int = 0, workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) -> Variable {
  var y = Tensor.zeros([])
  convTranspose2d(
    x.value, weight: weight.value, stride: stride, padding: padding,
    outputPadding: outputPadding, into: &y, workspace: workspace)
  addBias(bias, to: &y, "convTranspose2d")
  // The adjoint's geometry is read from dy's shape, so output padding needs no special case.
  return convolutionNode(
    y, x, weight: weight, bias: bias, stride: stride, padding: padding, workspace: workspace,
    inputGradient: convTranspose2dInputGradient(_:weight:stride:padding:addingInto:workspace:),
    weightGradient:
      convTranspose2dWeightGradient(input:outputGradient:stride:padding:addingInto:workspace:))
}
