// The public convolutions: forward passes that write into reusable outputs, and the four
// gradients (input and weight, of conv and of conv-transpose) that add into gradient
// tensors, as reverse-mode differentiation accumulates them. The kernels are in
// Convolution.swift.

/// The 2-D convolution (cross-correlation, as in every deep-learning library) of a batch:
/// y[n, o, Y, X] = Σ_c Σ_i Σ_j w[o, c, i, j] · x[n, c, Y·s − p + i, X·s − p + j],
/// zero outside the image. Computed as im2col and one GEMM per image.
///
/// - Parameters:
///   - input: `[N, C, H, W]`.
///   - weight: `[O, C, kh, kw]`.
///   - output: becomes `[N, O, Ho, Wo]` with Ho = ⌊(H + 2p − kh) / s⌋ + 1; its storage is
///     reused when it already has that shape and is not shared.
public func conv2d(
  _ input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0, into output: inout Tensor,
  workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) {
  let g = convGeometry(
    input: input.shape, weight: weight.shape, stride: stride, padding: padding, "conv2d")
  let (batch, outChannels) = (input.shape[0], weight.shape[0])
  output.prepareForOverwrite(shape: [batch, outChannels, g.outputHeight, g.outputWidth])
  let y = output.storage.pointer
  withExtendedLifetime((input, weight)) {
    convolve(
      input.storage.pointer, batch: batch, g, weight: weight.storage.pointer,
      rows: outChannels, into: y, beta: 0, workspace: workspace)
  }
}

/// The 2-D convolution of a batch, as a new tensor; see `conv2d(_:weight:stride:padding:into:)`.
/// - Returns: `[N, O, Ho, Wo]`.
public func conv2d(_ input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0) -> Tensor {
  var output = Tensor(uninitializedShape: [])
  conv2d(input, weight: weight, stride: stride, padding: padding, into: &output)
  return output
}

/// The 2-D transposed convolution of a batch, PyTorch's ConvTranspose2d: every input value
/// spreads a weighted copy of the kernel onto the output,
/// y[n, o, Y·s − p + i, X·s − p + j] += w[c, o, i, j] · x[n, c, Y, X].
/// Computed as one GEMM, Wᵀ · x, per image, then col2im (a scatter-add).
///
/// - Parameters:
///   - input: `[N, Cin, H, W]`.
///   - weight: `[Cin, Cout, kh, kw]`.
///   - outputPadding: added to the output size (less than the stride).
///   - output: becomes `[N, Cout, Ho, Wo]` with Ho = (H − 1)·s − 2p + kh + outputPadding.
public func convTranspose2d(
  _ input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0,
  into output: inout Tensor, workspace: ConvolutionWorkspace = ConvolutionWorkspace()
) {
  check(
    input.rank == 4 && weight.rank == 4,
    "convTranspose2d: input \(input.shape) and weight \(weight.shape) are not both 4-D")
  check(
    outputPadding >= 0 && outputPadding < max(stride, 1),
    "convTranspose2d: output padding \(outputPadding) must be less than the stride \(stride)")
  func outputSize(_ inputSize: Int, _ kernelSize: Int) -> Int {
    convTransposeOutputSize(
      inputSize, kernelSize: kernelSize, stride: stride, padding: padding,
      outputPadding: outputPadding)
  }
  let g = convTransposeGeometry(
    input: input.shape, weight: weight.shape, stride: stride, padding: padding,
    outputHeight: outputSize(input.shape[2], weight.shape[2]),
    outputWidth: outputSize(input.shape[3], weight.shape[3]), "convTranspose2d")
  let batch = input.shape[0]
  output.prepareForOverwrite(shape: [batch, g.channels, g.height, g.width])
  let y = output.storage.pointer
  // col2im adds, so the output starts from zero.
  y.update(repeating: 0, count: output.count)
  withExtendedLifetime((input, weight)) {
    convolveTransposed(
      input.storage.pointer, batch: batch, g, weight: weight.storage.pointer,
      rows: input.shape[1], addingInto: y, workspace: workspace)
  }
}

/// The 2-D transposed convolution of a batch, as a new tensor.
/// - Returns: `[N, Cout, (H − 1)·s − 2p + kh + outputPadding, …]`.
public func convTranspose2d(
  _ input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0
) -> Tensor {
  var output = Tensor(uninitializedShape: [])
  convTranspose2d(
    input, weight: weight, stride: stride, padding: padding, outputPadding: outputPadding,
    into: &output)
  return output
}
