import Audio
import Foundation
@testable import Plot
import Prior
import Random
import Spectral
import Testing

@Suite("Chapter 6: the likelihood view's measurements and figures")
struct Chapter06LikelihoodViewTests {
  @Test func histogramCountsLikeANaiveLoop() {
    var generator = Xoshiro256(seed: 3)
    let values = (0..<2_000).map { _ in generator.uniform(-1, 5) } + [.nan, 4, 0]
    let edges = [0.0, 0.5, 1, 2, 4]
    let histogram = Histogram(values, edges: edges)
    // Each bin counted by a plain filter; the last edge belongs to the last bin.
    let expected = (0..<4).map { k in
      values.filter { $0 >= edges[k] && ($0 < edges[k + 1] || (k == 3 && $0 == edges[4])) }
        .count
    }
    #expect(histogram.counts == expected)
    #expect(histogram.total == values.count - 1)
    // Densities times widths are the shares of all values in each bin.
    let shares = zip(histogram.densities, zip(edges, edges.dropFirst())).map { $0 * ($1.1 - $1.0) }
    expectClose(
      shares, expected.map { Double($0) / Double(values.count - 1) }, tolerance: 1e-12,
      "shares")
    let steps = histogram.steps
    #expect(steps.x == [0, 0.5, 0.5, 1, 1, 2, 2, 4])
    #expect(steps.y == histogram.densities.flatMap { [$0, $0] })
  }

  @Test func histogramOfExponentialDrawsFollowsTheirDensity() {
    // 100 000 draws of −log(1 − u): in bins of width 0.5 on [0, 4], density ≈ the bin's
    // mean of e^(−x), (e^(−a) − e^(−b)) / 0.5, within a few standard errors.
    var generator = Xoshiro256(seed: 5)
    let draws = (0..<100_000).map { _ in -log(1 - generator.uniform()) }
    let histogram = Histogram(draws, range: 0...4, bins: 8)
    let expected = histogram.edges.indices.dropLast().map { k in
      (exp(-histogram.edges[k]) - exp(-histogram.edges[k + 1])) / 0.5
    }
    expectClose(histogram.densities, expected, tolerance: 0.01, "densities")
  }

  @Test func spectrogramAxesCentreEachFrameAndBin() {
    // nFFT 512, hop 128 at 16 kHz: frames 8 ms apart, bins 31.25 Hz apart.
    let axes = SpectrogramAxes(rows: 256, frames: 256, frameSeconds: 0.008, binKHz: 0.031_25)
    #expect(axes.timeRange == -0.004...2.044)
    #expect(axes.frequencyRange == -0.015_625...7.984_375)
    let map = HeatMap.spectrogram(
      [Float](repeating: 0, count: 256 * 256), axes: axes, valueRange: 0...1)
    #expect(map.xRange == axes.timeRange && map.yRange == axes.frequencyRange)
    #expect(map.valueRange == 0...1 && map.xLabel == "time (s)")
  }

  @Test func spectrogramGridPutsOneColourBarAtTheEndOfEachRow() {
    let axes = SpectrogramAxes(rows: 2, frames: 3, frameSeconds: 0.01, binKHz: 1)
    let panels = (0..<7).map { ("panel \($0)", [Float](repeating: Float($0), count: 6)) }
    let grid = Grid(
      spectrograms: panels, axes: axes, columns: 3, valueRange: 0...6, colorbarLabel: "v")
    let maps = grid.panels.compactMap { $0 as? HeatMap }
    #expect(maps.count == 7 && grid.rows == 3)
    #expect(maps.map(\.showsColorbar) == [false, false, true, false, false, true, true])
    #expect(maps.allSatisfy { $0.valueRange == 0...6 })
    #expect(maps.map(\.title) == panels.map(\.0))
  }

