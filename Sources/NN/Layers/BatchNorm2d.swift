import Autograd
import Tensors

/// Batch normalisation of a 2-D feature map in training mode, PyTorch's `nn.BatchNorm2d`:
/// for each channel c, over the batch and both spatial axes,
/// y = (x − μ_c) / √(σ²_c + ε) · scale_c + shift_c, with the biased variance σ².
///
/// The statistics are always those of the current input (there is no running average and no
/// evaluation mode): the generator of this book always runs on its one fixed input.
/// With a batch of one image, the mean and variance are taken over the H·W positions of
/// each channel. S. Ioffe, C. Szegedy, "Batch Normalization", ICML 2015,
/// <https://arxiv.org/abs/1502.03167>.
///
/// Shapes: input and output `[N, channels, H, W]`, scale and shift `[channels]`.
public final class BatchNorm2d: Module {
  /// γ, `[channels]`, initially 1.
  public let scale: Variable
  /// β, `[channels]`, initially 0.
  public let shift: Variable
  /// Added to the variance before the square root, so a constant channel stays finite.
  public let epsilon: Float

  public init(channels: Int, epsilon: Float = 1e-5) {
    precondition(channels > 0, "BatchNorm2d: \(channels) channels")
    scale = Variable(Tensor.ones([channels]), requiresGrad: true)
    shift = Variable(Tensor.zeros([channels]), requiresGrad: true)
    self.epsilon = epsilon
  }

  public var channels: Int { scale.shape[0] }

  public func callAsFunction(_ x: Variable) -> Variable {
    precondition(
      x.shape.count == 4 && x.shape[1] == channels,
      "BatchNorm2d: input \(x.shape) is not [N, \(channels), H, W]")
    return batchNorm(x, scale: scale, shift: shift, epsilon: epsilon)
  }

  public var parameters: [(name: String, variable: Variable)] {
    [(name: "scale", variable: scale), (name: "shift", variable: shift)]
  }
}
