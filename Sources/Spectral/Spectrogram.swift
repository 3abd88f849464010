import Foundation

/// A complex spectrogram: one complex value per frequency bin and frame, in split storage.
///
/// Layout: `[bins, frames]` row-major, the bin is the row. Value (bin f, frame t) is
/// `real[f · frames + t] + i · imag[f · frames + t]`; row f is the time course of frequency
/// f · sampleRate / nFFT, column t the spectrum of the frame centred on sample t · hop.
/// This is the layout of `torch.stft(...)` for one signal, and of an image whose rows are
/// frequencies: dropping the top (Nyquist) bin is taking the first `(bins - 1) · frames`
/// values, and appending a row is appending `frames` values.
public struct Spectrogram: Equatable, Sendable {
  /// Frequency bins, nFFT/2 + 1 for an STFT: the number of rows.
  public let bins: Int
  /// Frames, the number of columns.
  public let frames: Int
  /// Real parts, `[bins, frames]` row-major.
  public private(set) var real: [Float]
  /// Imaginary parts, `[bins, frames]` row-major.
  public private(set) var imag: [Float]

  /// A spectrogram from its real and imaginary parts, each `[bins, frames]` row-major.
  /// - Throws: `SpectralError.storageMismatch` when a part does not hold `bins · frames`
  ///   values, `.negativeCount` for negative sizes.
  public init(real: [Float], imag: [Float], bins: Int, frames: Int) throws(SpectralError) {
    guard bins >= 0 else { throw .negativeCount(what: "bins", value: bins) }
    guard frames >= 0 else { throw .negativeCount(what: "frames", value: frames) }
    guard real.count == bins * frames else {
      throw .storageMismatch(what: "real", count: real.count, bins: bins, frames: frames)
    }
    guard imag.count == bins * frames else {
      throw .storageMismatch(what: "imag", count: imag.count, bins: bins, frames: frames)
    }
    self.bins = bins
    self.frames = frames
    self.real = real
    self.imag = imag
  }

  /// A spectrogram from magnitudes and phases (radians), `X = m · e^(iφ)`, each
  /// `[bins, frames]` row-major: how a modified magnitude is put back with a phase.
  /// - Throws: `SpectralError.storageMismatch` when a part does not hold `bins · frames`
  ///   values.
  public init(magnitude: [Float], phase: [Float], bins: Int, frames: Int) throws(SpectralError) {
    guard magnitude.count == bins * frames else {
      throw .storageMismatch(what: "magnitude", count: magnitude.count, bins: bins, frames: frames)
    }
    guard phase.count == bins * frames else {
      throw .storageMismatch(what: "phase", count: phase.count, bins: bins, frames: frames)
    }
    try self.init(
      real: zip(magnitude, phase).map { $0 * cos($1) },
      imag: zip(magnitude, phase).map { $0 * sin($1) }, bins: bins, frames: frames)
  }

  /// A spectrogram of zeros.
  public init(zerosWithBins bins: Int, frames: Int) {
    self.bins = max(bins, 0)
    self.frames = max(frames, 0)
    real = [Float](repeating: 0, count: self.bins * self.frames)
    imag = real
  }

  /// The storage index of (bin, frame): `bin · frames + frame`.
  @inlinable public func index(bin: Int, frame: Int) -> Int { bin * frames + frame }

  /// The complex value at (bin, frame).
  public subscript(bin bin: Int, frame frame: Int) -> (real: Float, imag: Float) {
    get {
      let i = index(bin: bin, frame: frame)
      return (real[i], imag[i])
    }
    set {
      let i = index(bin: bin, frame: frame)
      real[i] = newValue.real
      imag[i] = newValue.imag
    }
  }

  /// `|X|`, `[bins, frames]` row-major.
  public var magnitude: [Float] { zip(real, imag).map { Float(hypot(Double($0), Double($1))) } }

  /// `arg X` in radians, in (-π, π], `[bins, frames]` row-major; 0 where X is 0.
  public var phase: [Float] { zip(real, imag).map { atan2($1, $0) } }

  /// `20 · log10 |X|` in decibels, `[bins, frames]` row-major; magnitudes below `floor` count
  /// as `floor` (so silence gives a finite value, -200 dB for the default).
  public func decibels(floor: Float = 1e-10) -> [Float] {
    magnitude.map { 20 * log10(max($0, floor)) }
  }

  /// The spectrum of one frame: column t, bins 0 … bins - 1.
  public func frame(_ t: Int) -> SplitComplex {
    precondition(t >= 0 && t < frames, "frame \(t) of \(frames)")
    return SplitComplex(
      real: (0..<bins).map { real[$0 * frames + t] },
      imag: (0..<bins).map { imag[$0 * frames + t] })
  }
}
