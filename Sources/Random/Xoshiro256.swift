import Foundation

/// The library's one random number generator: xoshiro256** (Blackman and Vigna), its 256-bit
/// state filled from the seed by SplitMix64, as the authors recommend (nearby seeds 1, 2, 3 …
/// then give unrelated streams).
///
/// The same seed gives the same sequence on every machine, so every noise signal, figure,
/// test and initial weight of the book can be reproduced. It is not cryptographic.
///
/// - xoshiro256**: D. Blackman, S. Vigna, "Scrambled Linear Pseudorandom Number Generators",
///   ACM TOMS 47(4), 2021; <https://prng.di.unimi.it>.
/// - SplitMix64: G. Steele, D. Lea, C. Flood, "Fast Splittable Pseudorandom Number
///   Generators", OOPSLA 2014.
///
///     var random = Xoshiro256(seed: 42)
///     let u = random.uniform()   // in [0, 1)
///     let z = random.normal()    // standard normal, by Box–Muller
public struct Xoshiro256: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64
  /// The second normal of the last Box–Muller pair, returned by the next `normal()`.
  private var spareNormal: Double?

  /// A generator whose state is four successive outputs of SplitMix64 started at `seed`.
  ///
  /// SplitMix64 spreads any seed (0, 1, 2, ...) over the whole state; xoshiro256** must not
  /// start from the all-zero state, and SplitMix64 never yields four zeros in a row.
  public init(seed: UInt64) {
    var splitMix = SplitMix64(state: seed)
    (s0, s1, s2, s3) = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  /// A uniform number in [0, 1): the top 53 bits of `next()` scaled by 2⁻⁵³.
  public mutating func uniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform number in `[low, high)`.
  public mutating func uniform(_ low: Double, _ high: Double) -> Double {
    low + (high - low) * uniform()
  }

  /// A standard normal number (mean 0, variance 1) by the Box–Muller transform.
  ///
  /// Two uniforms u₁ ∈ (0, 1], u₂ ∈ [0, 1) give two independent normals
  /// r cos θ and r sin θ with r = √(−2 ln u₁), θ = 2π u₂; the second is kept for the
  /// next call. (G. Box, M. Muller, Ann. Math. Statist. 29(2), 1958.)
  public mutating func normal() -> Double {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    // 1 − u lies in (0, 1], so the logarithm is finite.
    let u1 = 1 - uniform()
    let u2 = uniform()
    let r = (-2 * Foundation.log(u1)).squareRoot()
    let theta = 2 * Double.pi * u2
    spareNormal = r * Foundation.sin(theta)
    return r * Foundation.cos(theta)
  }

  /// A normal number with the given mean and standard deviation.
  public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
    mean + standardDeviation * normal()
  }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}
