import Audio
import Foundation
import Prior
import Spectral
import Testing

/// A short voiced signal with a little seeded white noise: harmonics, formants and a noise
/// floor, like the book's clip, in 4 096 samples (33 frames of 256 bins with the canonical STFT).
private func speechLikeClip(count: Int = 4_096) -> [Float] {
  let voiced = voicedSignal(sampleRate: 16_000, count: count, amplitude: 0.5)
  let noise = whiteNoise(count: count, rms: 0.01, seed: 11)
  return zip(voiced, noise).map { $0 + $1 }
}

@Suite("Chapter 6: prior fit")
struct Chapter06PriorTests {
  // MARK: target domains

  @Test(arguments: TargetDomain.compared)
  func reconstructingTheExactTargetGivesTheRecordingBack(domain: TargetDomain) throws {
    // The recording's own scaled magnitude, put back with its own phase and Nyquist row, is
    // its STFT again: the inverse must return the samples themselves.
    let clip = speechLikeClip()
    let target = try FitTarget(noisy: clip, domain: domain)
    #expect(target.rows == 256 && target.frames == 33)
    #expect(target.image.min()! >= 0 && target.image.max()! <= 1)
    let direct = try target.reconstruct(target.image, .direct)
    expectClose(direct, clip, tolerance: 1e-4, "direct reconstruction, \(domain)")
    let gained = try target.reconstruct(target.image, .wienerGain(floor: 0.1))
    expectClose(gained, clip, tolerance: 1e-4, "Wiener-gain reconstruction, \(domain)")
  }

  @Test func powerLawScalingIsTheClosedFormAndItsInverse() throws {
    // (|X| / 16)^0.5 for |X| = 0, 1, 4, 16: 0, 1/4, 1/2, 1; and back.
    let scaling = try PowerLawScaling(fitting: [0, 1, 4, 16], exponent: 0.5)
    expectClose(scaling.scaled([0, 1, 4, 16]), [0, 0.25, 0.5, 1], tolerance: 1e-7)
    expectClose(scaling.magnitude(fromScaled: [0, 0.25, 0.5, 1]), [0, 1, 4, 16], tolerance: 1e-5)
    // An undershooting image value counts as silence, not as a negative magnitude.
    expectClose(scaling.magnitude(fromScaled: [-0.2]), [0], tolerance: 0)
  }

  @Test func logDomainIsTheSeedsMinMaxOfLog1p() throws {
    // Bins 0…255 of |X|, log1p, min–max: recomputed here from the spectrogram directly.
    let clip = speechLikeClip()
    let target = try FitTarget(noisy: clip, domain: .log1p)
    let magnitude = try STFT(nFFT: 512, hop: 128)(clip).magnitude.prefix(256 * 33)
    let logs = magnitude.map { Foundation.log1p(Double($0)) }
    let (low, high) = (logs.min()!, logs.max()!)
    expectClose(target.image, logs.map { Float(($0 - low) / (high - low)) }, tolerance: 1e-6)
  }

  // MARK: the Wiener-style gain

  @Test func wienerGainEqualsTheClosedFormOnATwoByTwoExample() {
    // |Y| = [[3, 4], [1, 2]], Ŝ = [[2, 4], [0, 1]] (rows are bins, columns frames):
    // residuals max(|Y|² - Ŝ², 0) = [[5, 0], [1, 3]], so N̂² = [2.5, 2] (mean per bin) and
    // G = [[4/6.5, 16/18.5], [0 → floor 0.1, 1/3]].
    let noisyPower: [Float] = [9, 16, 1, 4]
    let speechPower: [Float] = [4, 16, 0, 1]
    let noise = residualNoisePower(noisyPower: noisyPower, speechPower: speechPower, frames: 2)
    expectClose(noise, [2.5, 2], tolerance: 1e-7, "mean residual")
    let median = residualNoisePower(
      noisyPower: [9, 16, 1, 4, 7, 8], speechPower: [4, 16, 0, 1, 0, 9], frames: 3,
      estimate: .medianResidual)
    expectClose(median, [1, 3], tolerance: 1e-7, "median of [5, 0, 1] and [3, 7, 0]")
    let gain = wienerGain(speechPower: speechPower, noisePower: noise, floor: 0.1)
    expectClose(gain, [4 / 6.5, 16 / 18.5, 0.1, 1.0 / 3], tolerance: 1e-6, "gain")
  }

  @Test(arguments: [Float(0), 0.1, 0.5])
  func wienerGainLiesBetweenTheFloorAndOne(floor: Float) {
    var generator = SeededGenerator(seed: 3)
    let speechPower = (0..<600).map { i in
      i % 7 == 0 ? 0 : Float(pow(10, 4 * generator.nextUniform() - 3))
    }
    let noisePower = (0..<6).map { f in f == 2 ? 0 : Float(generator.nextUniform()) }
    let gain = wienerGain(speechPower: speechPower, noisePower: noisePower, floor: floor)
    #expect(gain.count == speechPower.count)
    #expect(gain.allSatisfy { $0 >= floor && $0 <= 1 }, "gains \(gain.min()!) … \(gain.max()!)")
    // A bin with no estimated noise keeps all of its signal.
    #expect(gain[200..<300].allSatisfy { $0 == 1 })
  }

  @Test func zeroImageWithGainFloorAttenuatesByTheFloor() throws {
    // Ŝ = 0 below Nyquist: all noise, the gain sits on its floor, so the output is the
    // recording with bins 0…255 scaled by the floor and the Nyquist bin (G = 1) kept.
    let clip = speechLikeClip()
    let target = try FitTarget(noisy: clip, domain: .linear)
    let zero = [Float](repeating: 0, count: target.image.count)
    let output = try target.reconstruct(zero, .wienerGain(floor: 0.25))
    let spectrum = target.spectrogram
    var real = spectrum.real
    var imag = spectrum.imag
    for i in 0..<(256 * 33) { (real[i], imag[i]) = (0.25 * real[i], 0.25 * imag[i]) }
    let expected = try target.stft.inverse(
      Spectrogram(real: real, imag: imag, bins: 257, frames: 33), length: clip.count)
    expectClose(output, expected, tolerance: 1e-5, "floor-scaled recording")
  }

  // MARK: scores

  @Test func scoresOfAQuieterCopyAreTwentyDecibelsAndUnboundedSISDR() throws {
    // estimate = 0.9 · clean: error energy 0.01 · Σ clean², SNR = 20 dB; SI-SDR sees a
    // perfect copy up to scale.
    let clean = speechLikeClip(count: 1_000)
    let score = try FitScore(reference: clean, estimate: clean.map { 0.9 * $0 })
    expectClose(score.snr, 20, tolerance: 1e-4, "SNR (dB)")
    #expect(score.siSDR > 100)
  }
}
