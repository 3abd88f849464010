import Autograd
import Random
import Tensors

/// A transposed 2-D convolution layer, PyTorch's `nn.ConvTranspose2d`: every input value
/// spreads a weighted copy of the kernel onto the output, so with stride 2 the output is
/// twice the input's size. The generator is built from these.
///
/// Shapes: input `[N, inputChannels, H, W]`, weight `[inputChannels, outputChannels, kh, kw]`,
/// bias `[outputChannels]`, output `[N, outputChannels, Ho, Wo]` with
/// Ho = (H − 1)·stride − 2·padding + kh (likewise Wo).
public final class ConvTranspose2d: Module {
  /// `[inputChannels, outputChannels, kernelHeight, kernelWidth]`.
  public let weight: Variable
  /// `[outputChannels]`, or nil for a layer without bias (DCGAN's, followed by batch norm).
  public let bias: Variable?
  public let stride: Int
  public let padding: Int
  /// Scratch for the column matrices, kept so that repeated calls allocate it once.
  let workspace = ConvolutionWorkspace()

  /// A layer with a `kernelHeight` × `kernelWidth` kernel, initialised as PyTorch does:
  /// weight and bias uniform in ±1/√(outputChannels·kh·kw), drawn from `seed`.
  public init(
    inputChannels: Int, outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
    stride: Int = 1, padding: Int = 0, bias: Bool = true, seed: UInt64 = 0
  ) {
    precondition(
      inputChannels > 0 && outputChannels > 0 && kernelHeight > 0 && kernelWidth > 0
        && stride > 0 && padding >= 0,
      "ConvTranspose2d: channels \(inputChannels)→\(outputChannels), kernel "
        + "\(kernelHeight)×\(kernelWidth), stride \(stride), padding \(padding)")
    var random = Xoshiro256(seed: seed)
    // PyTorch takes the fan-in of a transposed convolution's weight from its second axis.
    let bound = 1 / Float(outputChannels * kernelHeight * kernelWidth).squareRoot()
    weight = Variable(
      Tensor.uniform(
        [inputChannels, outputChannels, kernelHeight, kernelWidth], low: -bound, high: bound,
        generator: &random),
      requiresGrad: true)
    self.bias =
      bias
      ? Variable(
        Tensor.uniform([outputChannels], low: -bound, high: bound, generator: &random),
        requiresGrad: true)
      : nil
    self.stride = stride
    self.padding = padding
  }

  /// A layer with a square `kernelSize` × `kernelSize` kernel.
  public convenience init(
    inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
    padding: Int = 0, bias: Bool = true, seed: UInt64 = 0
  ) {
    self.init(
      inputChannels: inputChannels, outputChannels: outputChannels, kernelHeight: kernelSize,
      kernelWidth: kernelSize, stride: stride, padding: padding, bias: bias, seed: seed)
  }

  public var inputChannels: Int { weight.shape[0] }
  public var outputChannels: Int { weight.shape[1] }
  public var kernelHeight: Int { weight.shape[2] }
  public var kernelWidth: Int { weight.shape[3] }

  public func callAsFunction(_ x: Variable) -> Variable {
    convTranspose2d(
      x, weight: weight, bias: bias, stride: stride, padding: padding, workspace: workspace)
  }

  public var parameters: [(name: String, variable: Variable)] {
    [(name: "weight", variable: weight)] + (bias.map { [(name: "bias", variable: $0)] } ?? [])
  }

  /// The output size `[Ho, Wo]` for an input of `height` × `width`.
  public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
    (
      convTransposeOutputSize(
        height, kernelSize: kernelHeight, stride: stride, padding: padding),
      convTransposeOutputSize(width, kernelSize: kernelWidth, stride: stride, padding: padding)
    )
  }

  /// Multiply–adds of the forward pass for one input image of `height` × `width`:
  /// Cin · Cout · kh · kw · H · W, every input value times every kernel tap, including the
  /// taps that land in the padding and are cropped.
  public func multiplyAdds(height: Int, width: Int) -> Int {
    inputChannels * outputChannels * kernelHeight * kernelWidth * height * width
  }
}
