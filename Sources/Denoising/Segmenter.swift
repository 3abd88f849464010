import Foundation

/// Cuts a signal of any length into overlapping segments of a fixed length, and puts processed
/// segments back together with crossfades that sum to one.
///
/// Segment s covers positions `s · hop ..< s · hop + length`, `hop = length - overlap`. The
/// signal is first extended at its end, by mirroring, to exactly
/// `paddedLength = (count - 1) · hop + length`, so that every segment is whole; a signal
/// shorter than one segment becomes one padded segment. Putting back, segment s is weighted by
///
///     w_s[k] = r[k]                      for k < overlap            (s > 0: fade in)
///            = r[length - 1 - k]         for k ≥ length - overlap   (s < count - 1: fade out)
///            = 1                         elsewhere
///
/// with the raised-cosine ramp `r[k] = sin²(π (k + ½) / (2 · overlap))`. Since
/// `r[k] + r[overlap - 1 - k] = sin² + cos² = 1`, the weights of neighbours sum to one at every
/// position: segmenting and putting back unchanged segments gives the signal back.
///
/// The same geometry works on samples and on STFT frames. The canonical pair: segments of
/// 32 640 samples (2.04 s at 16 kHz, 256 STFT frames of hop 128) with a hop of 28 672 samples,
/// and the matching frame segmenter of 256 frames with a hop of 224 frames. Because the sample
/// hop is a whole number of STFT hops, frame j of segment s is frame `224 s + j` of the
/// whole signal.
public struct Segmenter: Equatable, Sendable {
  /// Positions per segment (samples, or frames).
  public let length: Int
  /// Positions shared by two neighbouring segments, where the crossfade happens.
  public let overlap: Int

  /// Positions between the starts of neighbouring segments.
  public var hop: Int { length - overlap }

  /// Segments of 32 640 samples (256 frames of nFFT 512, hop 128 at 16 kHz), 3 968 shared.
  public static let samples = Segmenter(uncheckedLength: 32_640, overlap: 3_968)
  /// The frames of `samples`: 256 frames per segment, 32 shared, a hop of 224 frames.
  public static let frames = Segmenter(uncheckedLength: 256, overlap: 32)

  /// - Throws: `DenoiseError.invalidArgument` unless `0 <= overlap` and `2 · overlap <= length`
  ///   (a fade-in and a fade-out must not overlap inside one segment).
  public init(length: Int, overlap: Int) throws(DenoiseError) {
    guard length >= 1 else {
      throw .invalidArgument(argument: "length", reason: "\(length), must be at least 1")
    }
    guard overlap >= 0, 2 * overlap <= length else {
      throw .invalidArgument(
        argument: "overlap", reason: "\(overlap), must be in 0 ... \(length / 2) (half a segment)")
    }
    self.init(uncheckedLength: length, overlap: overlap)
  }

  private init(uncheckedLength length: Int, overlap: Int) {
    self.length = length
    self.overlap = overlap
  }

  /// The number of segments for a signal of `length` positions: 1 up to one segment, then
  /// `1 + ⌈(length - segment length) / hop⌉`.
  public func segmentCount(length n: Int) -> Int {
    n <= length ? 1 : 1 + (n - length + hop - 1) / hop
  }

  /// The length the signal is extended to: `(count - 1) · hop + length`.
  public func paddedLength(length n: Int) -> Int {
    (segmentCount(length: n) - 1) * hop + length
  }

  /// The segments of `signal`, after extending it by mirroring to `paddedLength`.
  ///
  /// - Precondition: `signal` is not empty.
  /// - Returns: `segmentCount` arrays of `length` values.
  public func segments(of signal: [Float]) -> [[Float]] {
    precondition(!signal.isEmpty, "cannot segment an empty signal")
    let padded = mirrorExtended(signal, to: paddedLength(length: signal.count))
    return (0..<segmentCount(length: signal.count)).map { s in
      Array(padded[(s * hop)..<(s * hop + length)])
    }
  }

  /// The weights of segment `index` of `count`: a fade-in over the first `overlap` positions
  /// unless it is the first, a fade-out over the last unless it is the last, 1 in between.
  public func weights(segment index: Int, of count: Int) -> [Float] {
    var w = [Float](repeating: 1, count: length)
    let ramp = crossfadeRamp(length: overlap)
    for k in 0..<overlap {
      if index > 0 { w[k] = ramp[k] }
      if index < count - 1 { w[length - 1 - k] = ramp[k] }
    }
    return w
  }

  // book: overlap-add
  /// The segments put back together: `y[n] = Σ_s w_s[n - s·hop] · segment_s[n - s·hop]`,
  /// cut to the first `length` positions.
  ///
  /// Each segment may hold several rows, `[rows, self.length]` row-major (the bins of a
  /// spectrogram, say); the crossfade runs along each row. The result is `[rows, length]`.
  ///
  /// - Precondition: every segment holds `rows · self.length` values and
  ///   `length <= paddedLength` of that many segments.
  public func overlapAdd(_ segments: [[Float]], rows: Int = 1, length n: Int) -> [Float] {
    let count = segments.count
    let total = (count - 1) * hop + length
    precondition(n <= total, "\(count) segments cover \(total) positions, not \(n)")
    // BEGIN SOLUTION overlap-add: y[n] = Σₛ wₛ[n − s·hop] xₛ[n − s·hop], row by row, n < length
    var result = [Float](repeating: 0, count: rows * n)
    for (s, segment) in segments.enumerated() {
      precondition(segment.count == rows * length, "segment \(s) holds \(segment.count) values")
      let w = weights(segment: s, of: count)
      for row in 0..<rows {
        for k in 0..<min(length, n - s * hop) {
          result[row * n + s * hop + k] += w[k] * segment[row * length + k]
        }
      }
    }
    return result
    // END SOLUTION
  }
  // book: end
}

// book: crossfade
/// The fade-in of a crossfade over `n` positions: `r[k] = sin²(π (k + ½) / (2n))`.
///
/// It rises from near 0 to near 1 with zero slope at both ends (no click), and it is
/// complementary to its own mirror image, `r[k] + r[n - 1 - k] = 1`, so a fade-out taken as
/// the reversed ramp and a fade-in sum to one at every position.
public func crossfadeRamp(length n: Int) -> [Float] {
  // BEGIN SOLUTION crossfade-ramp: r[k] = sin^2(pi (k + 1/2) / (2n)); then r[k] + r[n-1-k] = 1
  (0..<n).map { k in
    let s = sin(Double.pi * (Double(k) + 0.5) / Double(2 * n))
    return Float(s * s)
  }
  // END SOLUTION
}
// book: end

/// `signal` extended to `count` values by mirroring about its last sample, again and again
/// if needed (period `2 (n - 1)`): `[a, b, c]` to 7 is `[a, b, c, b, a, b, c]`. A signal of
/// one sample is repeated. The extension has the level and the spectrum of the signal, so a
/// noise estimate over a padded segment is not pulled down by zeros.
public func mirrorExtended(_ signal: [Float], to count: Int) -> [Float] {
  let n = signal.count
  guard count > n else { return Array(signal.prefix(count)) }
  guard n > 1 else { return [Float](repeating: signal.first ?? 0, count: count) }
  let period = 2 * (n - 1)
  return (0..<count).map { i in
    let j = i % period
    return signal[j < n ? j : period - j]
  }
}
