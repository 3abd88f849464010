import Foundation
import Random
import Spectral
import Testing

/// `count` samples uniform in [-1, 1), from `seed`.
private func randomSignal(_ count: Int, seed: UInt64) -> [Float] {
  var generator = Xoshiro256(seed: seed)
  return (0..<count).map { _ in Float(generator.uniform(-1, 1)) }
}

/// The test's own DFT of a real signal, all N bins, in Double: the definition, written out.
private func referenceDFT(_ x: [Double]) -> (re: [Double], im: [Double]) {
  let n = x.count
  var re = [Double](repeating: 0, count: n)
  var im = [Double](repeating: 0, count: n)
  for k in 0..<n {
    for t in 0..<n {
      let angle = 2 * Double.pi * Double(k * t % n) / Double(n)
      re[k] += x[t] * cos(angle)
      im[k] -= x[t] * sin(angle)
    }
  }
  return (re, im)
}

/// Sample i of `x` extended by mirroring about its ends (indices may run past either end by
/// less than the length): the test's own reflect padding, by index arithmetic.
private func mirrored(_ x: [Float], at i: Int) -> Float {
  if i < 0 { return x[-i] }
  if i >= x.count { return x[2 * (x.count - 1) - i] }
  return x[i]
}

@Suite("Chapter 2: spectrogram")
struct Chapter02SpectralTests {
  // MARK: the window and the padding

  @Test(.tags(.hannWindow)) func periodicHannMatchesTorchValues() {
    // torch.hann_window(8, periodic=True)
    let expected: [Float] = [0, 0.146_446_6, 0.5, 0.853_553_4, 1, 0.853_553_4, 0.5, 0.146_446_6]
    expectClose(hannWindow(length: 8), expected, tolerance: 1e-6, "periodic Hann, n = 8")
    expectClose(hannWindow(length: 5, periodic: false), [0, 0.5, 1, 0.5, 0], tolerance: 1e-6)
  }

  @Test(.tags(.hannWindow), arguments: [256, 512, 1024])
  func periodicHannOverlapsToAConstantAtAQuarterHop(n: Int) {
    // Σₜ w²[n - t·hop] = (3/8)·(N/hop) = 1.5 for hop N/4 (the mean of the Hann window squared
    // is 3/8, and the four shifted copies fill in each other's dips exactly): the envelope the
    // inverse divides by is flat.
    let w = hannWindow(length: n)
    let hop = n / 4
    let envelope = (0..<hop).map { i in
      stride(from: i, to: n, by: hop).reduce(Float(0)) { $0 + w[$1] * w[$1] }
    }
    expectClose(envelope, [Float](repeating: 1.5, count: hop), tolerance: 1e-5)
  }

  @Test(.tags(.reflectPadding)) func reflectPaddingMirrorsWithoutRepeatingTheEdge() {
    // numpy.pad([1, 2, 3, 4, 5], 2, mode="reflect")
    #expect(reflectPadded([1, 2, 3, 4, 5], by: 2) == [3, 2, 1, 2, 3, 4, 5, 4, 3])
    #expect(reflectPadded([1, 2, 3, 4, 5], by: 4) == [5, 4, 3, 2, 1, 2, 3, 4, 5, 4, 3, 2, 1])
    #expect(reflectPadded([7, 8], by: 0) == [7, 8])
  }

  // MARK: the DFT three ways

