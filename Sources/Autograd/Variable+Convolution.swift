import Tensors

// Convolution and transposed convolution. Each is the other's adjoint with the same weight
// tensor, so the gradient of one with respect to its input is the other one applied to the
// output gradient; the weight gradients are one GEMM per image. All four are in the Tensors
// module (ConvGradients.swift) and add into the gradient tensors directly, so the backward
// closures below only choose which to call.
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
  require(
    bias.shape == [y.shape[1]],
    "\(what): bias \(bias.shape) does not match the \(y.shape[1]) output channels")
  y += bias.value.reshaped([1, y.shape[1], 1, 1])
}

/// ∂L/∂b of a per-channel bias: dy `[N, O, H, W]` summed over everything but the channel.
func accumulateBiasGradient(_ bias: Variable?, _ dy: Tensor) {
  guard let bias, bias.requiresGrad else { return }
  bias.accumulate(dy.sum(alongAxes: [0, 2, 3]))
}

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
  let (input, w) = (x.value, weight.value)
  var y = Tensor.zeros([])
  conv2d(input, weight: w, stride: stride, padding: padding, into: &y, workspace: workspace)
  addBias(bias, to: &y, "conv2d")
  let parents = bias.map { [x, weight, $0] } ?? [x, weight]
  return Variable(y, parents: parents) { dy in
    if x.requiresGrad {
      x.addIntoGradient {
        conv2dInputGradient(
          dy, weight: w, stride: stride, padding: padding, addingInto: &$0, workspace: workspace)
      }
    }
    if weight.requiresGrad {
      weight.addIntoGradient {
        conv2dWeightGradient(
          input: input, outputGradient: dy, stride: stride, padding: padding, addingInto: &$0,
          workspace: workspace)
      }
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
  let (input, w) = (x.value, weight.value)
  var y = Tensor.zeros([])
  convTranspose2d(
    input, weight: w, stride: stride, padding: padding, outputPadding: outputPadding,
    into: &y, workspace: workspace)
  addBias(bias, to: &y, "convTranspose2d")
  let parents = bias.map { [x, weight, $0] } ?? [x, weight]
  return Variable(y, parents: parents) { dy in
    // The adjoint's geometry is read from dy's shape, so output padding needs no special case.
    if x.requiresGrad {
      x.addIntoGradient {
        convTranspose2dInputGradient(
          dy, weight: w, stride: stride, padding: padding, addingInto: &$0, workspace: workspace)
      }
    }
    if weight.requiresGrad {
      weight.addIntoGradient {
        convTranspose2dWeightGradient(
          input: input, outputGradient: dy, stride: stride, padding: padding, addingInto: &$0,
          workspace: workspace)
      }
    }
    accumulateBiasGradient(bias, dy)
  }
}
