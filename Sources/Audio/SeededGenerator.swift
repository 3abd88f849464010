import Foundation

/// A seeded pseudo-random generator, xoshiro256** (Blackman and Vigna, 2018), so that every
/// noise signal, figure and test of the book is the same on every run and every machine.
///
/// The 256-bit state is filled from the 64-bit seed by SplitMix64, as the authors recommend:
/// nearby seeds (1, 2, 3 ...) then give unrelated streams, and the state is never all zero.
/// Uniform floats take the top 53 bits; Gaussians come from the Box–Muller transform.
/// See <https://prng.di.unimi.it/> and D. Blackman, S. Vigna, "Scrambled linear
/// pseudorandom number generators", ACM TOMS 47(4), 2021.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  var state: (UInt64, UInt64, UInt64, UInt64)
  /// The second Gaussian of the last Box–Muller pair, handed out by the next call.
  var spareGaussian: Double?

  /// A generator whose whole output is determined by `seed`.
  public init(seed: UInt64) {
    var splitMix = SplitMix64(state: seed)
    state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
  }

  /// The next 64 random bits: xoshiro256** (`rotl(s1 · 5, 7) · 9`, then the linear step).
  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  /// A uniform number in [0, 1) with 53 random bits.
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal number (mean 0, variance 1) by the Box–Muller transform:
  /// for uniform `u1 ∈ (0, 1]`, `u2`, both `√(-2 ln u1) cos(2π u2)` and `… sin(2π u2)` are
  /// independent N(0, 1).
  public mutating func nextGaussian() -> Double {
    if let spare = spareGaussian {
      spareGaussian = nil
      return spare
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1 = 1 - nextUniform()
    let u2 = nextUniform()
    let radius = (-2 * log(u1)).squareRoot()
    spareGaussian = radius * sin(2 * Double.pi * u2)
    return radius * cos(2 * Double.pi * u2)
  }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit counter pushed through a mixing function.
/// Used to turn one seed into the xoshiro state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public var state: UInt64

  public init(state: UInt64) { self.state = state }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@inline(__always)
func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}
