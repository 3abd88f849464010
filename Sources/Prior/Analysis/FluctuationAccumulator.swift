/// How an accumulated fluctuation map is brought to [0, 1].
public enum FluctuationNormaliser: String, CaseIterable, Hashable, Sendable {
  /// F / max F over the whole image: one scale for every frequency.
  case maximum = "its maximum"
  /// F / max F over each row: each frequency on its own scale, so that a band where the
  /// output moves little everywhere still has bins that count as noise.
  case rowMaximum = "each frequency's maximum"
}

/// The fluctuation of a fit's output, accumulated bin by bin across the iterations it is
/// shown:
///
///     F[f, t] = Σₖ |oₖ[f, t] − oₖ₋₁[f, t]|,    k = 1 … K
///
/// for outputs o₀ … o_K. An untrained network fits the structured part of a spectrogram
/// early and then holds it, while the bins it fits late, the noise, keep moving: a bin that
/// fluctuates is a bin that holds noise. Normalised to F̂ in [0, 1], `1 − F̂` is a speech
/// mask. Before two outputs have been seen F is 0 everywhere and the mask is 1: nothing is
/// known yet, and nothing is removed.
///
/// M. Michelashvili, L. Wolf, "Speech denoising by accumulating per-frequency modeling
/// fluctuations" (first titled "Audio denoising with deep network priors"), 2019,
/// https://arxiv.org/abs/1904.07612: a network fitted to one noisy recording, a fitting
/// score accumulated per time–frequency bin over its iterations, and the scores turned into
/// a mask for a classical filter.
public struct FluctuationAccumulator: Sendable {
  public let rows: Int
  public let frames: Int
  /// F, `[rows, frames]`.
  public private(set) var total: [Float]
  /// How many outputs have been added.
  public private(set) var outputs = 0
  private var previous: [Float]

  /// An accumulator for outputs of `[rows, frames]`, both positive.
  public init(rows: Int, frames: Int) {
    precondition(rows > 0 && frames > 0, "an output of \(rows) × \(frames) values")
    (self.rows, self.frames) = (rows, frames)
    total = [Float](repeating: 0, count: rows * frames)
    previous = total
  }

  // book: fluctuation-add
  /// Adds one output, `[rows, frames]`: its change from the previous one, if any, joins F.
  public mutating func add(_ output: [Float]) {
    precondition(
      output.count == total.count, "an output of \(output.count) values, not \(total.count)")
    if outputs > 0 {
      for i in total.indices { total[i] += abs(output[i] - previous[i]) }
    }
    previous = output
    outputs += 1
  }
  // book: end

  /// F̂ = F / max F in [0, 1], the maximum taken as `normaliser` says; 0 where that maximum
  /// is 0 (a row, or the whole image, that never moved).
  public func normalised(by normaliser: FluctuationNormaliser) -> [Float] {
    let scale: (Int) -> Float
    switch normaliser {
    case .maximum:
      let largest = total.max()!
      scale = { _ in largest }
    case .rowMaximum:
      let largest = (0..<rows).map { r in total[(r * frames)..<((r + 1) * frames)].max()! }
      scale = { i in largest[i / frames] }
    }
    return total.indices.map { i in
      let s = scale(i)
      return s > 0 ? total[i] / s : 0
    }
  }

  /// The speech mask `max(floor, 1 − F̂)`, `[rows, frames]` in [floor, 1]: 1 where the output
  /// never moved, `floor` where it moved the most.
  public func speechMask(normalisedBy normaliser: FluctuationNormaliser, floor: Float)
    -> [Float]
  {
    precondition(floor >= 0 && floor <= 1, "a floor of \(floor), not in [0, 1]")
    return normalised(by: normaliser).map { max(floor, 1 - $0) }
  }
}
