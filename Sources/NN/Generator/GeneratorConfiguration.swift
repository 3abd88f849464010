/// The shape of a DCGAN generator: output size, latent size and the channel schedule.
///
/// The canonical generator (`.canonical`) maps z `[1, 100, 1, 1]` to `[1, 1, 256, 256]`:
///
///     ConvT(100→512, k4 s1 p0) BN ReLU                      1×1   →   4×4
///     ConvT(512→256, k4 s2 p1) BN ReLU, then 128, 64, 32, 16   4×4   → 128×128
///     ConvT(16→1, k4 s2 p1) Sigmoid                        128×128 → 256×256
///
/// Other sizes: the output must be 4·2^a × 4·2^b with a, b ≥ 1 (8, 16, 32, ... on each
/// axis). Every up-sampling layer is the square k4 s2 p1 transposed convolution, which
/// doubles both axes, so there are n = min(a, b) of them (the last one is the output layer).
/// The first layer makes the rest of the shape: its kernel is the whole base map
/// (H / 2ⁿ) × (W / 2ⁿ), which is 4×4 for a square output and elongated otherwise, e.g.
/// 8×4 for 256×128, 16×4 for 256×64. A non-square output therefore has a larger first layer
/// rather than layers that stretch one axis only.
public struct GeneratorConfiguration: Sendable, Equatable {
  /// The output height, 4·2^a with a ≥ 1.
  public let height: Int
  /// The output width, 4·2^b with b ≥ 1.
  public let width: Int
  /// The channels of the fixed input z (DCGAN's 100).
  public let latentChannels: Int
  /// The output channels of the first layer and of each hidden up-sampling layer, one per
  /// batch-normalised block: n values for n up-sampling layers.
  public let channels: [Int]

  /// 100 → 512 → 256 → 128 → 64 → 32 → 16 → 1, output 256 × 256.
  public static let canonical: GeneratorConfiguration = {
    do {
      return try GeneratorConfiguration(height: 256, width: 256)
    } catch {
      preconditionFailure("the canonical configuration was refused: \(error)")
    }
  }()

  /// A configuration, checked.
  ///
  /// - Parameters:
  ///   - height: 4·2^a, a ≥ 1.
  ///   - width: 4·2^b, b ≥ 1.
  ///   - channels: one value per up-sampling layer, n = min(a, b); by default the DCGAN
  ///     schedule that halves the channels at each layer and ends at 16:
  ///     16·2ⁿ⁻¹, ..., 32, 16 (512 ... 16 for 256 × 256).
  /// - Throws: `GeneratorError` naming the argument that does not fit.
  public init(
    height: Int = 256, width: Int = 256, latentChannels: Int = 100, channels: [Int]? = nil
  ) throws(GeneratorError) {
    guard let a = doublings(height), let b = doublings(width) else {
      throw .unsupportedSize(height: height, width: width)
    }
    guard latentChannels > 0 else { throw .nonPositiveChannels(argument: "latentChannels") }
    let layers = min(a, b)
    let schedule = channels ?? (0..<layers).map { 16 << (layers - 1 - $0) }
    guard schedule.count == layers else {
      throw .channelCount(expected: layers, given: schedule.count, height: height, width: width)
    }
    guard schedule.allSatisfy({ $0 > 0 }) else {
      throw .nonPositiveChannels(argument: "channels \(schedule)")
    }
    self.height = height
    self.width = width
    self.latentChannels = latentChannels
    self.channels = schedule
  }

  /// The number of stride-2 up-sampling layers, the output layer included.
  public var upsamplingLayers: Int { channels.count }
  /// The height of the first layer's output, and of its kernel: height / 2ⁿ.
  public var baseHeight: Int { height >> upsamplingLayers }
  /// The width of the first layer's output, and of its kernel: width / 2ⁿ.
  public var baseWidth: Int { width >> upsamplingLayers }
}

/// a when n = 4·2^a with a ≥ 1, else nil.
private func doublings(_ n: Int) -> Int? {
  guard n >= 8, n % 4 == 0, (n / 4) & (n / 4 - 1) == 0 else { return nil }
  return (n / 4).trailingZeroBitCount
}

/// Why a generator configuration was refused.
public enum GeneratorError: Error, CustomStringConvertible, Equatable {
  /// The output size is not 4·2^a × 4·2^b with a, b ≥ 1.
  case unsupportedSize(height: Int, width: Int)
  /// The channel schedule has the wrong length for the output size.
  case channelCount(expected: Int, given: Int, height: Int, width: Int)
  /// A channel count is zero or negative.
  case nonPositiveChannels(argument: String)

  public var description: String {
    switch self {
    case .unsupportedSize(let height, let width):
      return "generator: output size \(height)×\(width) is not supported; each side must be "
        + "4·2^k with k ≥ 1 (8, 16, 32, 64, 128, 256, ...)"
    case .channelCount(let expected, let given, let height, let width):
      return "generator: channels lists \(given) values, but a \(height)×\(width) output has "
        + "\(expected) up-sampling layers and needs one value per layer"
    case .nonPositiveChannels(let argument):
      return "generator: \(argument) must be positive"
    }
  }
}
