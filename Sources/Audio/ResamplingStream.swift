import Foundation

/// A `Resampler` applied to a signal that arrives block by block, with the same output as
/// `resample` on the whole signal, sample for sample and bit for bit.
///
/// Output `n` needs the input samples `q - reach … q + reach`, `q = ⌊n · down / up⌋`. The
/// stream keeps the input that outputs still to come will read (at most `taps` samples plus
/// the block), and hands out each output as soon as its last tap has arrived; `finish()`
/// hands out the rest, with the input taken as zero after its end as `resample` takes it.
///
///     var stream = ResamplingStream(try Resampler(from: 44_100, to: 16_000))
///     for block in blocks { output += stream.process(block) }
///     output += stream.finish()
public struct ResamplingStream: Sendable {
  public let resampler: Resampler
  /// Input samples `first ..< first + pending.count` of the whole signal.
  private var pending: [Float] = []
  private var first = 0
  /// Input samples received, and the index of the next output.
  public private(set) var received = 0
  public private(set) var produced = 0
  private var finished = false

  public init(_ resampler: Resampler) { self.resampler = resampler }

  /// The outputs whose taps all lie in the input received so far, this block included.
  public mutating func process(_ block: [Float]) -> [Float] {
    precondition(!finished, "ResamplingStream: process after finish")
    pending.append(contentsOf: block)
    received += block.count
    let (up, down, reach) = (resampler.up, resampler.down, resampler.reach)
    // The last output with every tap received: q + reach ≤ received - 1.
    let lastQ = received - 1 - reach
    // Outputs n with ⌊n·down/up⌋ ≤ lastQ, that is n·down < (lastQ + 1)·up.
    let end = lastQ < 0 ? 0 : ((lastQ + 1) * up - 1) / down + 1
    let output = outputs(produced..<max(produced, end), inputCount: nil)
    dropConsumedInput()
    return output
  }

  /// The remaining outputs, up to `outputCount(for: received)`, the input being zero after
  /// its last sample.
  public mutating func finish() -> [Float] {
    precondition(!finished, "ResamplingStream: finish twice")
    finished = true
    let count = resampler.outputCount(for: received)
    return outputs(produced..<max(produced, count), inputCount: received)
  }

  /// Outputs `range`, each the dot product `resample` computes, in the same order; the taps
  /// beyond `inputCount` (when the end is known) are left out as zeros.
  private mutating func outputs(_ range: Range<Int>, inputCount: Int?) -> [Float] {
    let (up, down, reach, taps) = (resampler.up, resampler.down, resampler.reach, resampler.taps)
    var output = [Float](repeating: 0, count: range.count)
    pending.withUnsafeBufferPointer { x in
      resampler.table.withUnsafeBufferPointer { h in
        for (i, n) in range.enumerated() {
          let q = n * down / up
          let p = n * down - q * up
          let firstTap = q - reach
          let lower = max(0, -firstTap)
          let upper = inputCount.map { min(taps, $0 - firstTap) } ?? taps
          var sum: Float = 0
          var m = lower
          // Input sample firstTap + m is x[firstTap + m - first].
          let offset = firstTap - first
          while m < upper {
            // Safe: taps below `first` are never needed again (dropConsumedInput), and
            // upper keeps firstTap + m below the input received.
            sum += x[offset + m] * h[p * taps + m]
            m += 1
          }
          output[i] = sum
        }
      }
    }
    produced = range.upperBound
    return output
  }

  /// Forgets the input that no output from `produced` on reads.
  private mutating func dropConsumedInput() {
    let needed = produced * resampler.down / resampler.up - resampler.reach
    let drop = min(pending.count, needed - first)
    // Only when most of the buffer can go: the copy then costs little per sample.
    if drop > 0 && drop >= pending.count / 2 {
      pending.removeFirst(drop)
      first += drop
    }
  }
}
