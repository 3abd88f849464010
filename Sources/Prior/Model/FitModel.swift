/// What the generator's output stands for, and so which loss fits it.
public enum FitModel: Hashable, Sendable, CustomStringConvertible {
  /// The seed post's model: the output is the whole noisy image in the target domain, fitted by
  /// mean squared error. The noise is part of what the generator must draw.
  case noisyImage
  /// The output is the speech alone; the noise has a power per frequency of its own, and
  /// the two together are fitted to the noisy power by the Itakura–Saito divergence
  /// (`SpeechPlusNoiseModel`). Needs a power-law target domain.
  case speechPlusNoise
  /// As `speechPlusNoise`, with the noise's level free to follow the recording frame by
  /// frame: N[f, t] = N[f] · g[t], for noise whose loudness changes (babble).
  case speechPlusVaryingNoise
  /// As `speechPlusNoise`, with the noise never below the speech-presence tracker's estimate
  /// of each value (`SpeechPresenceNoiseTracker`): the classical tracker bounds it from below.
  case speechPlusTrackedNoise
  /// As `speechPlusNoise`, with the noise never below its starting, quiet-frame estimate.
  case speechPlusBoundedNoise

  /// "noisy image (MSE)", "speech + noise (IS)", "speech + varying noise (IS)".
  public var description: String {
    switch self {
    case .noisyImage: "noisy image (MSE)"
    case .speechPlusNoise: "speech + noise (IS)"
    case .speechPlusVaryingNoise: "speech + varying noise (IS)"
    case .speechPlusTrackedNoise: "speech + noise above the tracker (IS)"
    case .speechPlusBoundedNoise: "speech + noise above the quiet frames (IS)"
    }
  }
}
