import Audio
import Foundation
import Random
import Testing

@Suite("Chapter 1: audio")
struct Chapter01AudioTests {
  // MARK: Reading and writing

  /// Random samples on the grid of each format, so that a correct round trip is exact.
  static func samplesOnGrid(of format: AudioFile.Format, count: Int) -> [Float] {
    var generator = Xoshiro256(seed: 7)
    let bits: Int? =
      switch format {
      case .pcm8: 8
      case .pcm16, .flac: 16
      // A Float carries 24 significant bits: 32-bit files keep what a Float can hold.
      case .pcm24, .pcm32: 24
      case .float32, .float64, .ogg: nil
      }
    return (0..<count).map { _ in
      let u = Float(generator.uniform() * 2 - 1)
      guard let bits else { return u }
      let scale = Float(1 << (bits - 1))
      return (u * scale).rounded(.down) / scale
    }
  }

  @Test(arguments: [
    AudioFile.Format.pcm8, .pcm16, .pcm24, .pcm32, .float32, .float64, .flac,
  ])
  func losslessFormatsRoundTripExactly(format: AudioFile.Format) throws {
    let original = AudioBuffer(
      samples: Self.samplesOnGrid(of: format, count: 2 * 1000), channels: 2, sampleRate: 44100)
    let read = try withTemporaryDirectory { folder in
      let path = folder + "/round-trip.\(format == .flac ? "flac" : "wav")"
      try AudioFile.write(original, to: path, format: format)
      return try AudioFile.read(path)
    }
    #expect(read.channels == 2 && read.sampleRate == 44100 && read.frameCount == 1000)
    expectClose(read.samples, original.samples, tolerance: 0, "\(format) samples")
  }

  @Test func readerScalesIntegersByTheirFullScale() throws {
    // 16-bit little-endian: 0, 16384, -32768, 32767, written out byte by byte.
    let pcm16 = wavBytes(
      formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16,
      data: [0x00, 0x00, 0x00, 0x40, 0x00, 0x80, 0xFF, 0x7F])
    // 24-bit: 2^22 and -1; 8-bit (unsigned, offset 128): 192 and 0.
    let pcm24 = wavBytes(
      formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 24,
      data: [0x00, 0x00, 0x40, 0xFF, 0xFF, 0xFF])
    let pcm8 = wavBytes(
      formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 8, data: [192, 0])
    let cases: [([UInt8], [Float])] = [
      (pcm16, [0, 0.5, -1, 32767 / 32768]), (pcm24, [0.5, -1 / 8_388_608]), (pcm8, [0.5, -1]),
    ]
    try withTemporaryDirectory { folder in
      for (index, (bytes, expected)) in cases.enumerated() {
        let path = folder + "/hand-made-\(index).wav"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let read = try AudioFile.read(path)
        #expect(read.sampleRate == 8000 && read.channels == 1)
        expectClose(read.samples, expected, tolerance: 0, "hand-made WAV \(index)")
      }
    }
  }

  @Test func pcm16WriterRoundsAndClips() throws {
    let buffer = AudioBuffer(mono: [0.5, -1, 1, -0.25, 0.3, 2, -3], sampleRate: 16000)
    let data = try withTemporaryDirectory { folder in
      try AudioFile.write(buffer, to: folder + "/levels.wav", format: .pcm16)
      return try Data(contentsOf: URL(fileURLWithPath: folder + "/levels.wav"))
    }
    let chunk = try #require(wavDataChunk([UInt8](data)))
    let values = stride(from: 0, to: chunk.count, by: 2).map {
      Int16(bitPattern: UInt16(chunk[$0]) | UInt16(chunk[$0 + 1]) << 8)
    }
    // round(x · 32768) within [-32768, 32767]; 0.3 · 32768 = 9830.4.
    #expect(values == [16384, -32768, 32767, -8192, 9830, 32767, -32768])
  }

