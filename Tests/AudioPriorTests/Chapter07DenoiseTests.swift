import Audio
import Foundation
import Denoising
import Evaluation
import Prior
import Spectral
import Suppression
import Testing

/// Syllables: voiced bursts of 0.3 s with 0.2 s pauses, at 16 kHz, `count` samples.
func syllables(count: Int, sampleRate: Int = 16_000) -> [Float] {
  var signal: [Float] = []
  var pitch = 110.0
  while signal.count < count {
    signal += voicedSignal(pitch: pitch...(pitch + 30), sampleRate: sampleRate, count: 4_800)
    signal += [Float](repeating: 0, count: 3_200)
    pitch += 15
  }
  return Array(signal.prefix(count))
}

/// An enhancer that keeps the 16 kHz bins in `kept` and zeroes the others.
struct BandEnhancer: Enhancer {
  let kept: Range<Int>
  var name: String { "band \(kept)" }
  func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) -> [Float] {
    let (bins, frames) = (segment.spectrogram.bins, segment.spectrogram.frames)
    return (0..<(bins * frames)).map { kept.contains($0 / frames) ? 1 : 0 }
  }
}

@Suite("Chapter 7: denoise")
struct Chapter07DenoiseTests {
  // MARK: Segments and crossfades

  @Test(.tags(.crossfadeRamp), arguments: [1, 2, 7, 32, 3_968])
  func crossfadeRampAndItsMirrorSumToOne(length n: Int) {
    let ramp = crossfadeRamp(length: n)
    #expect(ramp.count == n)
    expectClose(
      zip(ramp, ramp.reversed()).map { $0 + $1 }, Array(repeating: 1, count: n),
      tolerance: 1e-6, "r[k] + r[n-1-k]")
    // The first value is sin²(π / 4n), and the ramp rises.
    expectClose(ramp[0], Float(pow(sin(Double.pi / Double(4 * n)), 2)), tolerance: 1e-7)
    #expect(zip(ramp, ramp.dropFirst()).allSatisfy { $0 < $1 })
  }

  @Test(arguments: [(1, 1), (32_640, 1), (32_641, 2), (61_312, 2), (61_313, 3), (100_000, 4)])
  func segmentCountCoversTheSignal(length: Int, expected: Int) {
    // Segments start every 28 672 samples and are 32 640 long: k segments cover
    // 32 640 + (k - 1) · 28 672 samples.
    #expect(Segmenter.samples.segmentCount(length: length) == expected)
    #expect(Segmenter.samples.paddedLength(length: length) == 32_640 + (expected - 1) * 28_672)
  }

  @Test(arguments: [3, 5, 6, 12])
  func segmentWeightsSumToOneAtEveryPosition(count: Int) throws {
    let segmenter = try Segmenter(length: 16, overlap: 5)
    var sums = [Float](repeating: 0, count: (count - 1) * segmenter.hop + segmenter.length)
    for s in 0..<count {
      let w = segmenter.weights(segment: s, of: count)
      for k in 0..<segmenter.length { sums[s * segmenter.hop + k] += w[k] }
    }
    expectClose(sums, Array(repeating: 1, count: sums.count), tolerance: 1e-6, "Σ weights")
  }

  @Test(.tags(.overlapAdd), arguments: [1, 2, 15, 16, 17, 40, 101])
  func segmentingAndOverlapAddGiveTheSignalBack(length: Int) throws {
    let segmenter = try Segmenter(length: 16, overlap: 6)
    let signal = whiteNoise(count: length, rms: 0.3, seed: UInt64(length))
    let segments = segmenter.segments(of: signal)
    #expect(segments.allSatisfy { $0.count == 16 })
    let back = segmenter.overlapAdd(segments, length: length)
    expectClose(back, signal, tolerance: 1e-6, relative: true, "overlap-add of the segments")
  }

  @Test(.tags(.overlapAdd)) func canonicalSegmentsGiveALongSignalBack() {
    let signal = whiteNoise(count: 100_000, rms: 0.3, seed: 3)
    let segments = Segmenter.samples.segments(of: signal)
    #expect(segments.count == 4)
    expectClose(
      Segmenter.samples.overlapAdd(segments, length: signal.count), signal, tolerance: 1e-6,
      relative: true)
  }

