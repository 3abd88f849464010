import Audio
import Foundation
import Testing

@testable import Evaluation

/// The fixture noise of `Tools/stoi-reference.py`: a 32-bit linear congruential generator,
/// `state ← (1664525 state + 1013904223) mod 2^32` from `state = seed`, each value
/// `Float(state / 2^32 · 2 - 1)`, uniform on [-1, 1); the same bits as the script's.
private func lcgNoise(count: Int, seed: UInt32) -> [Float] {
  var state = seed
  return (0..<count).map { _ in
    state = 1_664_525 &* state &+ 1_013_904_223
    return Float(Double(state) / 4_294_967_296 * 2 - 1)
  }
}

/// A fixture of the script: the first `count` samples of a clip, and the same plus `gain`
/// times the noise, in Float as the script computes them in float32.
private func fixture(_ clip: String, count: Int, gain: Float, seed: UInt32) throws
  -> (clean: [Float], noisy: [Float])
{
  let clean = Array(try AudioFile.read("data/" + clip).samples.prefix(count))
  let noise = lcgNoise(count: count, seed: seed)
  return (clean, zip(clean, noise).map { $0 + gain * $1 })
}

/// One line of `python3 Tools/stoi-reference.py`'s table, with the fixture it names.
struct STOIReference: Sendable, CustomTestStringConvertible {
  let name: String, clip: String, count: Int, rate: Int, gain: Float, seed: UInt32
  /// What pystoi 0.4.1 printed.
  let pystoi: Double
  var testDescription: String { name }
}

@Suite("Chapter 8: STOI, the short-time objective intelligibility")
struct Chapter08STOITests {
  // The numbers below were printed by `python3 Tools/stoi-reference.py` with pystoi 0.4.1,
  // numpy 2.4.6 and scipy 1.17.1 (the script's table has the fixtures' SNRs too).

  /// At 10 kHz neither side resamples: what remains is the same arithmetic in another order,
  /// and our FFT in Float where numpy's is in Double.
  static let unresampled = [
    STOIReference(
      name: "speech-10k-g0.1", clip: "speech.wav", count: 20_480, rate: 10_000, gain: 0.1,
      seed: 7, pystoi: 0.85214839),
    STOIReference(
      name: "slt-10k-g0.3", clip: "real-slt.wav", count: 20_480, rate: 10_000, gain: 0.3,
      seed: 8, pystoi: 0.70616070),
    STOIReference(
      name: "awb-10k-g0.03", clip: "real-awb.wav", count: 20_480, rate: 10_000, gain: 0.03,
      seed: 9, pystoi: 0.81600443),
  ]

  @Test(.tags(.stoiCorrelation, .stoiEnvelopes), arguments: unresampled)
  func stoiAgreesWithPystoiAtTenKilohertz(_ reference: STOIReference) throws {
    let (clean, noisy) = try fixture(
      reference.clip, count: reference.count, gain: reference.gain, seed: reference.seed)
    let observed = try stoi(clean: clean, processed: noisy, sampleRate: reference.rate)
    // Measured: within 7e-9 of the printed values, which are rounded to 8 decimals (±5e-9);
    // the rest is our Float FFT. 1e-7 leaves room for another FFTW build's rounding.
    expectClose(observed, reference.pystoi, tolerance: 1e-7, reference.name)
  }

  /// At 16 kHz each side resamples to 10 kHz with its own filter: pystoi's (Octave's
  /// `resample`) is flat to 4.75 kHz and -6 dB at 5 kHz; ours (`Resampler`) is flat to
  /// 4.18 kHz, -6.5 dB at 4.6 kHz and -90 dB at 5 kHz. Over STOI's bands (134 Hz to 4.28 kHz)
  /// the two differ by at most 0.06 dB, at the top edge of the top band, and the signals
  /// differ beyond it; through the envelopes' normalisation that moves the scores by little.
  static let resampled = [
    STOIReference(
      name: "speech-16k-g0.03", clip: "speech.wav", count: 32_640, rate: 16_000, gain: 0.03,
      seed: 1, pystoi: 0.97936257),
    STOIReference(
      name: "speech-16k-g0.1", clip: "speech.wav", count: 32_640, rate: 16_000, gain: 0.1,
      seed: 2, pystoi: 0.90171626),
    STOIReference(
      name: "speech-16k-g0.3", clip: "speech.wav", count: 32_640, rate: 16_000, gain: 0.3,
      seed: 3, pystoi: 0.69835320),
    STOIReference(
      name: "slt-16k-g0.03", clip: "real-slt.wav", count: 32_640, rate: 16_000, gain: 0.03,
      seed: 4, pystoi: 0.98706035),
    STOIReference(
      name: "slt-16k-g0.1", clip: "real-slt.wav", count: 32_640, rate: 16_000, gain: 0.1,
      seed: 5, pystoi: 0.91268156),
    STOIReference(
      name: "slt-16k-g0.3", clip: "real-slt.wav", count: 32_640, rate: 16_000, gain: 0.3,
      seed: 6, pystoi: 0.75013701),
  ]