  @Test func readsOggVorbisApproximately() throws {
    let left = sine(frequency: 440, sampleRate: 44100, count: 44100, amplitude: 0.5)
    let right = sine(frequency: 660, sampleRate: 44100, count: 44100, amplitude: 0.25)
    let interleaved = zip(left, right).flatMap { [$0, $1] }
    let original = AudioBuffer(samples: interleaved, channels: 2, sampleRate: 44100)
    let read = try withTemporaryDirectory { folder in
      try AudioFile.write(original, to: folder + "/tones.ogg", format: .ogg)
      return try AudioFile.read(folder + "/tones.ogg")
    }
    #expect(read.channels == 2 && read.sampleRate == 44100)
    #expect(abs(read.frameCount - 44100) <= 64, "Vorbis kept \(read.frameCount) frames")
    let frames = min(read.frameCount, 44100)
    for (c, (frequency, amplitude)) in [(440.0, 0.5), (660.0, 0.25)].enumerated() {
      let decoded = interior(Array(read.channel(c).prefix(frames)))
      let fitted = fittedAmplitude(decoded, frequency: frequency, sampleRate: 44100)
      expectClose(fitted, amplitude, tolerance: 0.01 * amplitude, "channel \(c) amplitude")
    }
  }

  @Test func writingReplacesTheFileAndLeavesNoTemporaryFiles() throws {
    try withTemporaryDirectory { folder in
      let path = folder + "/out.wav"
      try AudioFile.write(AudioBuffer(mono: [0.25, 0.5], sampleRate: 8000), to: path)
      try AudioFile.write(AudioBuffer(mono: [-0.5], sampleRate: 16000), to: path)
      let read = try AudioFile.read(path)
      #expect(read.samples == [-0.5] && read.sampleRate == 16000)
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.wav"])
    }
  }

  @Test func committedSpeechClipIsAsDocumented() throws {
    for name in ["speech.wav", "speech-2.wav", "speech-3.wav"] {
      let path = packageRoot.appendingPathComponent("data/\(name)").path
      let speech = try AudioFile.read(path)
      #expect(speech.sampleRate == 16000 && speech.channels == 1, "\(name)")
      #expect(speech.frameCount >= 32640, "\(name) is shorter than 2.04 s")
    }
    // The canonical 2.04 s is speech throughout: no 0.25 s stretch below -40 dBFS.
    let canonical = try AudioFile.read(packageRoot.appendingPathComponent("data/speech.wav").path)
    for start in stride(from: 0, to: 32640 - 4000, by: 4000) {
      let level = decibels(Double(rms(Array(canonical.samples[start..<(start + 4000)]))))
      #expect(level > -40, "0.25 s from sample \(start) is at \(level) dBFS")
    }
  }

  // MARK: Errors

