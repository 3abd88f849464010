import Audio
import Denoising
import Evaluation
import Foundation
import Prior
import Spectral
import Testing

/// A trace of three evaluated iterations with the given SI-SDR of gain 0 (raw outputs; the
/// average is the raw minus 1 dB), noisy SI-SDR 0, and each rule's chosen index.
private func syntheticTrace(
  _ siSDR: [Double], noise: NoiseKind, chosen: [String: Int] = [:]
) -> StoppingTrace {
  var trace = StoppingTrace()
  trace.noise = noise
  trace.iterations = [0, 10, 20]
  trace.siSDR = [siSDR]
  trace.snr = [siSDR]
  trace.averageSISDR = [siSDR.map { $0 - 1 }]
  trace.averageSNR = trace.averageSISDR
  trace.chosen = chosen
  trace.ended = chosen.mapValues { _ in 2 }
  return trace
}

/// A method that halves every value of the spectrogram: through the pipeline, which gives the
/// recording back with gain 1, it halves the recording.
private struct HalvingEnhancer: Enhancer {
  var name: String { "half" }

  func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) -> [Float] {
    [Float](repeating: 0.5, count: segment.spectrogram.bins * segment.spectrogram.frames)
  }
}

@Suite("Chapter 7: the evaluation's measurements")
struct Chapter07EvaluationTests {
  @Test func improvementIsTheMeanByNoiseAndOverAll() {
    let noises: [NoiseKind] = [.white, .white, .pink, .babble]
    let gain = Improvement([5, 3, 2, 0], over: [4, 0, 1, -2], noises: noises)
    // Differences 1, 3, 1, 2: white (1 + 3) / 2, pink 1, babble 2, all 7 / 4.
    #expect(gain.byNoise == [2, 1, 2] && gain.all == 1.75)
    // The means' items, kind by kind, in the items' order.
    #expect(gain.itemsByNoise == [[1, 3], [1], [2]])
    #expect(Improvement([1], noises: [.pink]).byNoise[0].isNaN)
  }

  @Test func listeningClipsShareOneGainThatKeepsTheLoudestPeakAtMinusOneDBFS() throws {
    // Two items whose noisy peaks are 2.0 and 1.5: the shared gain is 10^(-1/20) / 2, and the
    // halving method's clips are the noisy clips halved.
    let n = 4_000
    let tone = (0..<n).map { Float(sin(Double($0) * 0.05)) }
    let items = [(NoiseKind.white, Float(2)), (.pink, 1.5)].map { kind, peak in
      EvaluationItem(
        clip: "tone", noise: kind, snrDB: 5, clean: tone, noisy: tone.map { $0 * peak })
    }
    let clips = try ListeningClips(
      items: items, prefix: "07", methods: [("half", HalvingEnhancer())])
    #expect(
      clips.clips.map(\.name) == [
        "07-white-noisy.wav", "07-white-half.wav", "07-pink-noisy.wav", "07-pink-half.wav",
      ])
    let gain = pow(10, -1.0 / 20) / 2
    expectClose(Double(clips.gain), gain, tolerance: 1e-6, "shared gain")
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("audioprior-clips-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let paths = try clips.write { folder + "/" + $0 }
    for (path, (item, factor)) in zip(paths, items.flatMap { [($0, 1.0), ($0, 0.5)] }) {
      let written = try AudioFile.read(path)
      #expect(written.sampleRate == 16_000 && written.channels == 1)
      let expected = item.noisy.map { Double($0) * gain * factor }
      // 16-bit samples (written as x · 32767, read as n / 32768): within 1.5 steps, plus the
      // pipeline's 1e-5 relative error.
      expectClose(
        written.samples.map(Double.init), expected, tolerance: 2.0 / 32_768 + 1e-5, path)
    }
  }

  @Test func improvementBySNRAveragesEachInputLevel() {
    func score(_ snrDB: Double, _ siSDR: Double) -> EvaluationScore {
      EvaluationScore(noise: .white, snrDB: snrDB, snr: 0, siSDR: siSDR)
    }
    let method = [score(0, 4), score(5, 9), score(0, 2), score(5, 5)]
    let noisy = [score(0, 0), score(5, 5), score(0, 0), score(5, 5)]
    #expect(meanImprovementBySNR(method, over: noisy, levels: [0, 5, 10]).prefix(2) == [3, 2])
    #expect(meanImprovementBySNR(method, over: noisy, levels: [10])[0].isNaN)
  }

  @Test func bandErrorIsTheRatioOfBandPowersInDecibels() {
    let actual: [Float] = [1, 2, 3, 4]
    let estimate: [Float] = [2, 4, 3, 4]
    let error = bandErrorDecibels(estimate: estimate, actual: actual, bands: [0..<2, 2..<4, 0..<4])
    // Twice the power is +3.01 dB; the whole range holds 13 / 10 of it.
    expectClose(error[0], 10 * log10(2), tolerance: 1e-12)
    #expect(error[1] == 0)
    expectClose(error[2], 10 * log10(1.3), tolerance: 1e-12)
  }