  @Test(.tags(.stoiCorrelation, .stoiEnvelopes), arguments: resampled)
  func stoiAgreesWithPystoiAfterResampling(_ reference: STOIReference) throws {
    let (clean, noisy) = try fixture(
      reference.clip, count: reference.count, gain: reference.gain, seed: reference.seed)
    let observed = try stoi(clean: clean, processed: noisy, sampleRate: reference.rate)
    // Measured: at most 7.0e-6 apart (slt, gain 0.3), 1.5e-8 for speech at gain 0.03; the
    // tolerance is about three times the largest difference.
    expectClose(observed, reference.pystoi, tolerance: 2e-5, reference.name)
  }

  /// The bins of the 15 bands at 10 kHz, 512 points: the non-zero columns of each row of
  /// pystoi's `utils.thirdoct(10000, 512, 15, 150)` (the MATLAB code's band matrix).
  @Test func thirdOctaveBandsAreTheReferenceBandMatrix() {
    let expected = [
      7..<9, 9..<11, 11..<14, 14..<17, 17..<22, 22..<27, 27..<34, 34..<43, 43..<55, 55..<69,
      69..<87, 87..<109, 109..<138, 138..<174, 174..<219,
    ]
    #expect(
      thirdOctaveBands(sampleRate: 10_000, nFFT: 512, count: 15, lowestCentre: 150) == expected)
  }

  @Test(.tags(.stoiCorrelation, .stoiEnvelopes)) func cleanSpeechAgainstItselfScoresOne() throws {
    let clean = Array(try AudioFile.read("data/real-awb.wav").samples.prefix(32_640))
    let score = try stoi(clean: clean, processed: clean, sampleRate: 16_000)
    // Every correlation is of a vector with itself: 1 up to the epsilons in the divisions.
    expectClose(score, 1, tolerance: 1e-9, "STOI(clean, clean)")
  }

  @Test(.tags(.stoiCorrelation, .stoiEnvelopes)) func stoiIgnoresTheProcessedLevel() throws {
    // Each segment's processed envelope is first scaled to the clean norm, so a gain on the
    // processed signal changes nothing (the clipping acts after that scaling).
    let (clean, noisy) = try fixture("real-slt.wav", count: 32_640, gain: 0.1, seed: 5)
    let loud = try stoi(clean: clean, processed: noisy, sampleRate: 16_000)
    let quiet = try stoi(clean: clean, processed: noisy.map { $0 * 0.25 }, sampleRate: 16_000)
    expectClose(quiet, loud, tolerance: 1e-9, "STOI at a quarter of the level")
  }

  @Test(.tags(.stoiCorrelation, .stoiEnvelopes)) func moreNoiseGivesLowerSTOI() throws {
    let clean = Array(try AudioFile.read("data/real-slt.wav").samples.prefix(32_640))
    let noise = whiteNoise(count: clean.count, seed: 11)
    let scores = try [20.0, 10, 5, 0, -5].map { snrDB in
      try stoi(clean: clean, processed: mix(clean, noise, snrDB: snrDB), sampleRate: 16_000)
    }
    for (higher, lower) in zip(scores, scores.dropFirst()) {
      #expect(lower < higher, "STOI by SNR 20, 10, 5, 0, -5 dB: \(scores)")
    }
  }

  @Test func stoiRefusesWhatItCannotScore() {
    let tone = sine(frequency: 440, sampleRate: 16_000, count: 16_000, amplitude: 0.5)
    #expect(throws: EvaluationError.self) {
      try stoi(clean: tone, processed: Array(tone.prefix(15_999)), sampleRate: 16_000)
    }
    #expect(throws: EvaluationError.self) {
      try stoi(clean: [Float](repeating: 0, count: 16_000), processed: tone, sampleRate: 16_000)
    }
    // 0.3 s is 23 frames of 12.8 ms at 10 kHz: fewer than one 30-frame segment.
    let short = Array(tone.prefix(4_800))
    #expect(throws: EvaluationError.self) {
      try stoi(clean: short, processed: short, sampleRate: 16_000)
    }
  }
}
