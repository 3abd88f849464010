// Chapter 2: the spectrogram. The STFT and its inverse on a minute of audio, and the DFT
// three ways at the book's frame length.
import ChapterSupport
import Foundation
import Spectral

/// STFT + inverse STFT of 60 s at 16 kHz (nFFT 512, hop 128) as × real time; the DFT
/// definition, the radix-2 recursion and FFTW at N = 512, each as a ratio to the definition.
func chapter02Benchmarks() throws -> [BenchRow] {
  let sampleRate = 16_000
  let seconds = 60.0
  // A deterministic test signal: two tones and a slow chirp (the content does not change
  // the FFT's work, only its length does).
  let signal = (0..<Int(seconds) * sampleRate).map { i -> Float in
    let t = Double(i) / Double(sampleRate)
    let tone = 0.3 * sin(2 * Double.pi * 220 * t)
    let chirp = 0.2 * sin(2 * Double.pi * (300 + 20 * t) * t)
    return Float(tone + chirp)
  }
  let stft = try STFT(nFFT: 512, hop: 128)
  var spectrum = try stft(signal)
  let forward = try medianSeconds(repeats: 7) { spectrum = try stft(signal) }
  let roundTrip = try medianSeconds(repeats: 7) {
    _ = try stft.inverse(stft(signal), length: signal.count)
  }
  let size = "60 s at 16 kHz, \(spectrum.bins)×\(spectrum.frames)"

  let n = 512
  let frame = Array(signal[0..<n])
  let fft = try RealFFT(size: n)
  let batch = 1000  // one FFTW call is ~1 µs: time a thousand so the clock resolves them
  let definition = medianSeconds(repeats: 15) { _ = dftDefinition(frame) }
  let radix2 = try medianSeconds(repeats: 15) { _ = try fftRadix2(frame) }
  let fftw =
    medianSeconds(repeats: 15) { for _ in 0..<batch { _ = fft.forward(frame) } }
    / Double(batch)
  func perSecond(_ t: Double) -> String { "\(fixed(1 / t, 0)) transforms/s" }
  func faster(_ t: Double) -> String { "\(fixed(definition / t, 0))× faster than the definition" }

  return [
    BenchRow(
      what: "STFT (nFFT 512, hop 128)", size: size, seconds: forward,
      rate: "\(fixed(seconds / forward, 0))× real time"),
    BenchRow(
      what: "STFT + inverse STFT", size: size, seconds: roundTrip,
      rate: "\(fixed(seconds / roundTrip, 0))× real time"),
    BenchRow(
      what: "DFT definition (Double)", size: "N = \(n)", seconds: definition,
      rate: perSecond(definition), ofReference: "reference"),
    BenchRow(
      what: "radix-2 FFT (Swift, recursive)", size: "N = \(n)", seconds: radix2,
      rate: perSecond(radix2), ofReference: faster(radix2)),
    BenchRow(
      what: "FFTW r2c (FFTW_ESTIMATE)", size: "N = \(n)", seconds: fftw, rate: perSecond(fftw),
      ofReference: faster(fftw)),
  ]
}
