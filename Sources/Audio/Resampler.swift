import Foundation

/// Changes the sample rate of a signal by a rational factor `L / M` with a Kaiser-windowed
/// sinc filter.
///
/// Output sample `n` sits at input time `t = n M / L` (in input samples) and is
///
///     y[n] = Σ_k x[k] h(t - k),   h(τ) = 2 f_c sinc(2 f_c τ) · w(τ / H),
///
/// an ideal low-pass of cutoff `f_c` (cycles per input sample) cut to `|τ| ≤ H` by a Kaiser
/// window `w`. Because `t - k = q + p/L - k` only ever has `L` fractional parts `p / L`, the
/// kernel is tabulated once for each *phase* `p` (a polyphase filter) and resampling is one
/// dot product per output sample.
///
/// The design puts the stopband edge exactly at the lower of the two Nyquist frequencies, so
/// nothing above it can alias, and derives the transition width from Kaiser's formula:
/// with `Z` zero crossings of the sinc on each side and a stopband of `A` dB, the transition
/// is `Δ = (A - 7.95) / (14.36 Z)` of the cutoff wide.
/// See J. O. Smith, "Digital Audio Resampling", <https://ccrma.stanford.edu/~jos/resample/>,
/// and J. F. Kaiser, "Nonrecursive digital filter design using the I0-sinh window function",
/// ISCAS 1974.
public struct Resampler: Sendable {
  /// The sample rates the book uses, in Hz; any two positive integer rates work.
  public static let commonRates = [8000, 11025, 16000, 22050, 44100, 48000, 96000]

  /// Input and output rates in Hz.
  public let inputRate: Int, outputRate: Int
  /// The reduced ratio: `outputRate / inputRate = up / down` with `gcd(up, down) = 1`.
  public let up: Int, down: Int
  /// The filter's cutoff, where its gain is one half (-6 dB), in Hz of the input signal.
  public let cutoff: Double
  /// Below this frequency (Hz) the gain is 1 within the stopband ripple.
  public let passbandEdge: Double
  /// Above this frequency (Hz), the lower Nyquist frequency, the gain is below `-stopbandDB`.
  public let stopbandEdge: Double
  /// The designed stopband attenuation in dB, and the Kaiser window's shape parameter.
  public let stopbandDB: Double, beta: Double
  /// The kernel's half-length `H` in input samples.
  public let halfWidth: Double
  /// Taps per phase, `2 reach + 1`: output `n` reads input samples `q - reach ... q + reach`.
  public let taps: Int
  let reach: Int
  /// `table[p * taps + m] = h(p / up + reach - m)`: each phase reversed, ready for a dot
  /// product with `x[q - reach ..< q + reach + 1]`.
  let table: [Float]

  /// Designs the filter for `inputRate → outputRate`.
  ///
  /// - Parameters:
  ///   - zeroCrossings: `Z`, sinc zero crossings on each side of the centre; more is sharper
  ///     and slower (taps per output ≈ `2 Z · max(1, inputRate / outputRate) / 0.92`).
  ///   - stopbandDB: `A`, the attenuation beyond the lower Nyquist frequency.
  /// - Throws: `AudioError.invalidArgument` for a rate that is not positive, or a ratio so
  ///   fine that the table would exceed a million taps (e.g. 44 101 → 48 000).
  public init(
    from inputRate: Int, to outputRate: Int, zeroCrossings: Int = 32, stopbandDB: Double = 90
  ) throws(AudioError) {
    guard inputRate > 0, outputRate > 0 else {
      throw .invalidArgument(
        argument: "sample rate", reason: "\(inputRate) → \(outputRate) Hz; rates must be > 0")
    }
    guard zeroCrossings > 0, stopbandDB > 21 else {
      throw .invalidArgument(
        argument: "resampling filter",
        reason: "zeroCrossings \(zeroCrossings) must be > 0, stopbandDB \(stopbandDB) > 21")
    }
    let divisor = greatestCommonDivisor(inputRate, outputRate)
    self.inputRate = inputRate
    self.outputRate = outputRate
    up = outputRate / divisor
    down = inputRate / divisor
    self.stopbandDB = stopbandDB
    beta = kaiserBeta(stopbandDB: stopbandDB)
    // Transition width as a fraction of the cutoff; the cutoff sits in its middle, so the
    // stopband starts at f_c (1 + Δ/2), which we pin to the lower Nyquist frequency.
    let transition = (stopbandDB - 7.95) / (14.36 * Double(zeroCrossings))
    let lowerNyquist = 0.5 * Double(min(inputRate, outputRate))
    stopbandEdge = lowerNyquist
    cutoff = lowerNyquist / (1 + transition / 2)
    passbandEdge = cutoff * (1 - transition / 2)
    let fc = cutoff / Double(inputRate)
    halfWidth = Double(zeroCrossings) / (2 * fc)
    reach = Int(halfWidth.rounded(.up))
    taps = 2 * reach + 1
    guard up * taps <= 1_000_000 else {
      throw .invalidArgument(
        argument: "sample rate",
        reason: "\(inputRate) → \(outputRate) Hz needs \(up) phases of \(taps) taps")
    }
    var table = [Float](repeating: 0, count: up * taps)
    for p in 0..<up {
      for m in 0..<taps {
        let tau = Double(p) / Double(up) + Double(reach - m)
        table[p * taps + m] = Float(
          windowedSinc(at: tau, cutoff: fc, halfWidth: halfWidth, beta: beta))
      }
    }
    self.table = table
  }

