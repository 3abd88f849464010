import Audio
import Spectral

/// What can go wrong in a prior fit; each case names the argument or the value and the cause.
///
/// Errors of the layers below (a bad STFT parameter, a file that cannot be written) are
/// passed on wrapped, with their own messages.
public enum PriorError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A parameter is out of range; `argument` names it.
  case invalidArgument(argument: String, reason: String)
  /// An image, a magnitude or a signal of the wrong size.
  case sizeMismatch(what: String, count: Int, expected: Int)
  /// A NaN or an infinity where a finite number is needed (the fit diverged, or a bad input).
  case nonFiniteValue(what: String, index: Int)
  /// A magnitude below zero.
  case negativeMagnitude(index: Int, value: Float)
  /// The spectrogram layer refused (framing, sizes); its message says why.
  case spectral(SpectralError)
  /// The audio layer refused (metrics, files); its message says why.
  case audio(AudioError)

  public var description: String {
    switch self {
    case .invalidArgument(let argument, let reason):
      "\(argument): \(reason)"
    case .sizeMismatch(let what, let count, let expected):
      "\(what) has \(count) values, \(expected) expected"
    case .nonFiniteValue(let what, let index):
      "\(what) has a NaN or an infinity at index \(index)"
    case .negativeMagnitude(let index, let value):
      "a magnitude must not be negative; index \(index) holds \(value)"
    case .spectral(let error):
      error.description
    case .audio(let error):
      error.description
    }
  }
}

/// Checks that every value is finite and not negative, as a magnitude must be.
func validateMagnitude(_ magnitude: [Float], what: String) throws(PriorError) {
  guard !magnitude.isEmpty else {
    throw .invalidArgument(argument: what, reason: "is empty: at least one value is needed")
  }
  for (i, m) in magnitude.enumerated() {
    guard m.isFinite else { throw .nonFiniteValue(what: what, index: i) }
    guard m >= 0 else { throw .negativeMagnitude(index: i, value: m) }
  }
}