  @Test func trueNoisePowerOfWhiteNoiseIsItsVarianceTimesTheWindowEnergy() throws {
    // For white noise of variance σ², E|X[k]|² = σ² Σ w[n]², and the periodic Hann window of
    // 512 samples has Σ w² = 3 · 512 / 8 = 192.
    let clean = [Float](repeating: 0, count: 32_640)
    let noise = whiteNoise(count: clean.count, rms: 0.1, seed: 11)
    let item = EvaluationItem(clip: "silence", noise: .white, snrDB: 0, clean: clean, noisy: noise)
    let power = try item.trueNoisePower(stft: STFT(nFFT: 512, hop: 128))
    let inner = power[1..<256].reduce(0.0) { $0 + Double($1) } / 255
    expectClose(inner, 0.01 * 192, tolerance: 0.01 * 192 * 0.02, "mean |X|² of bins 1…255")
  }

  @Test func minimumTrackingBiasIsOneWhenTheMinimumIsThePowerItself() throws {
    let noise = try PowerSpectrogram(
      whiteNoise(count: 16_000, seed: 5), stft: STFT(nFFT: 512, hop: 128))
    // Without smoothing or a window the tracked minimum is the power itself.
    expectClose(minimumTrackingBias(noise, smoothing: 0, radius: 0), 1, tolerance: 1e-9)
    // Over a window the minimum lies below the mean: the factor exceeds 1.
    #expect(minimumTrackingBias(noise, smoothing: 0.7, radius: 15) > 1.5)
  }

  @Test func pixelVarianceOverDrawsMatchesTheTwoPassFormula() {
    // Two draws: the unbiased variance of a pixel is (a - b)² / 2.
    #expect(meanPixelVariance([[1, 5], [3, 5]]) == 1)
    let images: [[Float]] = [[0.1, 0.9, 0.4], [0.3, 0.5, 0.4], [0.2, 0.1, 0.7]]
    var expected = 0.0
    for p in 0..<3 {
      let values = images.map { Double($0[p]) }
      let mean = values.reduce(0, +) / 3
      expected += values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2 / 3
    }
    expectClose(meanPixelVariance(images), expected, tolerance: 1e-12)
  }

  @Test func bestFixedCountAndTheWinningRuleNeverUseTheCleanSignalWrongly() {
    let rule = RuleCandidate(.movingVariance(window: 2, patience: 2), watchesAverage: false)
    let other = RuleCandidate(.discrepancy(margin: 1), watchesAverage: false)
    let traces = [
      syntheticTrace([0, 4, 2], noise: .white, chosen: [rule.name: 2, other.name: 0]),
      syntheticTrace([0, 1, 3], noise: .pink, chosen: [rule.name: 2, other.name: 1]),
    ]
    // Mean SI-SDR per iteration: 0, 2.5, 2.5; the earliest of the tie is the best fixed one.
    #expect(traces.bestFixedIndex(gain: 0, average: false) == 1)
    let choices = traces.choices(gain: 0, rules: [rule, other])
    let verdicts = traces.verdicts(gain: 0, choices: choices, noises: [.white, .pink])
    let oracle = verdicts.first { $0.choice == StopChoice(.oracle) }!
    #expect(oracle.siSDR.all == 3.5 && oracle.meanCost == 20)  // 4 and 3, the whole budget
    // The rule scores (2 + 3) / 2 = 2.5, the other (0 + 1) / 2; the oracle's 3.5 is no rule.
    let winner = winningRule(verdicts)!
    #expect(winner.choice == StopChoice(.rule(rule)) && winner.siSDR.all == 2.5)
  }

  @Test func heldOutCountIsChosenOnTheChoosingItemsAndReportedOnTheOthers() {
    func trace(_ siSDR: [Double], _ noise: NoiseKind, snrDB: Double) -> StoppingTrace {
      var trace = syntheticTrace(siSDR, noise: noise)
      trace.snrDB = snrDB
      return trace
    }
    // At 5 dB iteration 10 is best (mean 3 against 2) and iteration 0, the untrained network,
    // would be better still but is no count to choose; the 0 and 10 dB items prefer 20.
    let traces = [
      trace([9, 4, 1], .white, snrDB: 5), trace([9, 2, 3], .pink, snrDB: 5),
      trace([0, 1, 5], .white, snrDB: 0), trace([1, 3, 2], .pink, snrDB: 10),
      trace([2, 0, 4], .babble, snrDB: 10),
    ]
    let verdicts = traces.heldOutVerdicts(gain: 0, choosingSNR: 5)
    #expect(verdicts.map(\.choice.kind) == [.untrained, .bestFixed(index: 1), .oracle])
    // The report items alone, by hand: white 0 1 5, pink 1 3 2, babble 2 0 4 (noisy SI-SDR 0).
    #expect(verdicts[0].siSDR.byNoise == [0, 1, 2] && verdicts[0].siSDR.all == 1)
    #expect(verdicts[1].siSDR.byNoise == [1, 3, 0] && verdicts[1].siSDR.all == 4.0 / 3)
    #expect(verdicts[2].siSDR.byNoise == [5, 3, 4] && verdicts[2].siSDR.all == 4)
  }

