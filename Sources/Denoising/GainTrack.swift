import Foundation

/// The recording's 16 kHz gain put together segment by segment as the segments' gains
/// arrive: `Segmenter.frames.overlapAdd` for a stream, the same sums in the same order, with
/// only the frames still to be looked up in memory.
///
/// Segment s covers frames `224 s ..< 224 s + 256`. Once it is added, the frames before
/// `224 (s + 1)` are final (no later segment reaches them), and all of them are when it is
/// the last.
struct GainTrack {
  /// Bins per frame.
  static let bins = Denoiser.nFFT / 2 + 1
  /// Frames `start ..< start + values.count / bins`, frame-major: `values[(p - start) · 257 + k]`.
  private var values: [Float] = []
  private var start = 0
  /// The segments added so far.
  private(set) var segmentsAdded = 0
  /// The frames no later segment changes.
  private(set) var finalFrames = 0
  /// The frames of the whole gain, once the last segment is in.
  private(set) var total: Int? = nil

  /// Adds the next segment's gain, `[257, 256]` row-major, crossfaded with its neighbours as
  /// `Segmenter.weights` says (a fade-out only when it is not the last).
  mutating func add(_ gain: [Float], isLast: Bool) {
    let segmenter = Segmenter.frames
    let s = segmentsAdded
    precondition(total == nil, "a segment after the last")
    precondition(gain.count == Self.bins * segmenter.length, "gain is not [257, 256]")
    // The weights depend only on whether a segment comes before and after this one.
    let w = segmenter.weights(segment: s, of: isLast ? s + 1 : s + 2)
    let from = s * segmenter.hop
    let end = from + segmenter.length
    let held = start + values.count / Self.bins
    if end > held {
      values.append(contentsOf: repeatElement(0, count: (end - held) * Self.bins))
    }
    for j in 0..<segmenter.length {
      let row = (from + j - start) * Self.bins
      for k in 0..<Self.bins {
        values[row + k] += w[j] * gain[k * segmenter.length + j]
      }
    }
    segmentsAdded += 1
    finalFrames = isLast ? end : from + segmenter.hop
    if isLast { total = end }
  }

  /// Frames `range` of the gain, `[257, range.count]` row-major.
  ///
  /// - Precondition: they are held and final.
  func frames(_ range: Range<Int>) -> GainFrames {
    precondition(range.lowerBound >= start && range.upperBound <= finalFrames, "\(range)")
    var slice = [Float](repeating: 0, count: Self.bins * range.count)
    for (i, p) in range.enumerated() {
      for k in 0..<Self.bins {
        slice[k * range.count + i] = values[(p - start) * Self.bins + k]
      }
    }
    return GainFrames(
      values: slice, first: range.lowerBound, count: range.count, total: total ?? Int.max)
  }

  /// Forgets the frames before `frame`.
  mutating func forget(before frame: Int) {
    let drop = min(frame - start, values.count / Self.bins)
    if drop > 0 && 2 * drop >= values.count / Self.bins {
      values.removeFirst(drop * Self.bins)
      start += drop
    }
  }
}