  @Test func noisePeriodogramOfExponentialPowerHasEulersGamma() {
    // A synthetic periodogram: bin f has power N[f] = f + 1, each value N[f] times an
    // exponential draw; bins 0 and 9 and frames 0 and 199 are left out, and every value
    // of frame 5 is marked as speech.
    var generator = Xoshiro256(seed: 8)
    let (bins, frames) = (10, 2_000)
    let noise = (0..<bins).map { Float($0 + 1) }
    let power = (0..<(bins * frames)).map { i in
      noise[i / frames] * Float(-log(1 - generator.uniform()))
    }
    let noiseOnly = (0..<(bins * frames)).map { $0 % frames != 5 }
    let periodogram = NoisePeriodogram(
      power: power, noisePower: noise, noiseOnly: noiseOnly, bins: 1..<9, frames: 1..<1_999)
    #expect(periodogram.count == 8 * 1_997)
    // 15 976 values: the standard errors are about 0.008 (mean r), 0.004 (share above 1)
    // and 0.006 (the divergence).
    expectClose(periodogram.meanRatio, 1, tolerance: 0.03, "mean r")
    expectClose(periodogram.share(above: 1), exp(-1), tolerance: 0.015, "share above 1")
    expectClose(periodogram.meanDivergence, 0.577_215_664_9, tolerance: 0.02, "γ")
  }