  @Test(.tags(.dftDefinition)) func definitionGivesTheClosedFormOfAnImpulseAndACosine() {
    let n = 64
    // An impulse at t0: X[k] = e^(-2πi·k·t0/N).
    var impulse = [Float](repeating: 0, count: n)
    impulse[5] = 1
    let x = dftDefinition(impulse)
    let angles = (0...(n / 2)).map { -2 * Double.pi * Double(5 * $0) / Double(n) }
    expectClose(x.real, angles.map { Float(cos($0)) }, tolerance: 1e-6, "impulse, real")
    expectClose(x.imag, angles.map { Float(sin($0)) }, tolerance: 1e-6, "impulse, imag")
    // cos(2π·7t/N): N/2 at bin 7, zero elsewhere.
    let cosine = (0..<n).map { Float(cos(2 * Double.pi * 7 * Double($0) / Double(n))) }
    var expected = [Float](repeating: 0, count: n / 2 + 1)
    expected[7] = Float(n) / 2
    let c = dftDefinition(cosine)
    expectClose(c.real, expected, tolerance: 1e-4, "cosine, real")
    expectClose(c.imag, [Float](repeating: 0, count: n / 2 + 1), tolerance: 1e-4, "cosine, imag")
  }

  @Test(.tags(.dftDefinition), arguments: [512, 255])
  func fftwAgreesWithTheDefinition(n: Int) throws {
    let x = randomSignal(n, seed: UInt64(n))
    let fast = try RealFFT(size: n).forward(x)
    let slow = dftDefinition(x)
    expectClose(fast.real, slow.real, tolerance: 1e-5, relative: true, "real parts")
    expectClose(fast.imag, slow.imag, tolerance: 1e-5, relative: true, "imaginary parts")
  }

  @Test(.tags(.dftDefinition)) func radix2AgreesWithTheDefinition() throws {
    let x = randomSignal(256, seed: 7)
    let fast = try fftRadix2(x)
    let slow = dftDefinition(x)
    expectClose(fast.real, slow.real, tolerance: 1e-5, relative: true, "real parts")
    expectClose(fast.imag, slow.imag, tolerance: 1e-5, relative: true, "imaginary parts")
  }

  @Test(arguments: [512, 255])
  func fftwInverseReturnsTheSignal(n: Int) throws {
    let x = randomSignal(n, seed: 11)
    let fft = try RealFFT(size: n)
    expectClose(fft.inverse(fft.forward(x)), x, tolerance: 1e-5)
  }

  @Test func parsevalHolds() throws {
    // Σ x² = (1/N) Σₖ |X[k]|² over all N bins; bins 1 … N/2 - 1 stand for their conjugates too.
    let n = 512
    let x = randomSignal(n, seed: 3)
    let energy = x.reduce(0.0) { $0 + Double($1) * Double($1) }
    let spectrum = try RealFFT(size: n).forward(x)
    let m = spectrum.magnitude.map { Double($0) * Double($0) }
    let spectral = (m[0] + m[n / 2] + 2 * m[1..<(n / 2)].reduce(0, +)) / Double(n)
    expectClose(spectral, energy, tolerance: 1e-5 * energy, "energy")
  }

  // MARK: the STFT

  @Test(.tags(.stftFraming), arguments: [3, 40, 100])
  func sineCentredOnABinPeaksAtThatBin(bin: Int) throws {
    let stft = try STFT(nFFT: 256, hop: 64)
    let x = (0..<2048).map { Float(0.5 * sin(2 * Double.pi * Double(bin) * Double($0) / 256)) }
    let spectrum = try stft(x)
    let magnitude = spectrum.magnitude
    for t in 2..<(spectrum.frames - 2) {
      let column = (0..<spectrum.bins).map { magnitude[$0 * spectrum.frames + t] }
      #expect(column.indices.max { column[$0] < column[$1] } == bin, "frame \(t)")
      // Amplitude A on a bin: |X| = A·Σw/2 = A·N/4 for the periodic Hann window.
      expectClose(column[bin], 0.5 * 256 / 4, tolerance: 1e-3, "peak height, frame \(t)")
    }
  }

  @Test(.tags(.stftFraming)) func canonicalClipGives257BinsBy256Frames() throws {
    let spectrum = try STFT(nFFT: 512, hop: 128)(randomSignal(32_640, seed: 1))
    #expect(spectrum.bins == 257)
    #expect(spectrum.frames == 256)
    #expect(spectrum.real.count == 257 * 256)
  }