  /// The number of output samples for `inputCount` input samples: `⌈inputCount · up / down⌉`,
  /// one for every output instant before the end of the input.
  public func outputCount(for inputCount: Int) -> Int {
    (inputCount * up + down - 1) / down
  }

  // book: resample
  /// The signal at `outputRate`: `[outputCount(for: signal.count)]`; the input is taken as
  /// zero before its start and after its end.
  public func resample(_ signal: [Float]) -> [Float] {
    let count = outputCount(for: signal.count)
    var output = [Float](repeating: 0, count: count)
    signal.withUnsafeBufferPointer { x in
      table.withUnsafeBufferPointer { h in
        for n in 0..<count {
          // Output n sits at input time q + p/up; phase p's taps meet x[q - reach ...].
          let q = n * down / up
          let p = n * down - q * up
          let first = q - reach
          // Only the taps that land inside the signal: zero padding without copying.
          let lower = max(0, -first)
          let upper = min(taps, x.count - first)
          var sum: Float = 0
          var m = lower
          while m < upper {
            // Safe: lower ≤ m < upper keeps first + m in x and p·taps + m in h.
            sum += x[first + m] * h[p * taps + m]
            m += 1
          }
          output[n] = sum
        }
      }
    }
    return output
  }
  // book: end

  /// The same resampling without the table: every tap evaluates the kernel formula in
  /// `Double`. The simple twin of `resample`, about 100 times slower: the reference the tests
  /// compare the polyphase table with.
  public func resampleDirectly(_ signal: [Float]) -> [Float] {
    let fc = cutoff / Double(inputRate)
    return (0..<outputCount(for: signal.count)).map { n in
      let t = Double(n * down) / Double(up)
      let first = max(0, Int((t - halfWidth).rounded(.up)))
      let last = min(signal.count - 1, Int((t + halfWidth).rounded(.down)))
      guard first <= last else { return 0 }
      var sum = 0.0
      for k in first...last {
        let h = windowedSinc(at: t - Double(k), cutoff: fc, halfWidth: halfWidth, beta: beta)
        sum += Double(signal[k]) * h
      }
      return Float(sum)
    }
  }

  /// The gain in dB of a sine at `frequency` Hz measured through the resampler: the RMS of
  /// the output over the RMS of the input, without the first and last tenth (where the
  /// kernel meets the zero padding). Above the output's Nyquist frequency this is the level
  /// of the alias that gets through. The experimental check on `frequencyResponse`.
  public func measuredGain(at frequency: Double, seconds: Double = 0.25) -> Double {
    let count = Int(seconds * Double(inputRate))
    let tone = sine(frequency: frequency, sampleRate: inputRate, count: count, amplitude: 0.5)
    let output = resample(tone)
    let middle = Array(output[(output.count / 10)..<(output.count * 9 / 10)])
    return decibels(Double(rms(middle)) / (0.5 / 2.0.squareRoot()))
  }