  @Test func noiseOnlyBinsCompareTheSpeechWithItsBinsNoise() {
    let clean: [Float] = [0, 1e-4, 0.02, 5, 0, 0.0009]
    let noise: [Float] = [1, 2]
    // Row 0 (noise 1): below 10⁻³ are 0 and 10⁻⁴; row 1 (noise 2): below 2 · 10⁻³, 0 and 0.0009.
    #expect(
      noiseOnlyBins(cleanPower: clean, noisePower: noise)
        == [true, true, false, false, true, true])
  }

  /// A steady voiced signal in white noise, 496 samples, nFFT 64, hop 16: 33 × 32 bins.
  private func mixture() throws -> (FitTarget, clean: [Float], noise: [Float]) {
    let clean = voicedSignal(sampleRate: 16_000, count: 496, amplitude: 0.5)
    let noise = whiteNoise(count: 496, rms: 0.05, seed: 21)
    let target = try FitTarget(
      noisy: zip(clean, noise).map { $0 + $1 }, domain: .power(exponent: 0.3),
      stft: STFT(nFFT: 64, hop: 16))
    return (target, clean, noise)
  }

  @Test func cleanReferenceErrorsAndDivergenceMatchTheirSums() throws {
    let (target, clean, noise) = try mixture()
    let reference = try CleanReference(target: target, clean: clean)
    let stft = try STFT(nFFT: 64, hop: 16)
    let x = try stft(clean).magnitude
    let n = try stft(noise).magnitude
    let count = target.rows * target.frames
    // An image half-way between the target and zero, turned back into magnitudes by hand:
    // the power law's inverse, M · y^(1/0.3).
    let image = target.image.map { $0 / 2 }
    let peak = Double(target.noisyMagnitude.prefix(count).max()!)
    var (speech, noisy, energy) = (0.0, 0.0, 0.0)
    for i in 0..<count {
      let d = peak * pow(Double(image[i]), 1 / 0.3) - Double(x[i])
      if n[i] > x[i] { noisy += d * d } else { speech += d * d }
      energy += Double(x[i]) * Double(x[i])
    }
    let errors = try reference.errors(of: image)
    expectClose(errors.speech, 10 * log10(speech / energy), tolerance: 1e-3, "E speech")
    expectClose(errors.noise, 10 * log10(noisy / energy), tolerance: 1e-3, "E noise")
    // D(P ‖ |X|² + mean |N|²), the sum written out.
    var divergence = 0.0
    for i in 0..<count {
      let row = (i / target.frames) * target.frames
      let mean = (0..<target.frames).reduce(0.0) { $0 + Double(n[row + $1] * n[row + $1]) }
      let m = Double(x[i] * x[i]) + mean / Double(target.frames)
      let p = Double(target.noisyMagnitude[i] * target.noisyMagnitude[i])
      divergence += p / m - log(p / m) - 1
    }
    expectClose(
      reference.speechPlusNoiseDivergence, divergence / Double(count), tolerance: 1e-4,
      "the true model's divergence")
  }

  @Test func periodogramOfWhiteNoiseAloneIsExponential() throws {
    // White noise and silence: every value is noise-only; the periodogram of 16 000 samples
    // (bins 1 … 31, frames 2 … 997) is exponential about its mean, its divergence γ.
    let noise = whiteNoise(count: 16_000, rms: 0.1, seed: 4)
    let target = try FitTarget(
      noisy: noise, domain: .power(exponent: 0.3), stft: STFT(nFFT: 64, hop: 16))
    let reference = try CleanReference(target: target, clean: [Float](repeating: 0, count: 16_000))
    let periodogram = reference.noisePeriodogram()
    #expect(periodogram.count == 31 * (target.frames - 4))
    expectClose(periodogram.share(above: 1), exp(-1), tolerance: 0.02, "share above 1")
    expectClose(periodogram.share(above: 3), exp(-3), tolerance: 0.01, "share above 3")
    expectClose(periodogram.meanDivergence, 0.577_215_664_9, tolerance: 0.03, "γ")
  }

  @Test func gainAudioIsTheRecordingScaledByAConstantGain() throws {
    let (target, _, _) = try mixture()
    let ones = [Float](repeating: 1, count: target.bins * target.frames)
    expectClose(try target.audio(gain: ones), target.noisy, tolerance: 1e-4, "G = 1")
    expectClose(
      try target.audio(gain: ones.map { $0 / 4 }), target.noisy.map { $0 / 4 }, tolerance: 1e-4,
      "G = 1/4")
    #expect(throws: PriorError.self) { try target.audio(gain: [1, 1]) }
  }

  @Test func resultLookupsFindTheKeptSnapshotsAndScores() throws {
    let (target, clean, _) = try mixture()
    var fit = PriorFit()
    (fit.iterations, fit.snapshotIterations, fit.evaluationInterval) = (4, [0, 3], 2)
    let result = try fit.run(target: target, clean: clean)
    // Iteration 3 is evaluated because it is kept; 1 is neither kept nor on the interval.
    let audio = try result.audio(.direct, at: 3)
    #expect(audio == (try target.reconstruct(result.snapshot(at: 3)!.image, .direct)))
    let score = try FitScore(reference: clean, estimate: audio)
    #expect(result.score(at: 3, .direct) == score)
    #expect(result.score(at: 1, .direct) == nil)
    let best = result.best(.direct)!.iteration
    #expect(
      try result.audio(.direct, at: nil)
        == target.reconstruct(result.bestSnapshots[.direct]!.image, .direct))
    #expect([0, 2, 3, 4].contains(best))
    #expect(throws: PriorError.self) { try result.audio(.direct, at: 1) }
  }

  @Test func lossSpikesAreRisesAboveTheRecentLowest() {
    // A falling loss with two bumps: 12 % above the lowest of the 3 before at iteration 6,
    // and 5 % above at iteration 9 (not a spike at 10 %).
    let losses: [Float] = [10, 9, 8, 7, 6, 5, 5.6, 4.8, 4.6, 4.83, 4.5, 4.4]
    let naive = (3..<losses.count).filter { (i: Int) -> Bool in
      let lowest: Float = min(losses[i - 1], losses[i - 2], losses[i - 3])
      return losses[i] > 1.1 * lowest
    }
    #expect(naive == [6])
    #expect(lossSpikes(losses, window: 3) == naive)
    #expect(lossSpikes(losses, window: 3, rise: 1.04) == [6, 9])
    #expect(lossSpikes(losses, after: 6, window: 3).isEmpty)
    #expect(lossSpikes([1, 2], window: 3).isEmpty)
  }

  @Test func rowMeansAverageEachRow() {
    let values: [Float] = [1, 2, 3, 4, 10, 20, 30, 40, -1, 1, -1, 1]
    #expect(rowMeans(values, frames: 4) == [2.5, 25, 0])
    #expect(rowMeans(values, frames: 12) == [Double(values.reduce(0, +)) / 12])
  }

  @Test func histogramPlotDrawsTheStaircaseAndTheDensity() {
    // Drawn, the plot's range holds the staircase and the density over the edges: with
    // e^(−x) on [0, 2], its y values reach from e^(−2) to 1.
    let histogram = Histogram([0.2, 0.7, 1.5], range: 0...2, bins: 2)
    var plot = LinePlot()
    plot.yScale = .log
    plot.histogram(histogram, label: "h", against: { exp(-$0) }, densityLabel: "e^-x")
    #expect(plot.legendEntries().map(\.label) == ["h", "e^-x"])
    let range = plot.resolvedRanges()
    #expect(range.y.lowerBound <= exp(-2) && range.y.upperBound >= 1)
    #expect(range.x.lowerBound <= 0 && range.x.upperBound >= 2)
  }
}
