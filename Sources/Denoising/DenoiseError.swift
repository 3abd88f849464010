import Audio
import Prior

/// What can go wrong when denoising a recording; each case names the value and the cause.
///
/// The pipeline works on buffers, not files: the `denoise` command puts the file's path in
/// front of the message (`noisy.wav: sample 12 of channel 1 is nan`).
public enum DenoiseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The recording holds no frames at all.
  case noAudio
  /// A sample is NaN or infinite; `frame` and `channel` count from 0.
  case nonFiniteSample(frame: Int, channel: Int, value: Float)
  /// The sample rate cannot be converted to the fitting rate and back.
  case unsupportedSampleRate(rate: Int, reason: String)
  /// An enhancer failed, or returned gains of the wrong shape or not finite.
  case enhancerFailed(enhancer: String, reason: String)
  /// A parameter is out of range; `argument` names it.
  case invalidArgument(argument: String, reason: String)
  /// The prior fit of a segment, or its reconstruction, refused; its message says why.
  case prior(PriorError)
  /// Reading or writing a recording block by block failed (`StreamingDenoiser`).
  case audio(AudioError)

  public var description: String {
    switch self {
    case .noAudio: "the recording has no samples"
    case .nonFiniteSample(let frame, let channel, let value):
      "sample \(frame) of channel \(channel) is \(value), not a finite number"
    case .unsupportedSampleRate(let rate, let reason): "cannot resample \(rate) Hz (\(reason))"
    case .enhancerFailed(let enhancer, let reason): "\(enhancer) failed: \(reason)"
    case .invalidArgument(let argument, let reason): "\(argument): \(reason)"
    case .prior(let error): error.description
    case .audio(let error): error.description
    }
  }
}
