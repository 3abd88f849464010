import Foundation
import Spectral

/// How a magnitude spectrogram becomes the image in [0, 1] that the generator fits.
///
/// The domain decides what the fit's mean squared error weights:
/// - `log1p`: `log1p|X|`, min–max scaled (the seed post's target). Quiet bins, where the noise
///   lives, get most of the [0, 1] range; the loud harmonics are squeezed into the top.
/// - `power(exponent:)`: `(|X| / max|X|)^p`, between the two.
/// - `linear`: `|X| / max|X|`. The loss is dominated by the loud speech harmonics; the noise
///   floor is a small value everywhere.
public enum TargetDomain: Hashable, Sendable, CustomStringConvertible {
  /// `(log1p|X| - min) / (max - min)`, `LogMagnitudeScaling` (min–max).
  case log1p
  /// `(|X| / max|X|)^p`, `PowerLawScaling` (divide by the maximum).
  case power(exponent: Float)
  /// `|X| / max|X|`, a power law with p = 1 (divide by the maximum).
  case linear

  /// The three domains the book compares: log1p, power 0.3, linear.
  public static let compared: [TargetDomain] = [.log1p, .power(exponent: 0.3), .linear]

  /// A short name for tables and file names: "log1p", "power 0.3", "linear".
  public var description: String {
    switch self {
    case .log1p: "log1p"
    case .power(let exponent): "power \(exponent)"
    case .linear: "linear"
    }
  }

  /// The name as a file-name part: "log1p", "power0.3", "linear".
  public var slug: String { description.replacingOccurrences(of: " ", with: "") }
}

/// A domain's map fitted to one spectrogram, with its exact inverse.
public enum TargetScaling: Equatable, Sendable {
  /// log1p, then min–max to [0, 1].
  case log1p(LogMagnitudeScaling)
  /// A power law (linear at p = 1), then divided by the maximum.
  case power(PowerLawScaling)

  /// The scaling of `domain` that maps these magnitudes into [0, 1].
  /// - Parameters:
  ///   - magnitude: |X|, any layout, at least one value, finite and not negative.
  ///   - domain: the target domain.
  /// - Throws: `PriorError` naming a bad value or argument.
  public init(fitting magnitude: [Float], domain: TargetDomain) throws(PriorError) {
    try validateMagnitude(magnitude, what: "magnitude")
    switch domain {
    case .log1p:
      self = .log1p(try LogMagnitudeScaling(fitting: magnitude))
    case .power(let exponent):
      self = .power(try PowerLawScaling(fitting: magnitude, exponent: exponent))
    case .linear:
      self = .power(try PowerLawScaling(fitting: magnitude, exponent: 1))
    }
  }

  /// The domain this scaling belongs to.
  public var domain: TargetDomain {
    switch self {
    case .log1p: .log1p
    case .power(let scaling): scaling.exponent == 1 ? .linear : .power(exponent: scaling.exponent)
    }
  }

  /// Magnitudes to image values.
  public func scaled(_ magnitude: [Float]) -> [Float] {
    switch self {
    case .log1p(let scaling): scaling.scaled(magnitude)
    case .power(let scaling): scaling.scaled(magnitude)
    }
  }

  /// Image values to magnitudes: the exact inverse of `scaled`.
  public func magnitude(fromScaled values: [Float]) -> [Float] {
    switch self {
    case .log1p(let scaling): scaling.magnitude(fromScaled: values)
    case .power(let scaling): scaling.magnitude(fromScaled: values)
    }
  }
}
