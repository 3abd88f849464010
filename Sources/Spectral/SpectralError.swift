/// What can be wrong with a transform's parameters or its input; each case names the values.
///
/// Thrown by the initialisers of `RealFFT`, `STFT` and `Spectrogram`, by the transforms and
/// by the scaling; the description is a sentence a person can act on.
public enum SpectralError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The transform length is zero or negative.
  case nonPositiveFFTSize(nFFT: Int)
  /// The hop between frames is zero or negative.
  case nonPositiveHop(hop: Int)
  /// Frames would leave samples out: the hop is longer than a frame.
  case hopLongerThanFFT(hop: Int, nFFT: Int)
  /// The analysis window does not have one weight per sample of a frame.
  case windowLengthMismatch(windowLength: Int, nFFT: Int)
  /// Reflect padding by `padding` samples needs at least `padding + 1` samples.
  case signalTooShort(length: Int, padding: Int, nFFT: Int)
  /// The radix-2 FFT only splits lengths that are powers of two.
  case notAPowerOfTwo(count: Int)
  /// A spectrogram's storage does not hold `bins × frames` values.
  case storageMismatch(what: String, count: Int, bins: Int, frames: Int)
  /// A spectrogram with the wrong number of frequency bins for this transform.
  case binCountMismatch(bins: Int, nFFT: Int)
  /// The summed squared window is (nearly) zero at an output sample, so overlap-add
  /// cannot be normalised there (the window and hop break the NOLA condition).
  case windowEnvelopeVanishes(sample: Int, envelope: Float, hop: Int, nFFT: Int)
  /// A requested output length or iteration count is negative.
  case negativeCount(what: String, value: Int)

  public var description: String {
    switch self {
    case .nonPositiveFFTSize(let nFFT):
      return "nFFT is \(nFFT): the transform length must be at least 1"
    case .nonPositiveHop(let hop):
      return "hop is \(hop): the hop between frames must be at least 1 sample"
    case .hopLongerThanFFT(let hop, let nFFT):
      return "hop \(hop) is longer than nFFT \(nFFT): samples between frames would be skipped"
    case .windowLengthMismatch(let windowLength, let nFFT):
      return "the window has \(windowLength) weights but nFFT is \(nFFT): they must be equal"
    case .signalTooShort(let length, let padding, let nFFT):
      return """
        a signal of \(length) samples is too short for reflect padding of \(padding) on each \
        side (nFFT \(nFFT)): it needs at least \(padding + 1) samples
        """
    case .notAPowerOfTwo(let count):
      return "the radix-2 FFT needs a power-of-two length, not \(count)"
    case .storageMismatch(let what, let count, let bins, let frames):
      return """
        \(what) has \(count) values but \(bins) bins × \(frames) frames need \(bins * frames)
        """
    case .binCountMismatch(let bins, let nFFT):
      return "the spectrogram has \(bins) bins but nFFT \(nFFT) needs \(nFFT / 2 + 1)"
    case .windowEnvelopeVanishes(let sample, let envelope, let hop, let nFFT):
      return """
        the summed squared window is \(envelope) at output sample \(sample) (hop \(hop), \
        nFFT \(nFFT)): overlap-add cannot be normalised there; use a smaller hop
        """
    case .negativeCount(let what, let value):
      return "\(what) is \(value): it must not be negative"
    }
  }
}