  /// Each channel of `buffer` resampled; the buffer must be at `inputRate`.
  public func resample(_ buffer: AudioBuffer) throws(AudioError) -> AudioBuffer {
    guard buffer.sampleRate == inputRate else {
      throw .invalidArgument(
        argument: "buffer",
        reason: "it is at \(buffer.sampleRate) Hz, this resampler expects \(inputRate) Hz")
    }
    let channels = (0..<buffer.channels).map { resample(buffer.channel($0)) }
    let frames = outputCount(for: buffer.frameCount)
    var samples = [Float](repeating: 0, count: frames * buffer.channels)
    for (c, channel) in channels.enumerated() {
      for f in 0..<frames { samples[f * buffer.channels + c] = channel[f] }
    }
    return AudioBuffer(samples: samples, channels: buffer.channels, sampleRate: outputRate)
  }

  /// The gain of the filter actually used (the `Float` table) at each frequency, in dB.
  ///
  /// All phases together are the kernel sampled every `1 / up` input samples, a filter at
  /// rate `up · inputRate`; its response is `G(f) = (1/up) Σ_j h(τ_j) cos(2π f τ_j / f_in)`
  /// (real because h is symmetric), divided by `up` so that the passband gain is 1 (0 dB).
  ///
  /// - Parameter frequencies: in Hz of the input signal, below `up · inputRate / 2`.
  public func frequencyResponse(at frequencies: [Double]) -> [Double] {
    frequencies.map { f in
      var sum = 0.0
      let omega = 2 * Double.pi * f / Double(inputRate)
      for p in 0..<up {
        for m in 0..<taps {
          let tau = Double(p) / Double(up) + Double(reach - m)
          sum += Double(table[p * taps + m]) * cos(omega * tau)
        }
      }
      return decibels(max(abs(sum) / Double(up), 1e-12))
    }
  }
}

extension Resampler: CustomStringConvertible {
  public var description: String {
    "Resampler(\(inputRate) → \(outputRate) Hz, up \(up) down \(down), cutoff \(cutoff) Hz, "
      + "\(up) phases × \(taps) taps)"
  }
}

extension AudioBuffer {
  /// The buffer at another sample rate, through a `Resampler` with the default design.
  public func resampled(to rate: Int) throws(AudioError) -> AudioBuffer {
    if rate == sampleRate { return self }
    return try Resampler(from: sampleRate, to: rate).resample(self)
  }
}

// book: kernel
/// The Kaiser-windowed sinc `h(τ) = 2 f_c sinc(2 f_c τ) · I0(β √(1 - (τ/H)²)) / I0(β)` for
/// `|τ| < H`, 0 beyond; `sinc(x) = sin(πx) / (πx)`.
///
/// - Parameters:
///   - tau: time from the output instant, in input samples.
///   - cutoff: `f_c`, in cycles per input sample (at most 0.5).
///   - halfWidth: `H`, where the window reaches zero.
///   - beta: the Kaiser window's shape; larger is a lower stopband and a wider transition.
public func windowedSinc(at tau: Double, cutoff: Double, halfWidth: Double, beta: Double)
  -> Double
{
  // BEGIN SOLUTION windowed-sinc: 2 fc sinc(2 fc tau) times the Kaiser window, 0 beyond H
  guard abs(tau) < halfWidth else { return 0 }
  let x = 2 * cutoff * tau
  // sin(πx)/(πx) tends to 1 at x = 0; the division would give NaN there.
  let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
  let r = tau / halfWidth
  let window = besselI0(beta * (1 - r * r).squareRoot()) / besselI0(beta)
  return 2 * cutoff * sinc * window
  // END SOLUTION
}
// book: end

/// Kaiser's shape parameter for a stopband of `A` dB:
/// `0.1102 (A - 8.7)` above 50 dB, `0.5842 (A - 21)^0.4 + 0.07886 (A - 21)` from 21 to 50.
public func kaiserBeta(stopbandDB a: Double) -> Double {
  if a > 50 { return 0.1102 * (a - 8.7) }
  if a >= 21 { return 0.5842 * pow(a - 21, 0.4) + 0.07886 * (a - 21) }
  return 0
}

/// The modified Bessel function of the first kind, order 0: `I0(x) = Σ_k ((x/2)^k / k!)²`.
///
/// The series converges for every x; for the β of audio filters (< 15) it needs < 40 terms.
public func besselI0(_ x: Double) -> Double {
  var sum = 1.0
  var term = 1.0
  var k = 1.0
  while term > 1e-17 * sum {
    let ratio = x / (2 * k)
    term *= ratio * ratio
    sum += term
    k += 1
  }
  return sum
}

/// The greatest common divisor by Euclid's algorithm.
func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
  var (a, b) = (abs(a), abs(b))
  while b != 0 { (a, b) = (b, a % b) }
  return a
}