  @Test func readErrorsNameThePathAndTheCause() throws {
    try withTemporaryDirectory { folder in
      let empty = folder + "/empty.wav"
      try Data().write(to: URL(fileURLWithPath: empty))
      let text = folder + "/notes.wav"
      try Data("not a sound\n".utf8).write(to: URL(fileURLWithPath: text))
      let cases: [(String, String)] = [
        (folder + "/missing.wav", "no such file"), (folder, "is a directory"),
        (empty, "empty"), (text, "not an audio file"),
      ]
      for (path, cause) in cases {
        #expect {
          _ = try AudioFile.read(path)
        } throws: { error in
          let message = "\(error)"
          return error is AudioError && message.contains(path) && message.contains(cause)
        }
      }
    }
  }

  @Test func writeErrorsNameThePathAndTheCause() throws {
    try withTemporaryDirectory { folder in
      let file = folder + "/plain.txt"
      try Data("x".utf8).write(to: URL(fileURLWithPath: file))
      let good = AudioBuffer(mono: [0, 0.5], sampleRate: 16000)
      let cases: [(AudioBuffer, String, String)] = [
        (good, folder + "/no/such/folder/out.wav", "does not exist"),
        (good, file + "/out.wav", "is a file"),
        (good, folder, "is a directory"),
        (AudioBuffer(mono: [0, .nan], sampleRate: 16000), folder + "/nan.wav", "not a finite"),
      ]
      for (buffer, path, cause) in cases {
        #expect {
          try AudioFile.write(buffer, to: path)
        } throws: { error in
          let message = "\(error)"
          return error is AudioError && message.contains(path) && message.contains(cause)
        }
      }
    }
  }

  // MARK: Downmix

  @Test(.tags(.downmix)) func monoAveragesTheChannels() {
    let stereo = AudioBuffer(
      samples: [1, 0, 0.5, -0.5, -1, 1, 0.25, 0.75], channels: 2,
      sampleRate: 8000)
    #expect(stereo.frameCount == 4)
    #expect(stereo.mono().samples == [0.5, 0, 0, 0.5])
    #expect(stereo.mono().sampleRate == 8000 && stereo.mono().channels == 1)
    #expect(stereo.channel(1) == [0, -0.5, 1, 0.75])
    let three = AudioBuffer(samples: [0.3, 0.6, 0.9, -0.3, 0, 0], channels: 3, sampleRate: 8000)
    expectClose(three.mono().samples, [0.6, -0.1], tolerance: 1e-7, "three channels")
  }

  // MARK: Resampling

  @Test(.tags(.windowedSinc)) func resamplerKernelIsAWindowedSinc() {
    let (fc, halfWidth, beta) = (0.2, 40.0, 8.0)
    func h(_ tau: Double) -> Double {
      windowedSinc(at: tau, cutoff: fc, halfWidth: halfWidth, beta: beta)
    }
    expectClose(h(0), 2 * fc, tolerance: 1e-15, "h(0) = 2 fc")
    for k in 1...10 {
      // The sinc's zeros: 2 fc τ a non-zero integer.
      expectClose(h(Double(k) / (2 * fc)), 0, tolerance: 1e-15, "h at zero crossing \(k)")
      expectClose(h(-Double(k) / 3), h(Double(k) / 3), tolerance: 1e-15, "symmetry")
    }
    #expect(h(halfWidth) == 0 && h(-halfWidth - 1) == 0)
    // Between zeros: the sinc times I0(β √(1 - (τ/H)²)) / I0(β), at 2 fc τ = 4.5.
    let x = 4.5 / (2 * fc)
    let window =
      besselI0(beta * (1 - (x / halfWidth) * (x / halfWidth)).squareRoot())
      / besselI0(beta)
    expectClose(
      h(x), 2 * fc * (sin(Double.pi * 4.5) / (Double.pi * 4.5)) * window,
      tolerance: 1e-15, "h(11.25)")
    // Published values of I0 (Abramowitz and Stegun, table 9.8).
    expectClose(besselI0(1), 1.2660658777520082, tolerance: 1e-15, "I0(1)")
    expectClose(besselI0(5), 27.239871823604442, tolerance: 1e-12, "I0(5)")
    expectClose(besselI0(0), 1, tolerance: 0, "I0(0)")
  }

  /// Every pair of common rates: a 1 kHz sine keeps frequency and amplitude (within 0.1 dB),
  /// and the output has ⌈n · out / in⌉ samples.
  @Test(arguments: Resampler.commonRates)
  func resampledSineKeepsItsAmplitude(inputRate: Int) throws {
    let count = inputRate / 10 + 7
    let tone = sine(frequency: 1000, sampleRate: inputRate, count: count, amplitude: 0.5)
    for outputRate in Resampler.commonRates where outputRate != inputRate {
      let resampler = try Resampler(from: inputRate, to: outputRate)
      let output = resampler.resample(tone)
      let expectedCount = Int((Double(count) * Double(outputRate) / Double(inputRate)).rounded(.up))
      #expect(output.count == expectedCount, "\(inputRate) → \(outputRate)")
      let amplitude = fittedAmplitude(interior(output), frequency: 1000, sampleRate: outputRate)
      let errorDB = 20 * log10(amplitude / 0.5)
      #expect(abs(errorDB) < 0.1, "\(inputRate) → \(outputRate): \(errorDB) dB")
    }
  }

  /// The polyphase table gives what the kernel formula gives, tap by tap, for ratios with
  /// one phase (48 → 16), a few (16 → 48) and many (44.1 → 16: 160 phases).
  @Test(
    .tags(.windowedSinc),
    arguments: [(48000, 16000), (16000, 48000), (44100, 16000), (8000, 11025)])
  func polyphaseTableMatchesDirectEvaluation(inputRate: Int, outputRate: Int) throws {
    let resampler = try Resampler(from: inputRate, to: outputRate)
    let signal = chirp(
      from: 100, to: 0.45 * Double(min(inputRate, outputRate)),
      sampleRate: inputRate, count: inputRate / 50)
    expectClose(
      resampler.resample(signal), resampler.resampleDirectly(signal),
      tolerance: 2e-6, "\(inputRate) → \(outputRate)")
  }

  @Test func sineSurvives48To16To48kHz() throws {
    let tone = sine(frequency: 1000, sampleRate: 48000, count: 24000, amplitude: 0.5)
    let down = try Resampler(from: 48000, to: 16000).resample(tone)
    let back = try Resampler(from: 16000, to: 48000).resample(down)
    #expect(down.count == 8000 && back.count == 24000)
    let amplitude = fittedAmplitude(interior(back), frequency: 1000, sampleRate: 48000)
    let errorDB = 20 * log10(amplitude / 0.5)
    #expect(abs(errorDB) < 0.1, "round trip changed the amplitude by \(errorDB) dB")
    // Not only the amplitude: the waveform itself comes back (the filter has no delay).
    expectClose(interior(back), interior(tone), tolerance: 1e-3, "round-trip waveform")
  }

  @Test func toneAboveTheNewNyquistIsRemoved() throws {
    let tone = sine(frequency: 10000, sampleRate: 48000, count: 24000, amplitude: 0.5)
    let down = try Resampler(from: 48000, to: 16000).resample(tone)
    let attenuationDB = decibels(Double(rms(interior(down)) / rms(interior(tone))))
    #expect(attenuationDB < -60, "10 kHz at 16 kHz: only \(attenuationDB) dB")
  }

  /// The response computed from the kernel agrees with tones measured through the resampler.
  @Test(arguments: [500.0, 3000, 6000, 7000, 7500])
  func frequencyResponseMatchesMeasuredTones(frequency: Double) throws {
    let resampler = try Resampler(from: 48000, to: 16000)
    let tone = sine(frequency: frequency, sampleRate: 48000, count: 24000, amplitude: 0.5)
    let output = resampler.resample(tone)
    let measured =
      20
      * log10(
        fittedAmplitude(interior(output), frequency: frequency, sampleRate: 16000) / 0.5)
    let predicted = resampler.frequencyResponse(at: [frequency])[0]
    expectClose(measured, predicted, tolerance: 0.02, "gain at \(frequency) Hz (dB)")
  }

  @Test func resamplerRejectsBadRates() {
    #expect(throws: AudioError.self) { try Resampler(from: 0, to: 16000) }
    #expect(throws: AudioError.self) { try Resampler(from: 44101, to: 48000) }
  }

  // MARK: Test signals and noise

  @Test func seededGeneratorsMatchTheReferenceAlgorithms() {
    // The authors' reference algorithms (prng.di.unimi.it), computed independently:
    // SplitMix64 from state 0, and xoshiro256** seeded through SplitMix64 from 42.
    var splitMix = SplitMix64(state: 0)
    #expect(
      [splitMix.next(), splitMix.next(), splitMix.next()]
        == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    var generator = Xoshiro256(seed: 42)
    #expect(
      (0..<4).map { _ in generator.next() }
        == [
          0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
          0xECB8_AD47_03B3_60A1,
        ])
  }

  @Test func noiseIsReproducibleFromItsSeed() {
    #expect(whiteNoise(count: 100, seed: 3) == whiteNoise(count: 100, seed: 3))
    #expect(whiteNoise(count: 100, seed: 3) != whiteNoise(count: 100, seed: 4))
    #expect(pinkNoise(count: 100, seed: 3) == pinkNoise(count: 100, seed: 3))
    #expect(pinkNoise(count: 100, seed: 3) != pinkNoise(count: 100, seed: 4))
  }

  @Test func gaussianNoiseHasTheRequestedMoments() {
    let noise = whiteNoise(count: 100_000, rms: 0.5, seed: 11).map(Double.init)
    let mean = noise.reduce(0, +) / Double(noise.count)
    let variance = noise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(noise.count)
    let fourth = noise.reduce(0) { $0 + pow($1 - mean, 4) } / Double(noise.count)
    // Standard errors for 10⁵ samples: mean 0.0016, variance 0.0011; a Gaussian's kurtosis is 3.
    expectClose(mean, 0, tolerance: 0.007, "mean")
    expectClose(variance, 0.25, tolerance: 0.005, "variance")
    expectClose(fourth / (variance * variance), 3, tolerance: 0.05, "kurtosis")
  }

  /// Pink noise has equal power per octave: its density falls 10 log10(2) = 3.01 dB per
  /// octave. Each octave band must agree with the closed-form spectrum of Voss–McCartney, and
  /// the slope over 4 octaves (fs/256 ... fs/16) with -3.01 dB/octave.
  @Test func pinkNoiseFallsThreeDecibelsPerOctave() {
    let length = 1024
    let spectrum = welchSpectrum(
      pinkNoise(count: 1 << 17, rms: 1, seed: 5), length: length, bins: 64)
    let bands = [4, 8, 16, 32, 64]
    var levels: [Double] = []
    for (low, high) in zip(bands, bands.dropFirst()) {
      let measured = spectrum[low..<high].reduce(0, +) / Double(high - low)
      let expected =
        (low..<high).map {
          vossSpectrum(omega: 2 * Double.pi * Double($0) / Double(length))
        }.reduce(0, +) / Double(high - low)
      expectClose(
        10 * log10(measured), 10 * log10(expected), tolerance: 0.3,
        "band \(low)..<\(high) (dB)")
      levels.append(10 * log10(measured))
    }
    // Least-squares slope of level against octave number.
    let octaves = levels.indices.map(Double.init)
    let meanX = octaves.reduce(0, +) / Double(octaves.count)
    let meanY = levels.reduce(0, +) / Double(levels.count)
    let slope =
      zip(octaves, levels).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
      / octaves.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
    expectClose(slope, -10 * log10(2), tolerance: 0.2, "pink slope (dB/octave)")
    // White noise, by contrast, is flat.
    let white = welchSpectrum(
      whiteNoise(count: 1 << 15, rms: 1, seed: 5), length: length,
      bins: 64)
    let lowBand = white[4..<8].reduce(0, +) / 4
    let highBand = white[32..<64].reduce(0, +) / 32
    expectClose(10 * log10(highBand / lowBand), 0, tolerance: 1, "white tilt (dB)")
  }

  @Test func chirpSweepsFromStartToEnd() {
    // Instantaneous frequency f0 + (f1 - f0) t / T: count zero crossings in 0.1 s windows.
    let signal = chirp(from: 200, to: 2200, sampleRate: 16000, count: 16000)
    for (start, expectedHz) in [(0, 300.0), (8000, 1300), (14400, 2100)] {
      let window = signal[start..<(start + 1600)]
      let crossings = zip(window, window.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
      expectClose(Double(crossings) / 2 / 0.1, expectedHz, tolerance: 15, "Hz near \(start)")
    }
  }

  @Test func voicedSignalRepeatsAtItsPitchPeriod() {
    let voiced = voicedSignal(pitch: 125...125, sampleRate: 16000, count: 8000, amplitude: 0.5)
    expectClose(voiced.map { abs($0) }.max() ?? 0, 0.5, tolerance: 1e-6, "peak")
    // Autocorrelation of the middle: the strongest lag in 60 ... 400 Hz is 16000 / 125 = 128.
    let middle = Array(voiced[2000..<6000])
    func correlation(_ lag: Int) -> Float {
      (0..<(middle.count - lag)).reduce(0) { $0 + middle[$1] * middle[$1 + lag] }
    }
    let best = (40...266).max { correlation($0) < correlation($1) }
    #expect(best == 128)
  }

  // MARK: Mixing and metrics

  @Test(.tags(.noiseGain), arguments: [-5.0, 0, 5, 12.5, 30])
  func mixHitsTheRequestedSNR(snrDB: Double) throws {
    let speech = voicedSignal(sampleRate: 16000, count: 16000)
    let noise = pinkNoise(count: 20000, seed: 9)
    let noisy = try mix(speech, noise, snrDB: snrDB)
    // Measured independently: signal power over the power of what was added.
    var signalPower = 0.0
    var addedPower = 0.0
    for (s, y) in zip(speech, noisy) {
      signalPower += Double(s) * Double(s)
      addedPower += (Double(y) - Double(s)) * (Double(y) - Double(s))
    }
    expectClose(10 * log10(signalPower / addedPower), snrDB, tolerance: 0.01, "SNR (dB)")
  }

  /// Closed forms: with `n` orthogonal to `r`, `snr(r, r + c n) = 10 log10(‖r‖² / (c² ‖n‖²))`,
  /// and `siSDR(r, a r + n) = 10 log10(a² ‖r‖² / ‖n‖²)` for any scale `a`.
  @Test(.tags(.siSdr), arguments: [0.25, 1, 3])
  func snrAndSISDRMatchTheirClosedForms(scale a: Double) throws {
    let reference = sine(frequency: 440, sampleRate: 16000, count: 4000, amplitude: 0.5)
    var noise = whiteNoise(count: 4000, rms: 0.05, seed: 1).map(Double.init)
    // Gram–Schmidt: remove the component of the noise along the reference.
    let r = reference.map(Double.init)
    let projection = zip(noise, r).reduce(0) { $0 + $1.0 * $1.1 } / r.reduce(0) { $0 + $1 * $1 }
    noise = zip(noise, r).map { $0 - projection * $1 }
    let referenceEnergy = r.reduce(0) { $0 + $1 * $1 }
    let noiseEnergy = noise.reduce(0) { $0 + $1 * $1 }

    let added = zip(r, noise).map { Float($0 + 0.7 * $1) }
    expectClose(
      try snr(reference: reference, estimate: added),
      10 * log10(referenceEnergy / (0.49 * noiseEnergy)), tolerance: 1e-3, "SNR (dB)")

    let scaled = zip(r, noise).map { Float(a * $0 + $1) }
    expectClose(
      try siSDR(reference: reference, estimate: scaled),
      10 * log10(a * a * referenceEnergy / noiseEnergy), tolerance: 1e-3, "SI-SDR (dB)")
    // A pure change of level costs SNR but not SI-SDR.
    let louder = reference.map { Float(a) * $0 }
    #expect(try siSDR(reference: reference, estimate: louder) > 60)
    if a != 1 {
      expectClose(
        try snr(reference: reference, estimate: louder), -20 * log10(abs(1 - a)),
        tolerance: 1e-4, "SNR of a level change (dB)")
    }
  }

  /// Peaks of 2 and 0.5 at -6.02 dBFS (one half): the gain is 1/4 for both; quiet signals keep
  /// their level, and silence needs no gain.
  @Test func headroomGainScalesTheLoudestPeakAndNeverAmplifies() {
    #expect(abs(headroomGain(for: [[0, -2, 1], [0.5]], peakDBFS: -6.0206) - 0.25) < 1e-5)
    #expect(headroomGain(for: [[0.1, -0.2]], peakDBFS: -1) == 1)
    #expect(headroomGain(for: [[0, 0]]) == 1)
  }

  @Test func metricsAndMixRejectMismatchedSignals() {
    #expect(throws: AudioError.self) { try snr(reference: [1, 2], estimate: [1]) }
    #expect(throws: AudioError.self) { try siSDR(reference: [], estimate: []) }
    #expect(throws: AudioError.self) { try mix([1, 2, 3], [1, 2], snrDB: 0) }
    #expect(throws: AudioError.self) { try mix([1, 2], [0, 0], snrDB: 0) }
  }
}