  @Test(.tags(.stftFraming)) func framesEqualTheDefinitionOnReflectPaddedWindowedFrames() throws {
    let (nFFT, hop) = (64, 16)
    let x = randomSignal(301, seed: 5)
    let spectrum = try STFT(nFFT: nFFT, hop: hop)(x)
    #expect(spectrum.frames == 1 + 301 / 16)
    let window = (0..<nFFT).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(nFFT)) }
    // The first three frames reach into the left mirror, the last two into the right one.
    for t in [0, 1, 2, spectrum.frames - 2, spectrum.frames - 1] {
      let frame = (0..<nFFT).map { n in
        window[n] * Double(mirrored(x, at: t * hop + n - nFFT / 2))
      }
      let (re, im) = referenceDFT(frame)
      let column = spectrum.frame(t)
      expectClose(column.real, re[0...(nFFT / 2)].map(Float.init), tolerance: 1e-5, "frame \(t)")
      expectClose(column.imag, im[0...(nFFT / 2)].map(Float.init), tolerance: 1e-5, "frame \(t)")
    }
  }

  @Test(.tags(.istftOverlapAdd), arguments: [256, 512, 1024], [4, 2])
  func inverseRecoversTheSignal(nFFT: Int, hopDivisor: Int) throws {
    let stft = try STFT(nFFT: nFFT, hop: nFFT / hopDivisor)
    for length in [3 * nFFT + 1, 4 * nFFT] {
      let x = randomSignal(length, seed: UInt64(length))
      let y = try stft.inverse(stft(x), length: length)
      expectClose(y, x, tolerance: 1e-5, "nFFT \(nFFT), hop \(stft.hop), length \(length)")
    }
  }

  @Test(.tags(.istftOverlapAdd)) func inverseWithoutALengthStopsAtTheLastFullHop() throws {
    let stft = try STFT(nFFT: 256, hop: 64)
    let x = randomSignal(1000, seed: 9)
    let y = try stft.inverse(stft(x))
    #expect(y.count == 64 * (stft.frameCount(length: 1000) - 1))
    expectClose(y, Array(x[0..<y.count]), tolerance: 1e-5)
  }

  // MARK: scaling and phase

  @Test(.tags(.spectralConvergence)) func spectralConvergenceIsTheRelativeDistance() {
    // ‖(3, 4) - (0, 0)‖ / ‖(3, 4)‖ = 1;  ‖(3, 5) - (3, 4)‖ / 5 = 0.2.
    #expect(spectralConvergence(of: [0, 0], to: [3, 4]) == 1)
    expectClose(spectralConvergence(of: [3, 5], to: [3, 4]), 0.2, tolerance: 1e-7)
  }

  @Test func griffinLimConvergenceNeverIncreases() throws {
    let stft = try STFT(nFFT: 256, hop: 64)
    let length = 4000
    // Two harmonics and a chirp: tonal structure whose phase the magnitude does not fix.
    let x = (0..<length).map { i -> Float in
      let t = Double(i) / 16_000
      return Float(
        0.4 * sin(2 * .pi * 440 * t) + 0.2 * sin(2 * .pi * 880 * t)
          + 0.3 * sin(2 * .pi * (200 + 1500 * t) * t))
    }
    let target = try stft(x).magnitude
    let result = try stft.griffinLim(
      magnitude: target, length: length, iterations: 20, initialPhase: .random(seed: 1))
    let sc = result.spectralConvergence
    #expect(sc.count == 21)
    for i in 1..<sc.count {
      #expect(sc[i] <= sc[i - 1] * (1 + 1e-4), "iteration \(i): \(sc[i - 1]) → \(sc[i])")
    }
    #expect(sc.last! < 0.5 * sc.first!)
  }

  @Test func griffinLimStartedFromTheTruePhaseStaysThere() throws {
    let stft = try STFT(nFFT: 256, hop: 64)
    let x = randomSignal(2000, seed: 4)
    let spectrum = try stft(x)
    let result = try stft.griffinLim(
      magnitude: spectrum.magnitude, length: 2000, iterations: 2,
      initialPhase: .given(spectrum.phase))
    #expect(result.spectralConvergence.allSatisfy { $0 < 1e-5 })
    expectClose(result.signal, x, tolerance: 1e-4)
  }

  // MARK: errors

  @Test(arguments: [
    BadParameter("nFFT 0", .nonPositiveFFTSize(nFFT: 0)) { _ = try STFT(nFFT: 0, hop: 1) },
    BadParameter("nFFT -8", .nonPositiveFFTSize(nFFT: -8)) { _ = try STFT(nFFT: -8, hop: 1) },
    BadParameter("hop 0", .nonPositiveHop(hop: 0)) { _ = try STFT(nFFT: 512, hop: 0) },
    BadParameter("hop -3", .nonPositiveHop(hop: -3)) { _ = try STFT(nFFT: 512, hop: -3) },
    BadParameter("hop > nFFT", .hopLongerThanFFT(hop: 300, nFFT: 256)) {
      _ = try STFT(nFFT: 256, hop: 300)
    },
    BadParameter("window 255", .windowLengthMismatch(windowLength: 255, nFFT: 256)) {
      _ = try STFT(nFFT: 256, hop: 64, window: hannWindow(length: 255))
    },
    BadParameter("short signal", .signalTooShort(length: 128, padding: 128, nFFT: 256)) {
      _ = try STFT(nFFT: 256, hop: 64)([Float](repeating: 0, count: 128))
    },
    BadParameter("bins", .binCountMismatch(bins: 10, nFFT: 256)) {
      _ = try STFT(nFFT: 256, hop: 64).inverse(Spectrogram(zerosWithBins: 10, frames: 4))
    },
    BadParameter(
      "hop = nFFT", .windowEnvelopeVanishes(sample: 128, envelope: 0, hop: 256, nFFT: 256)
    ) {
      _ = try STFT(nFFT: 256, hop: 256).inverse(Spectrogram(zerosWithBins: 129, frames: 4))
    },
    BadParameter("radix-2 of 100", .notAPowerOfTwo(count: 100)) {
      _ = try fftRadix2([Float](repeating: 0, count: 100))
    },
    BadParameter("storage", .storageMismatch(what: "imag", count: 5, bins: 2, frames: 3)) {
      _ = try Spectrogram(real: [0, 0, 0, 0, 0, 0], imag: [0, 0, 0, 0, 0], bins: 2, frames: 3)
    },
  ])
  fileprivate func badParameterGivesItsError(_ bad: BadParameter) {
    do {
      try bad.run()
      Issue.record("\(bad.name): no error, expected \(bad.expected)")
    } catch {
      #expect(error as? SpectralError == bad.expected, "\(bad.name)")
      // The message names the values it complains about.
      for value in bad.values {
        #expect(String(describing: error).contains(value), "\(error) should name \(value)")
      }
    }
  }
}

/// A call that must fail, and the error it must give.
fileprivate struct BadParameter: Sendable, CustomTestStringConvertible {
  let name: String
  let expected: SpectralError
  let run: @Sendable () throws -> Void
  var testDescription: String { name }

  init(_ name: String, _ expected: SpectralError, run: @escaping @Sendable () throws -> Void) {
    self.name = name
    self.expected = expected
    self.run = run
  }

  /// The integers the expected error carries, which its message must show.
  var values: [String] {
    guard let payload = Mirror(reflecting: expected).children.first?.value else { return [] }
    if let single = payload as? Int { return [String(single)] }
    return Mirror(reflecting: payload).children.compactMap { $0.value as? Int }.map(String.init)
  }
}