  @Test func mirrorExtensionReflectsAboutTheLastSample() {
    #expect(mirrorExtended([1, 2, 3], to: 7) == [1, 2, 3, 2, 1, 2, 3])
    #expect(mirrorExtended([5], to: 3) == [5, 5, 5])
    #expect(mirrorExtended([1, 2, 3], to: 2) == [1, 2])
  }

  @Test func segmenterRefusesAnOverlapOfMoreThanHalf() {
    #expect(throws: DenoiseError.self) { try Segmenter(length: 10, overlap: 6) }
  }

  // MARK: The pipeline

  @Test(arguments: [
    (16_000, 1, 70_000), (44_100, 2, 30_000), (8_000, 2, 9_000),
    (48_000, 1, 100), (16_000, 2, 20),
  ])
  func pipelineWithTheIdentityGivesTheRecordingBack(rate: Int, channels: Int, frames: Int)
    throws
  {
    let samples = whiteNoise(count: frames * channels, rms: 0.2, seed: 11)
    let recording = AudioBuffer(samples: samples, channels: channels, sampleRate: rate)
    let output = try Denoiser(enhancer: IdentityEnhancer()).denoise(recording)
    #expect(output.channels == channels && output.sampleRate == rate)
    #expect(output.frameCount == frames)
    expectClose(output.samples, samples, tolerance: 1e-5, relative: true, "identity output")
  }

  @Test func gainIsAppliedAtTheMatchingFrequencyAtAnotherRate() throws {
    // 44.1 kHz stereo: 1 kHz, 5 kHz and 12 kHz sines. Keeping the 16 kHz bins below 2 kHz
    // (bin 64 = 2 kHz) keeps 1 kHz only; 12 kHz follows the 4-8 kHz band, which is removed.
    let rate = 44_100
    let count = 22_050
    let tones = [1_000.0, 5_000, 12_000].map {
      sine(frequency: $0, sampleRate: rate, count: count, amplitude: 0.2)
    }
    let left = (0..<count).map { tones[0][$0] + tones[1][$0] + tones[2][$0] }
    var interleaved = [Float](repeating: 0, count: 2 * count)
    for i in 0..<count { (interleaved[2 * i], interleaved[2 * i + 1]) = (left[i], 0.5 * left[i]) }
    let recording = AudioBuffer(samples: interleaved, channels: 2, sampleRate: rate)
    let output = try Denoiser(enhancer: BandEnhancer(kept: 0..<64)).denoise(recording)
    for (channel, scale) in [(0, 1.0), (1, 0.5)] {
      let y = interior(output.channel(channel))
      expectClose(
        fittedAmplitude(y, frequency: 1_000, sampleRate: rate), 0.2 * scale, tolerance: 2e-3,
        "1 kHz kept, channel \(channel)")
      for f in [5_000.0, 12_000] {
        #expect(fittedAmplitude(y, frequency: f, sampleRate: rate) < 2e-3, "\(f) Hz removed")
      }
    }
  }

  @Test func silentRecordingStaysSilent() throws {
    let silence = AudioBuffer(
      samples: [Float](repeating: 0, count: 2 * 5_000), channels: 2, sampleRate: 22_050)
    for enhancer in [DecisionDirectedWiener(), SpectralSubtraction()] as [any Enhancer] {
      #expect(try Denoiser(enhancer: enhancer).denoise(silence) == silence)
    }
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func nonFiniteSampleIsRefusedWithItsPlace(value: Float) {
    var samples = [Float](repeating: 0.1, count: 2 * 1_000)
    samples[2 * 700 + 1] = value
    let recording = AudioBuffer(samples: samples, channels: 2, sampleRate: 16_000)
    #expect {
      try Denoiser(enhancer: DecisionDirectedWiener()).denoise(recording)
    } throws: { error in
      guard case .nonFiniteSample(let frame, let channel, _) = error as? DenoiseError else {
        return false
      }
      return frame == 700 && channel == 1
    }
  }

