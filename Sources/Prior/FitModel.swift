/// What the generator's output stands for, and so which loss fits it.
public enum FitModel: Hashable, Sendable, CustomStringConvertible {
  /// The seed's model: the output is the whole noisy image in the target domain, fitted by
  /// mean squared error. The noise is part of what the generator must draw.
  case noisyImage
  /// The output is the speech alone; the noise has a power per frequency of its own, and
  /// the two together are fitted to the noisy power by the Itakura–Saito divergence
  /// (`SpeechPlusNoiseModel`). Needs a power-law target domain.
  case speechPlusNoise

  /// "noisy image (MSE)", "speech + noise (IS)".
  public var description: String {
    switch self {
    case .noisyImage: "noisy image (MSE)"
    case .speechPlusNoise: "speech + noise (IS)"
    }
  }
}
