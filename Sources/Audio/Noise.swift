import Foundation
import Random

/// White Gaussian noise: independent N(0, rms²) samples, the same for the same seed.
///
/// Its power spectrum is flat: equal power in every hertz, so most of it lies at high
/// frequencies, where speech has little energy. That makes it a hiss.
public func whiteNoise(count: Int, rms: Float = 0.1, seed: UInt64) -> [Float] {
  var generator = Xoshiro256(seed: seed)
  return (0..<count).map { _ in Float(generator.normal()) * rms }
}

// book: pink
/// Pink noise by the Voss–McCartney algorithm: power falling as 1/f, -3.01 dB per octave,
/// equal power in every octave, like rain or a distant crowd.
///
/// Row `r` of `rows` holds a Gaussian value and draws a new one every `2^(r+1)` samples,
/// staggered so that exactly one row changes per sample (the row numbered by the count of
/// trailing zero bits of the sample index); a white source changes every sample. A value held
/// for `P` samples has the spectrum `sin²(Pω/2) / (P sin²(ω/2))`, flat below `ω ≈ 1/P` and
/// falling above it; summing holds of 2, 4, 8 … samples gives about 1/f across
/// `rows` octaves below a quarter of the sample rate (the exact sum is `vossSpectrum`).
/// See <https://www.firstpr.com.au/dsp/pink-noise/>.
///
/// - Parameters:
///   - rms: the standard deviation of the samples.
///   - rows: octaves of pink spectrum; 16 reaches 0.1 Hz at 16 kHz.
public func pinkNoise(count: Int, rms: Float = 0.1, rows: Int = 16, seed: UInt64) -> [Float] {
  var generator = Xoshiro256(seed: seed)
  var values = (0..<rows).map { _ in generator.normal() }
  var sum = values.reduce(0, +)
  // rows + 1 independent unit-variance terms: divide by √(rows + 1) for unit variance.
  let scale = Double(rms) / Double(rows + 1).squareRoot()
  var noise = [Float](repeating: 0, count: count)
  for n in 0..<count {
    let row = (n + 1).trailingZeroBitCount
    if row < rows {
      let fresh = generator.normal()
      sum += fresh - values[row]
      values[row] = fresh
    }
    noise[n] = Float((sum + generator.normal()) * scale)
  }
  return noise
}
// book: end

/// The expected power spectral density of `pinkNoise` at `omega` radians per sample, for
/// unit variance: `(1 + Σ_r sin²(2^r ω) / (2^(r+1) sin²(ω/2))) / (rows + 1)`.
///
/// A two-sided density over `(-π, π]`, so that its mean over all frequencies is 1; the
/// white term is the constant 1 and row `r` is a hold of `P = 2^(r+1)` samples.
public func vossSpectrum(omega: Double, rows: Int = 16) -> Double {
  let s = sin(omega / 2)
  var total = 1.0
  for r in 0..<rows {
    let period = Double(1 << (r + 1))
    let held = sin(period * omega / 2)
    total += held * held / (period * s * s)
  }
  return total / Double(rows + 1)
}
