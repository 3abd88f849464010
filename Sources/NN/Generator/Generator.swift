import Autograd
import Random
import Tensors

/// The DCGAN generator (A. Radford, L. Metz, S. Chintala, "Unsupervised Representation
/// Learning with Deep Convolutional Generative Adversarial Networks", ICLR 2016,
/// <https://arxiv.org/abs/1511.06434>) with a fixed random input: the network that the Deep
/// Image Prior fits to one spectrogram.
///
/// Layers (see `GeneratorConfiguration` for the sizes): a transposed convolution from the
/// 1×1 input z to the base map, batch norm, ReLU; n − 1 blocks of k4 s2 p1 transposed
/// convolution, batch norm, ReLU; a last k4 s2 p1 transposed convolution to one channel and
/// a sigmoid. No convolution has a bias: the batch norm that follows would remove it.
///
/// Two ways to run it, computing the same numbers: `callAsFunction` records the autograd
/// graph of chapter 4, layer by layer (the readable reference), and `forward()` /
/// `backward(outputGradient:)` run the same layers over buffers allocated once (the fast
/// path of Generator+Training.swift).
public final class Generator: Module {
  public let configuration: GeneratorConfiguration
  /// The fixed input z, `[1, latentChannels, 1, 1]`, drawn from N(0, 1).
  public let latent: Tensor
  /// The n + 1 transposed convolutions, first to last.
  public let convolutions: [ConvTranspose2d]
  /// The n batch norms, one after each convolution but the last.
  public let norms: [BatchNorm2d]
  /// The layers in order: conv, BN, ReLU, ..., conv, Sigmoid.
  public let network: Sequential
  /// How the fast path computes (see `FastPathOptions`); the defaults are the fastest.
  public var fastPathOptions = FastPathOptions()
  /// The fast path's buffers, made on first use.
  var buffers: GeneratorBuffers?

  /// A generator with DCGAN's initialisation drawn from `seed`: first z ~ N(0, 1), then for
  /// each layer in order the weights ~ N(0, 0.02²), the batch-norm scales ~ N(1, 0.02²) and
  /// the shifts 0.
  public init(_ configuration: GeneratorConfiguration = .canonical, seed: UInt64 = 0) {
    self.configuration = configuration
    let c = configuration.channels
    var convolutions = [
      ConvTranspose2d(
        inputChannels: configuration.latentChannels, outputChannels: c[0],
        kernelHeight: configuration.baseHeight, kernelWidth: configuration.baseWidth,
        stride: 1, padding: 0, bias: false)
    ]
    for (input, output) in zip(c, c.dropFirst() + [1]) {
      convolutions.append(
        ConvTranspose2d(
          inputChannels: input, outputChannels: output, kernelSize: 4, stride: 2, padding: 1,
          bias: false))
    }
    let norms = c.map { BatchNorm2d(channels: $0) }
    var layers: [any Module] = []
    for (convolution, norm) in zip(convolutions, norms) {
      layers += [convolution, norm, ReLU()]
    }
    layers += [convolutions.last!, Sigmoid()]
    self.convolutions = convolutions
    self.norms = norms
    network = Sequential(layers)

    var random = Xoshiro256(seed: seed)
    latent = Tensor.normal([1, configuration.latentChannels, 1, 1], generator: &random)
    dcganInitialize(layers, generator: &random)
  }

  /// The output for input `z` (normally `Variable(latent)`), recorded in the autograd graph.
  /// - Returns: `[1, 1, height, width]`, values in (0, 1).
  public func callAsFunction(_ z: Variable) -> Variable {
    network(z)
  }

  /// Named as PyTorch names the layers of an `nn.Sequential`: `"0.weight"`, `"1.scale"`,
  /// `"1.shift"`, `"3.weight"`, ...
  public var parameters: [(name: String, variable: Variable)] {
    network.parameters
  }
}

// book: dcgan-init
/// DCGAN's initialisation, in place, in the order of `layers`: transposed-convolution
/// weights ~ N(0, 0.02²) and biases 0; batch-norm scales ~ N(1, 0.02²) and shifts 0.
/// Layers without parameters draw nothing.
public func dcganInitialize(_ layers: [any Module], generator: inout Xoshiro256) {
  // BEGIN SOLUTION dcgan-init: weights N(0, 0.02), BN scale N(1, 0.02), shift and bias 0
  for layer in layers {
    if let convolution = layer as? ConvTranspose2d {
      convolution.weight.value = Tensor.normal(
        convolution.weight.shape, standardDeviation: 0.02, generator: &generator)
      convolution.bias?.value = Tensor.zeros(convolution.bias!.shape)
    } else if let norm = layer as? BatchNorm2d {
      norm.scale.value = Tensor.normal(
        norm.scale.shape, mean: 1, standardDeviation: 0.02, generator: &generator)
      norm.shift.value = Tensor.zeros(norm.shift.shape)
    }
  }
  // END SOLUTION
}
// book: end
