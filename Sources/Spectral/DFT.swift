import Foundation

/// Complex numbers in split storage: the real parts in one array, the imaginary parts in
/// another (as Accelerate's `DSPSplitComplex`); element k is `real[k] + i·imag[k]`.
public struct SplitComplex: Equatable, Sendable {
  public var real: [Float]
  public var imag: [Float]

  /// - Precondition: `real.count == imag.count`.
  public init(real: [Float], imag: [Float]) {
    precondition(real.count == imag.count, "\(real.count) real parts, \(imag.count) imaginary")
    self.real = real
    self.imag = imag
  }

  /// `count` zeros.
  public init(count: Int) {
    self.init(
      real: [Float](repeating: 0, count: count), imag: [Float](repeating: 0, count: count))
  }

  public var count: Int { real.count }

  /// `|z[k]| = sqrt(re² + im²)`, without overflow for large parts.
  public var magnitude: [Float] { zip(real, imag).map { Float(hypot(Double($0), Double($1))) } }

  /// `arg z[k]` in (-π, π], 0 for 0.
  public var phase: [Float] { zip(real, imag).map { atan2($1, $0) } }
}

// book: dft-definition
/// The discrete Fourier transform of a real signal, straight from its definition:
///
///     X[k] = Σₙ x[n] · e^(-2πi·kn/N) = Σₙ x[n] · (cos(2πkn/N) - i·sin(2πkn/N))
///
/// for the bins k = 0 … N/2 (the others are the conjugates of these, `X[N-k] = X̄[k]`, since
/// x is real). N · (N/2 + 1) multiply-adds: the reference the fast transforms are checked
/// against.
/// Sums in Double, with the N distinct twiddle factors e^(-2πi·m/N) tabulated once and
/// looked up at m = kn mod N (exact, and without the rounding of a huge angle).
///
/// - Returns: `[N/2 + 1]` complex bins; bin k is the frequency k·sampleRate/N.
public func dftDefinition(_ signal: [Float]) -> SplitComplex {
  // BEGIN SOLUTION dft-definition: X[k] = sum over n of x[n] e^(-2 pi i k n / N), k = 0...N/2
  let n = signal.count
  guard n > 0 else { return SplitComplex(count: 0) }
  let cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
  let sines = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
  var result = SplitComplex(count: n / 2 + 1)
  for k in 0..<result.count {
    var re = 0.0
    var im = 0.0
    var m = 0  // k·t mod N, stepped by k instead of divided out
    for t in 0..<n {
      re += Double(signal[t]) * cosines[m]
      im -= Double(signal[t]) * sines[m]
      m += k
      if m >= n { m -= n }
    }
    result.real[k] = Float(re)
    result.imag[k] = Float(im)
  }
  return result
  // END SOLUTION
}
// book: end

/// The DFT of a real signal of power-of-two length by the radix-2 Cooley–Tukey recursion,
/// N log₂ N operations instead of N²: the idea every FFT builds on.
///
/// Cooley, Tukey, "An algorithm for the machine calculation of complex Fourier series",
/// Math. Comp. 19 (1965). https://doi.org/10.1090/S0025-5718-1965-0178586-1
///
/// - Returns: `[N/2 + 1]` complex bins, as `dftDefinition`.
/// - Throws: `SpectralError.notAPowerOfTwo` when N is not 1, 2, 4, 8, …
public func fftRadix2(_ signal: [Float]) throws(SpectralError) -> SplitComplex {
  let n = signal.count
  guard n > 0, n & (n - 1) == 0 else { throw .notAPowerOfTwo(count: n) }
  let x = signal.map(Double.init)
  let twiddles = Twiddles(
    cos: (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) },
    sin: (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) })
  var re = [Double](repeating: 0, count: n)
  var im = [Double](repeating: 0, count: n)
  radix2(x, offset: 0, stride: 1, count: n, twiddles, into: &re, &im, at: 0)
  return SplitComplex(
    real: re[0...(n / 2)].map(Float.init), imag: im[0...(n / 2)].map(Float.init))
}

/// cos(2πj/N) and sin(2πj/N), j = 0 … N - 1, for the full length N.
struct Twiddles {
  var cos: [Double]
  var sin: [Double]
}

// book: fft-idea
/// One radix-2 step: the DFT of the `count` samples x[offset], x[offset + stride], … is two
/// DFTs of half the length, E of the even-numbered of them and O of the odd-numbered, joined
/// by the twiddle factors w = e^(-2πi·k/count):
///
///     X[k] = E[k] + w·O[k],   X[k + count/2] = E[k] - w·O[k],   k = 0 … count/2 - 1
///
/// E and O are written into the two halves of the output, then combined in place. Halving
/// log₂ N times leaves N work per level: N log₂ N in all.
func radix2(
  _ x: [Double], offset: Int, stride: Int, count n: Int, _ twiddles: Twiddles,
  into re: inout [Double], _ im: inout [Double], at start: Int
) {
  if n == 1 {
    (re[start], im[start]) = (x[offset], 0)
    return
  }
  let half = n / 2
  radix2(x, offset: offset, stride: 2 * stride, count: half, twiddles, into: &re, &im, at: start)
  radix2(
    x, offset: offset + stride, stride: 2 * stride, count: half, twiddles,
    into: &re, &im, at: start + half)
  for k in 0..<half {
    // w = cos - i·sin of 2πk/count, entry k·stride of the full-length table (count·stride = N).
    let (c, s) = (twiddles.cos[k * stride], twiddles.sin[k * stride])
    let (e, o) = (start + k, start + half + k)
    let wORe = c * re[o] + s * im[o]
    let wOIm = c * im[o] - s * re[o]
    (re[o], im[o]) = (re[e] - wORe, im[e] - wOIm)
    (re[e], im[e]) = (re[e] + wORe, im[e] + wOIm)
  }
}
// book: end
