import Audio
import Foundation
import NN
import Prior
import Random
import Spectral
import Suppression
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

  @Test(.tags(.reconstruct), arguments: TargetDomain.compared)
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

  @Test(.tags(.powerLawInverse)) func powerLawScalingIsTheClosedFormAndItsInverse() throws {
    // (|X| / 16)^0.5 for |X| = 0, 1, 4, 16: 0, 1/4, 1/2, 1; and back.
    let scaling = try PowerLawScaling(fitting: [0, 1, 4, 16], exponent: 0.5)
    expectClose(scaling.scaled([0, 1, 4, 16]), [0, 0.25, 0.5, 1], tolerance: 1e-7)
    expectClose(scaling.magnitude(fromScaled: [0, 0.25, 0.5, 1]), [0, 1, 4, 16], tolerance: 1e-5)
    // An undershooting image value counts as silence, not as a negative magnitude.
    expectClose(scaling.magnitude(fromScaled: [-0.2]), [0], tolerance: 0)
  }

  @Test(.tags(.logMagnitudeScaling)) func logDomainIsTheSeedsMinMaxOfLog1p() throws {
    // Bins 0…255 of |X|, log1p, min–max: recomputed here from the spectrogram directly.
    let clip = speechLikeClip()
    let target = try FitTarget(noisy: clip, domain: .log1p)
    let magnitude = try STFT(nFFT: 512, hop: 128)(clip).magnitude.prefix(256 * 33)
    let logs = magnitude.map { Foundation.log1p(Double($0)) }
    let (low, high) = (logs.min()!, logs.max()!)
    expectClose(target.image, logs.map { Float(($0 - low) / (high - low)) }, tolerance: 1e-6)
  }

  // MARK: the Wiener-style gain

  @Test(.tags(.wienerGain)) func wienerGainEqualsTheClosedFormOnATwoByTwoExample() {
    // |Y| = [[3, 4], [1, 2]], Ŝ = [[2, 4], [0, 1]] (rows are bins, columns frames):
    // residuals max(|Y|² - Ŝ², 0) = [[5, 0], [1, 3]], so N̂² = [2.5, 2] (mean per bin) and
    // G = [[4/6.5, 16/18.5], [0 → floor 0.1, 1/3]].
    let noisyPower: [Float] = [9, 16, 1, 4]
    let speechPower: [Float] = [4, 16, 0, 1]
    let noise = residualNoisePower(noisyPower: noisyPower, speechPower: speechPower, frames: 2)
    expectClose(noise, [2.5, 2], tolerance: 1e-7, "mean residual")
    let median = residualNoisePower(
      noisyPower: [9, 16, 1, 4, 7, 8], speechPower: [4, 16, 0, 1, 0, 9], frames: 3,
      median: true)
    expectClose(median, [1, 3], tolerance: 1e-7, "median of [5, 0, 1] and [3, 7, 0]")
    let gain = wienerGain(speechPower: speechPower, noisePower: noise, floor: 0.1)
    expectClose(gain, [4 / 6.5, 16 / 18.5, 0.1, 1.0 / 3], tolerance: 1e-6, "gain")
  }

  @Test(.tags(.wienerGain), arguments: [Float(0), 0.1, 0.5])
  func wienerGainLiesBetweenTheFloorAndOne(floor: Float) {
    var generator = Xoshiro256(seed: 3)
    let speechPower = (0..<600).map { i in
      i % 7 == 0 ? 0 : Float(pow(10, 4 * generator.uniform() - 3))
    }
    let noisePower = (0..<6).map { f in f == 2 ? 0 : Float(generator.uniform()) }
    let gain = wienerGain(speechPower: speechPower, noisePower: noisePower, floor: floor)
    #expect(gain.count == speechPower.count)
    #expect(gain.allSatisfy { $0 >= floor && $0 <= 1 }, "gains \(gain.min()!) … \(gain.max()!)")
    // A bin with no estimated noise keeps all of its signal.
    #expect(gain[200..<300].allSatisfy { $0 == 1 })
  }

  @Test(.tags(.reconstruct)) func zeroImageWithGainFloorAttenuatesByTheFloor() throws {
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

  // MARK: the fit

  /// A 32 × 32 fit: 496 samples with nFFT 64, hop 16 give 32 frames of 32 bins below Nyquist,
  /// fitted by the DCGAN schedule for 32 × 32 (64 → 32 → 16 channels).
  private func smallFit(iterations: Int, snapshots: [Int] = []) -> PriorFit {
    var fit = PriorFit()
    fit.iterations = iterations
    fit.seed = 5
    fit.generator = try! GeneratorConfiguration(height: 32, width: 32)
    fit.snapshotIterations = snapshots
    return fit
  }

  private func smallTarget(domain: TargetDomain = .log1p) throws -> FitTarget {
    try FitTarget(noisy: speechLikeClip(count: 496), domain: domain, stft: STFT(nFFT: 64, hop: 16))
  }

  @Test(.tags(.fitLossBackward), arguments: TargetDomain.compared)
  func shortFitOnASmallTargetLowersTheLoss(domain: TargetDomain) throws {
    let result = try smallFit(iterations: 40).run(target: smallTarget(domain: domain))
    #expect(result.losses.count == 41)
    #expect(result.losses.allSatisfy { $0.isFinite })
    #expect(
      result.losses.last! < 0.5 * result.losses.first!,
      "loss \(result.losses.first!) → \(result.losses.last!)")
  }

  @Test func sameSeedGivesBitIdenticalSnapshots() throws {
    let target = try smallTarget()
    var fit = smallFit(iterations: 20, snapshots: [0, 7, 20])
    fit.inputNoise = 0.05
    let first = try fit.run(target: target)
    let second = try fit.run(target: target)
    #expect(first.snapshots.map(\.iteration) == [0, 7, 20])
    for (a, b) in zip(first.snapshots, second.snapshots) {
      #expect(a.image == b.image, "snapshot at iteration \(a.iteration) differs")
    }
    #expect(first.losses == second.losses)
    // Another seed starts from another network.
    fit.seed = 6
    #expect(try fit.run(target: target).snapshots[0].image != first.snapshots[0].image)
  }

  @Test(.tags(.movingAverage)) func movingAverageIsTheGeometricSum() {
    // Ten steps towards a constant x from a = 0: a = x · (1 - decay^10); from a = x: stays x.
    var average: [Float] = [0, 2]
    for _ in 0..<10 { updateMovingAverage(&average, with: [1, 2], decay: 0.9) }
    expectClose(average, [Float(1 - pow(0.9, 10)), 2], tolerance: 1e-6, "moving average")
  }

  @Test func averageWithDecayZeroIsTheRawOutput() throws {
    // a ← 0 · a + 1 · x: the "average" is each output itself.
    let target = try smallTarget()
    let raw = try smallFit(iterations: 6, snapshots: [3, 6]).run(target: target)
    var averaged = smallFit(iterations: 6, snapshots: [3, 6])
    averaged.averageDecay = 0
    let smoothed = try averaged.run(target: target)
    for (a, b) in zip(raw.snapshots, smoothed.snapshots) {
      expectClose(b.image, a.image, tolerance: 0, "iteration \(a.iteration)")
    }
  }

  @Test func fitScoresEveryIntervalAgainstTheCleanReference() throws {
    // The evaluation at iteration 0 must equal scoring the untrained output by hand.
    let clean = voicedSignal(sampleRate: 16_000, count: 496, amplitude: 0.5)
    let target = try smallTarget()
    var fit = smallFit(iterations: 10, snapshots: [0])
    fit.evaluationInterval = 5
    let result = try fit.run(target: target, clean: clean)
    #expect(result.evaluations.map(\.iteration) == [0, 5, 10])
    let byHand = try FitScore(
      reference: clean, estimate: target.reconstruct(result.snapshots[0].image, .wienerGain()))
    expectClose(result.evaluations[0].scores[.wienerGain()]!.snr, byHand.snr, tolerance: 1e-9)
    let noisy = try FitScore(reference: clean, estimate: target.noisy)
    expectClose(result.noisyScore!.snr, noisy.snr, tolerance: 1e-9)
  }

  @Test func lossWeightsOfSilentSpeechAndOfNoNoiseAreTheClosedForms() throws {
    let stft = try STFT(nFFT: 64, hop: 16)
    let noise = whiteNoise(count: 496, rms: 0.1, seed: 21)
    // Silent speech in the linear domain: every pixel with any noise is noise-dominated, the
    // clean image is 0, and its loss is the mean of y².
    let silent = [Float](repeating: 0, count: noise.count)
    let target = try FitTarget(noisy: noise, domain: .linear, stft: stft)
    let weights = try target.lossWeights(clean: silent)
    #expect(weights.noiseDominatedShare == 1 && weights.noiseDominatedEnergy == 1)
    let meanSquare = target.image.reduce(0.0) { $0 + Double($1 * $1) } / Double(target.image.count)
    expectClose(weights.cleanImageLoss, meanSquare, tolerance: 1e-9)
    // No noise at all: nothing is noise-dominated and the clean image is the target.
    let speech = speechLikeClip(count: 496)
    let clean = try FitTarget(noisy: speech, domain: .linear, stft: stft).lossWeights(clean: speech)
    #expect(clean.noiseDominatedShare == 0 && clean.noiseDominatedEnergy == 0)
    #expect(clean.cleanImageLoss == 0)
  }

  @Test(.tags(.logMagnitudeScaling)) func logMagnitudeScalingMapsOntoTheUnitIntervalAndBack() throws
  {
    // log1p of [0, e - 1, e² - 1] is [0, 1, 2]: min 0, max 2.
    let e = Float(M_E)
    let scaling = try LogMagnitudeScaling(fitting: [0, e - 1, e * e - 1])
    expectClose([scaling.minimum, scaling.maximum], [0, 2], tolerance: 1e-6)
    expectClose(scaling.scaled([0, e - 1, e * e - 1]), [0, 0.5, 1], tolerance: 1e-6)
    let magnitude = whiteNoise(count: 1000, rms: 10, seed: 2).map { abs($0) }
    let fitted = try LogMagnitudeScaling(fitting: magnitude)
    let y = fitted.scaled(magnitude)
    #expect(y.min() == 0 && y.max() == 1)
    expectClose(
      fitted.magnitude(fromScaled: y), magnitude, tolerance: 1e-5, relative: true, "round trip")
  }

  @Test func logMagnitudeScalingRefusesWhatIsNoMagnitude() {
    #expect(throws: PriorError.nonFiniteValue(what: "magnitude", index: 1)) {
      _ = try LogMagnitudeScaling(fitting: [1, .nan])
    }
    #expect(throws: PriorError.negativeMagnitude(index: 0, value: -1)) {
      _ = try LogMagnitudeScaling(fitting: [-1, 2])
    }
    #expect(throws: PriorError.self) { _ = try LogMagnitudeScaling(fitting: []) }
  }
}