  @Test func savedTracesRoundTripWithoutTheirOutputs() throws {
    var trace = syntheticTrace([0, 1, 2], noise: .babble, chosen: ["moving variance": 1])
    trace.outputs = [10: [0.5]]
    let saved = SavedTraces(settings: "test", gains: ["direct"], rules: ["x"], traces: [trace])
    try withTemporaryDirectory { folder in
      try saved.write(to: folder + "/traces.json")
      let read = try SavedTraces(path: folder + "/traces.json")
      #expect(read.traces[0].siSDR == trace.siSDR && read.traces[0].noise == .babble)
      #expect(read.traces[0].chosen == trace.chosen && read.traces[0].outputs.isEmpty)
    }
  }

  @Test func noisyImageRecommendationIsWhatChapter7sSavedTracesChoose() throws {
    // figures/07-traces.json is written by chapter 7's full run (`make figures`).
    let saved = try SavedTraces(path: "figures/07-traces.json")
    let gains = PriorRecommendation.candidateGains
    let rules = PriorRecommendation.candidateRules(window: 10, patience: 10)
    #expect(saved.gains == gains.map { "\($0.gain)" } && saved.rules == rules.map(\.name))
    let recommendation = PriorRecommendation(
      traces: saved.traces, gains: gains.map(\.gain), rules: rules)
    var budget = PriorEnhancer.noisyImageRecommended(autoStop: true)
    budget.iterations = PriorEnhancer.noisyImageBudget
    for autoStop in [true, false] {
      let chosen = recommendation.enhancer(autoStop: autoStop, base: budget)
      let pinned = PriorEnhancer.noisyImageRecommended(autoStop: autoStop)
      #expect(chosen.gain == pinned.gain && chosen.stop == pinned.stop)
      #expect(chosen.iterations == pinned.iterations && chosen.averageDecay == pinned.averageDecay)
    }
    #expect(saved.traces.count == 27 && saved.traces[0].iterations.last == 500)
  }

  @Test func denoiseRecommendationIsWhatChapter8sSelectionTracesChoose() throws {
    // figures/08-traces.json is written by chapter 8's full run (`make figures`): every noise
    // model's gains on the selection half ("model: gain"); the pair whose best fixed count
    // after iteration 0 is best, and that count, are `denoise`'s default.
    let saved = try SavedTraces(path: "figures/08-traces.json")
    let pinned = PriorEnhancer.recommended(autoStop: false)
    let (gain, index) = saved.traces.bestGainAtItsBestFixedCount(gains: saved.gains.count)
    #expect(saved.gains[gain] == "\(pinned.model): \(pinned.gain)")
    #expect(saved.traces[0].iterations[index] == pinned.iterations)
    // A brute-force search over gains and fitted counts finds the same pair.
    var best = (total: -Double.infinity, gain: 0, iteration: 0)
    for g in saved.gains.indices {
      for i in saved.traces[0].iterations.indices.dropFirst() {
        let total = saved.traces.reduce(0.0) { $0 + $1.siSDR[g][i] }
        if total > best.total { best = (total, g, saved.traces[0].iterations[i]) }
      }
    }
    #expect(best.gain == gain && best.iteration == pinned.iterations)
    #expect(saved.traces.count == 9 && saved.traces[0].iterations.last == 250)
    let auto = PriorEnhancer.recommended(autoStop: true)
    #expect(auto.model == pinned.model && auto.stop == .discrepancy(margin: 1))
  }

  @Test func recommendationOnTheQuickSetIsTheBruteForceChoice() throws {
    // The quick set of chapter 7 (speech.wav at 5 dB, white noise), a short fit: the
    // recommendation must be the gain and rule a direct search over the traces finds.
    let clips = try EvaluationSet.clipFiles.map { try SpeechClip(path: "data/" + $0) }
    let item = try EvaluationSet(clips: clips, targets: [0], snrs: [5]).items[0]
    var prior = PriorEnhancer()
    (prior.domain, prior.iterations, prior.evaluationInterval) = (.power(exponent: 0.3), 8, 2)
    prior.averageDecay = 0.9
    let gains = PriorRecommendation.candidateGains.map(\.gain)
    let rules = PriorRecommendation.candidateRules(window: 2, patience: 1)
    let trace = try prior.trace(item, gains: gains, rules: rules)
    let recommendation = PriorRecommendation(traces: [trace], gains: gains, rules: rules)
    // One trace: each rule scores the SI-SDR at the index it chose.
    var best: (score: Double, gain: Int, rule: Int) = (-.infinity, 0, 0)
    for g in gains.indices {
      for (r, rule) in rules.enumerated() {
        let values = rule.watchesAverage ? trace.averageSISDR[g] : trace.siSDR[g]
        let score = values[trace.chosen[rule.name]!]
        if score > best.score { best = (score, g, r) }
      }
    }
    #expect(recommendation.gain == gains[best.gain] && recommendation.rule == rules[best.rule])
    let raw = trace.siSDR[best.gain]
    let fixed = raw.indices.max { raw[$0] < raw[$1] || (raw[$0] == raw[$1] && $0 > $1) }!
    #expect(recommendation.fixedIterations == trace.iterations[fixed])
  }
}
