import Foundation

/// A window onto a long signal that grows at its end and is forgotten from its start: samples
/// `start ..< end` of the signal, in memory, whatever the signal's length.
///
/// Positions are the signal's own (0 is its first sample), so code that reads a stretch of it
/// computes the same indices as code that holds the whole signal.
struct RollingBuffer {
  /// The samples held, `values[i]` being sample `start + i`.
  private(set) var values: [Float] = []
  /// The first sample held.
  private(set) var start = 0

  /// One past the last sample received.
  var end: Int { start + values.count }

  mutating func append(_ samples: [Float]) { values.append(contentsOf: samples) }

  /// Sample `i` of the signal. - Precondition: `start <= i < end`.
  subscript(i: Int) -> Float { values[i - start] }

  /// Samples `range` of the signal. - Precondition: `start <= range.lowerBound`,
  /// `range.upperBound <= end`.
  func slice(_ range: Range<Int>) -> [Float] {
    precondition(range.lowerBound >= start && range.upperBound <= end, "\(range) not held")
    return Array(values[(range.lowerBound - start)..<(range.upperBound - start)])
  }

  /// Forgets the samples before `position` (when they make up most of what is held, so that
  /// the copy costs little per sample).
  mutating func forget(before position: Int) {
    let drop = min(position - start, values.count)
    if drop > 0 && drop >= values.count / 2 {
      values.removeFirst(drop)
      start += drop
    }
  }
}