  @Test func emptyRecordingIsRefused() {
    let empty = AudioBuffer(samples: [], channels: 1, sampleRate: 16_000)
    #expect(throws: DenoiseError.noAudio) {
      try Denoiser(enhancer: IdentityEnhancer()).denoise(empty)
    }
  }

  // MARK: Classical baselines

  @Test func quietestFramesNoisePowerAveragesTheQuietestFrames() {
    // 2 bins × 5 frames; frame energies 11, 3, 30, 5, 100: the two quietest are frames 1, 3.
    let power: [Float] = [1, 1, 10, 2, 50, 10, 2, 20, 3, 50]
    let noise = quietestFramesNoisePower(power: power, bins: 2, frames: 5, fraction: 0.4)
    expectClose(noise, [(1 + 2) / 2, (2 + 3) / 2], tolerance: 1e-7)
  }

  @Test func spectralSubtractionGainFollowsItsFormula() {
    // λ = 1, α = 2, β = 0.01: √max(1 - 2/|X|², 0.01).
    let gain = SpectralSubtraction(overSubtraction: 2, floor: 0.01)
      .gain(power: [4, 1, 0.5, 0, 100], noisePower: [1], bins: 1, frames: 5)
    expectClose(
      gain, [Float(0.5).squareRoot(), 0.1, 0.1, 0.1, Float(0.98).squareRoot()], tolerance: 1e-6)
  }

  @Test(.tags(.ddPrioriSnr)) func decisionDirectedGainMatchesAHandComputedBin() {
    // λ = 1, |X|² = 4, 1, 9, α = 0.98, ξ_min = 0.01.
    // t0: ξ = γ - 1 = 3, G = 3/4.
    // t1: ξ = 0.98 · (3/4)² · 4 + 0.02 · max(1 - 1, 0) = 2.205, G = 2.205 / 3.205.
    // t2: ξ = 0.98 · G1² · 1 + 0.02 · 8.
    let g1 = 2.205 / 3.205
    let xi2 = 0.98 * g1 * g1 + 0.16
    let gain = DecisionDirectedWiener(smoothing: 0.98, minimumPrioriSNR: 0.01)
      .gain(power: [4, 1, 9], noisePower: [1], bins: 1, frames: 3)
    expectClose(gain, [0.75, Float(g1), Float(xi2 / (1 + xi2))], tolerance: 1e-6)
    // A quiet value after a quiet one falls to the floor: ξ = 0.01, G = 0.01 / 1.01.
    let floor = DecisionDirectedWiener(smoothing: 0.98, minimumPrioriSNR: 0.01)
      .gain(power: [0, 0], noisePower: [1], bins: 1, frames: 2)
    expectClose(floor, [Float(0.01 / 1.01), Float(0.01 / 1.01)], tolerance: 1e-7)
  }

  @Test(.tags(.ddPrioriSnr)) func decisionDirectedGainTakesANoisePowerPerValue() {
    // |X|² = 4, 1, 9, 5 with λ = 1, 1, 3, 0: the first two frames as in the bin above;
    // t2: γ = 9 / 3 = 3, ξ = 0.98 · G1² · 1 + 0.02 · 2; t3: no noise, gain 1.
    let g1 = 2.205 / 3.205
    let xi2 = 0.98 * g1 * g1 + 0.04
    let gain = DecisionDirectedWiener(smoothing: 0.98, minimumPrioriSNR: 0.01)
      .gain(power: [4, 1, 9, 5], noisePower: [1, 1, 3, 0], bins: 1, frames: 4)
    expectClose(gain, [0.75, Float(g1), Float(xi2 / (1 + xi2)), 1], tolerance: 1e-6)
  }

  @Test func gainFloorIsAppliedAndFedBack() {
    // Wiener, λ = 1, |X|² = 1.5, 1.5, 100, G_min = 0.5, ξ_min = 0.01.
    // t0: ξ = 0.5, ξ/(1 + ξ) = 1/3 → 0.5. t1: ξ = 0.98 · 0.5² · 1.5 + 0.02 · 0.5 = 0.3775
    // → 0.274 → 0.5. t2: ξ = 0.98 · 0.5² · 1.5 + 0.02 · 99 = 2.3475 (with the unfloored
    // G1 it would be 2.090).
    let xi2 = 0.98 * 0.25 * 1.5 + 0.02 * 99
    let gain = DecisionDirectedWiener(smoothing: 0.98, minimumPrioriSNR: 0.01, minimumGain: 0.5)
      .gain(power: [1.5, 1.5, 100], noisePower: [1], bins: 1, frames: 3)
    expectClose(gain, [0.5, 0.5, Float(xi2 / (1 + xi2))], tolerance: 1e-6)
  }

  @Test func movingMeanPowerAveragesTheFramesAroundEachValue() {
    // Bin 0 is the ramp t, bin 1 is 10 everywhere; radius 2 over 6 frames.
    // Windows: {0,1,2}, {0…3}, {0…4}, {1…5}, {2…5}, {3,4,5}.
    let power: [Float] = [0, 1, 2, 3, 4, 5] + [Float](repeating: 10, count: 6)
    let mean = movingMeanPower(power, bins: 2, frames: 6, radius: 2)
    expectClose(mean, [1, 1.5, 2, 3, 3.5, 4] + [Float](repeating: 10, count: 6), tolerance: 1e-6)
    // Radius 0 is the power itself; a radius as long as the recording, its mean.
    expectClose(movingMeanPower(power, bins: 2, frames: 6, radius: 0), power, tolerance: 0)
    expectClose(
      movingMeanPower(power, bins: 2, frames: 6, radius: 6),
      [Float](repeating: 2.5, count: 6) + [Float](repeating: 10, count: 6), tolerance: 1e-6)
  }

  @Test func minimumTrackedNoisePowerIsTheSmallestSmoothedPowerNearby() {
    // Bin 0 by hand, α = 0.5, radius 1: S = 4, 2, 5, 6.5, 7.25, 7.625 (S[-1] = P[0] = 4);
    // minima over {0,1}, {0,1,2}, {1,2,3}, {2,3,4}, {3,4,5}, {4,5}.
    // Bin 1 is constant: smoothing and the minimum leave it unchanged.
    let power: [Float] = [4, 0, 8, 8, 8, 8] + [Float](repeating: 3, count: 6)
    let noise = minimumTrackedNoisePower(power, bins: 2, frames: 6, smoothing: 0.5, radius: 1)
    expectClose(
      noise, [2, 2, 2, 5, 6.5, 7.25] + [Float](repeating: 3, count: 6), tolerance: 1e-6)
    // Without smoothing and with a window as long as the recording: each bin's minimum.
    expectClose(
      minimumTrackedNoisePower(power, bins: 2, frames: 6, smoothing: 0, radius: 6),
      [Float](repeating: 0, count: 6) + [Float](repeating: 3, count: 6), tolerance: 0)
  }

  @Test(arguments: ["spectral subtraction", "DD Wiener"])
  func baselineImprovesAVoiceInWhiteNoise(method: String) throws {
    let clean = syllables(count: 32_640)
    let noisy = try mix(clean, whiteNoise(count: clean.count, seed: 5), snrDB: 5)
    let enhancer: any Enhancer =
      method == "DD Wiener" ? DecisionDirectedWiener() : SpectralSubtraction()
    let output = try Denoiser(enhancer: enhancer)
      .denoise(AudioBuffer(mono: noisy, sampleRate: 16_000)).samples
    let before = try snr(reference: clean, estimate: noisy)
    let after = try snr(reference: clean, estimate: output)
    #expect(after > before + 4, "SNR \(before) dB → \(after) dB")
    #expect(try siSDR(reference: clean, estimate: output) > before + 4)
  }

  // MARK: The prior fit as an enhancer

  @Test func priorEnhancerInThePipelineAppliesItsOwnGain() throws {
    // One canonical segment at 16 kHz: the pipeline's output must be the fitted image's gain
    // applied to the segment, as the enhancer reconstructs it itself.
    let noisy = try mix(syllables(count: 32_640), whiteNoise(count: 32_640, seed: 8), snrDB: 5)
    var prior = PriorEnhancer()
    prior.iterations = 2
    prior.evaluationInterval = 1
    prior.gain = .withDecisionDirected(floor: 0.1)
    var reported: [Int] = []
    let output = try Denoiser(enhancer: prior)
      .denoise(AudioBuffer(mono: noisy, sampleRate: 16_000)) { progress in
        if let step = progress.step { reported.append(step.iteration) }
      }.samples
    #expect(reported == [0, 1, 2])
    let target = try FitTarget(noisy: noisy, domain: prior.domain)
    var last: [Float] = []
    try prior.fit(target) { step in
      last = step.output
      return false
    }
    expectClose(
      output, try prior.enhanced(last, target: target), tolerance: 1e-5, relative: true,
      "pipeline against the enhancer's reconstruction")
  }

  @Test func priorEnhancerStopsWhenItsRuleSaysSo() throws {
    // A discrepancy threshold a million times the noise level is met by the untrained
    // network: the fit ends at its first evaluation.
    var prior = PriorEnhancer()
    prior.iterations = 50
    prior.stop = .discrepancy(margin: 1e6)
    let segment = try mix(
      syllables(count: 32_640), whiteNoise(count: 32_640, seed: 4), snrDB: 10)
    let spectrogram = try STFT(nFFT: 512, hop: 128)(segment)
    var reported: [Int] = []
    let gain = try prior.gain(for: NoisySegment(samples: segment, spectrogram: spectrogram)) {
      reported.append($0.iteration)
    }
    #expect(reported == [0])
    #expect(gain.count == 257 * 256 && gain.allSatisfy { $0 >= 0.1 - 1e-6 && $0 <= 1 })
  }

  @Test func traceKeepsTheFitsOwnOutputsAtTheIterationsAsked() throws {
    // A second fit with the same settings, watched directly, must see the same images at the
    // same iterations as the ones the trace kept.
    let clips = [110.0, 150].enumerated().map { i, pitch in
      SpeechClip(
        name: "voice \(i)",
        samples: voicedSignal(pitch: pitch...(pitch + 20), sampleRate: 16_000, count: 32_640))
    }
    let item = try EvaluationSet(clips: clips, targets: [0], snrs: [5]).items[0]
    var prior = PriorEnhancer()
    prior.iterations = 4
    prior.evaluationInterval = 2
    let trace = try prior.trace(item, gains: [.direct], rules: [], keeping: [2, 4])
    #expect(trace.outputs.keys.sorted() == [2, 4])
    var watched: [Int: [Float]] = [:]
    try prior.fit(try FitTarget(noisy: item.noisy, domain: prior.domain)) { step in
      watched[step.iteration] = step.output
      return false
    }
    #expect(trace.outputs[2] == watched[2] && trace.outputs[4] == watched[4])
    #expect(trace.outputs[2] != trace.outputs[4])
  }

  // MARK: Stopping rules on synthetic curves

  @Test(.tags(.discrepancyRule), arguments: [(1, 461), (10, 470), (7, 462)])
  func discrepancyRuleStopsWhereTheLossCrossesTheNoiseLevel(every: Int, expected: Int) {
    // loss(i) = 0.001 + e^(-i/100) reaches σ² = 0.011 at i = 100 ln 100 = 460.5.
    var rule = DiscrepancyRule(noiseVariance: 0.011)
    var stoppedAt: Int?
    for i in stride(from: every, through: 2_000, by: every) {
      if rule.observe(FitStep(iteration: i, loss: 0.001 + exp(-Double(i) / 100))) {
        stoppedAt = i
        break
      }
    }
    #expect(stoppedAt == expected)
    #expect(rule.chosenIteration == expected)
  }

  @Test(.tags(.discrepancyRule)) func discrepancyRuleWithAMarginStopsLater() {
    // margin 0.5: threshold 0.0055, reached at i = 100 ln(1 / 0.0045) = 540.1.
    var rule = DiscrepancyRule(noiseVariance: 0.011, margin: 0.5)
    let stop = (1...2_000).first {
      rule.observe(FitStep(iteration: $0, loss: 0.001 + exp(-Double($0) / 100)))
    }
    #expect(stop == 541)
  }

  @Test func movingVarianceRuleKeepsTheEndOfTheFirstStillWindow() {
    // Outputs slow down until 50 ((50 - i)², so every window varies less than the one
    // before), stand still from 50 to 79, then move again. With windows of 5 the first window
    // of identical outputs ends at iteration 54; nothing is smaller after it, so the rule
    // stops `patience` steps later.
    var rule = MovingVarianceRule(window: 5, patience: 10)
    var stoppedAt: Int?
    for i in 0..<200 {
      let x: Float = i < 50 ? Float((50 - i) * (50 - i)) : i < 80 ? 0 : 2 * Float(i - 80)
      if rule.observe(FitStep(iteration: i, loss: 0, output: [x, -x])) {
        stoppedAt = i
        break
      }
    }
    #expect(rule.chosenIteration == 54)
    #expect(stoppedAt == 64)
    #expect(rule.smallestVariance == 0)
  }

  @Test func windowVarianceIsTheMeanSquaredDeviation() {
    // Outputs 1, 2, 3, 4 (one value): mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25.
    expectClose(windowVariance([[1], [2], [3], [4]]), 5.0 / 4, tolerance: 1e-12)
  }

  @Test func fixedCountRuleStopsAtTheFirstStepPastTheCount() {
    var rule = FixedCountRule(iterations: 95)
    let stop = stride(from: 10, through: 500, by: 10).first {
      rule.observe(FitStep(iteration: $0, loss: 1))
    }
    #expect(stop == 100 && rule.chosenIteration == 100)
  }

  @Test func movingAverageOfAStep() {
    // Start at 0, then 1 forever: after k more updates the average is 1 - β^k.
    var average: [Float] = [0]
    for _ in 0..<10 { updateMovingAverage(&average, with: [1], decay: 0.9) }
    expectClose(average[0], Float(1 - pow(0.9, 10)), tolerance: 1e-6)
  }

  @Test func noiseVarianceOfAPlanePlusWhiteNoise() {
    // The diagonal detail cancels a plane; what is left is the noise, σ = 0.05.
    let (rows, columns) = (128, 128)
    let noise = whiteNoise(count: rows * columns, rms: 0.05, seed: 9)
    let image = (0..<(rows * columns)).map {
      0.3 + 0.002 * Float($0 / columns) - 0.001 * Float($0 % columns) + noise[$0]
    }
    let estimate = diagonalDetailVariance(image: image, rows: rows, columns: columns)
    expectClose(estimate, 0.0025, tolerance: 0.0025 * 0.06, "σ²")
  }

  @Test func quietColumnsVarianceIsTheRowVarianceOverTheQuietColumns() {
    // 8 rows × 100 columns: columns 0..<10 alternate ±0.05 around 0.1 (the quietest), the
    // others are loud and vary a lot. Over the 10 quiet columns each row has mean 0.1 and
    // squared deviations 10 · 0.05², divided by 10 - 1.
    let (rows, columns) = (8, 100)
    let image = (0..<(rows * columns)).map { i -> Float in
      let (r, c) = (i / columns, i % columns)
      return c < 10 ? (c % 2 == 0 ? 0.15 : 0.05) : 0.5 + 0.3 * Float((r * 7 + c * 3) % 5)
    }
    let variance = quietColumnsVariance(image: image, rows: rows, columns: columns)
    expectClose(variance, 10 * 0.0025 / 9, tolerance: 1e-7, "σ²")
  }

  // MARK: The evaluation set

  @Test func evaluationItemsHaveTheirSNR() throws {
    let clips = [110.0, 150, 200].enumerated().map { i, pitch in
      SpeechClip(
        name: "voice \(i)",
        samples: voicedSignal(pitch: pitch...(pitch + 20), sampleRate: 16_000, count: 20_000))
    }
    let set = try EvaluationSet(clips: clips, targets: [0, 2], snrs: [0, 10], length: 16_000)
    #expect(set.items.count == 2 * 3 * 2)
    for item in set.items {
      expectClose(
        try snr(reference: item.clean, estimate: item.noisy), item.snrDB, tolerance: 1e-3,
        "\(item.clip) \(item.noise)")
      #expect(item.clean == Array(clips.first { $0.name == item.clip }!.samples.prefix(16_000)))
    }
  }

  @Test func babbleSumsTalkersAtUnitLevel() {
    // A constant talker has RMS |c|: each of the 4 voices contributes c / |c| = 1.
    let babble = babbleNoise(
      talkers: [[Float](repeating: -0.3, count: 50)], voices: 4, count: 10, seed: 1)
    expectClose(babble, [Float](repeating: -4, count: 10), tolerance: 1e-6)
  }
}
