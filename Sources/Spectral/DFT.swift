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
/// x is real). N² multiply-adds: the reference the fast transforms are checked against.
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
    for t in 0..<n {
      let m = (k * t) % n
      re += Double(signal[t]) * cosines[m]
      im -= Double(signal[t]) * sines[m]
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
  let (re, im) = radix2(signal.map(Double.init), [Double](repeating: 0, count: n))
  return SplitComplex(
    real: re[0...(n / 2)].map(Float.init), imag: im[0...(n / 2)].map(Float.init))
}

// book: fft-idea
/// One radix-2 step: a DFT of length N is two DFTs of length N/2, one of the even-indexed
/// samples (E) and one of the odd (O), joined by the twiddle factors w = e^(-2πi·k/N):
///
///     X[k] = E[k] + w·O[k],   X[k + N/2] = E[k] - w·O[k],   k = 0 … N/2 - 1
func radix2(_ re: [Double], _ im: [Double]) -> (re: [Double], im: [Double]) {
  let n = re.count
  if n == 1 { return (re, im) }
  let evens = stride(from: 0, to: n, by: 2)
  let odds = stride(from: 1, to: n, by: 2)
  let e = radix2(evens.map { re[$0] }, evens.map { im[$0] })
  let o = radix2(odds.map { re[$0] }, odds.map { im[$0] })
  var outRe = [Double](repeating: 0, count: n)
  var outIm = [Double](repeating: 0, count: n)
  for k in 0..<(n / 2) {
    let angle = -2 * Double.pi * Double(k) / Double(n)
    let (c, s) = (cos(angle), sin(angle))
    let tRe = c * o.re[k] - s * o.im[k]
    let tIm = c * o.im[k] + s * o.re[k]
    (outRe[k], outIm[k]) = (e.re[k] + tRe, e.im[k] + tIm)
    (outRe[k + n / 2], outIm[k + n / 2]) = (e.re[k] - tRe, e.im[k] - tIm)
  }
  return (outRe, outIm)
}
// book: end
