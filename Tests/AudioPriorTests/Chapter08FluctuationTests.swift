import Audio
import Denoising
import Evaluation
import Prior
import Testing

@Suite("Chapter 8: accumulated fluctuations of the fit's output")
struct Chapter08FluctuationTests {
  @Test func accumulatedFluctuationIsTheSumOfAbsoluteChangesBinByBin() {
    // Four outputs of 2 × 3 bins, summed by the definition in Double, bin by bin.
    let outputs: [[Float]] = [
      [0.1, 0.5, 0.9, 0.3, 0.3, 0.0],
      [0.4, 0.5, 0.2, 0.3, 0.6, 1.0],
      [0.2, 0.5, 0.7, 0.3, 0.1, 0.5],
      [0.9, 0.5, 0.7, 0.3, 0.8, 0.25],
    ]
    var accumulator = FluctuationAccumulator(rows: 2, frames: 3)
    for output in outputs { accumulator.add(output) }
    var expected = [Double](repeating: 0, count: 6)
    for bin in 0..<6 {
      for k in 1..<outputs.count {
        expected[bin] += abs(Double(outputs[k][bin]) - Double(outputs[k - 1][bin]))
      }
    }
    #expect(accumulator.outputs == 4)
    expectClose(accumulator.total.map(Double.init), expected, tolerance: 1e-6, "F")
  }

  @Test func maskRemovesTheBinThatFluctuatesAndKeepsTheSteadyOne() {
    // One row of three bins over four outputs: a bin alternating 0.2, 0.8 (F = 1.8), a
    // steady one (F = 0), one that moves once by 0.1 (F = 0.1). By the maximum, F̂ is
    // 1, 0, 0.1 / 1.8; the mask max(0.1, 1 − F̂) is the floor, 1, and 1 − 1/18.
    var accumulator = FluctuationAccumulator(rows: 1, frames: 3)
    for (a, c) in [(0.2, 0.5), (0.8, 0.6), (0.2, 0.6), (0.8, 0.6)] as [(Float, Float)] {
      accumulator.add([a, 0.5, c])
    }
    let mask = accumulator.speechMask(normalisedBy: .maximum, floor: 0.1)
    expectClose(mask, [0.1, 1, 1 - 1 / 18], tolerance: 1e-6, "mask")
  }

  @Test func rowMaximumPutsEachFrequencyOnItsOwnScale() {
    // Row 0 moves by 2 and 1, row 1 by 0.1 and 0.05: by the whole image's maximum row 1 is
    // nearly steady (0.05, 0.025); by its own maximum it is 1 and 0.5.
    var accumulator = FluctuationAccumulator(rows: 2, frames: 2)
    accumulator.add([0, 0, 0, 0])
    accumulator.add([2, 1, 0.1, 0.05])
    expectClose(accumulator.normalised(by: .maximum), [1, 0.5, 0.05, 0.025], tolerance: 1e-6)
    expectClose(accumulator.normalised(by: .rowMaximum), [1, 0.5, 1, 0.5], tolerance: 1e-6)
  }

  @Test func oneOutputAloneRemovesNothing() {
    var accumulator = FluctuationAccumulator(rows: 2, frames: 2)
    accumulator.add([0.3, 0.9, 0.1, 0.4])
    for normaliser in FluctuationNormaliser.allCases {
      #expect(accumulator.speechMask(normalisedBy: normaliser, floor: 0.1) == [1, 1, 1, 1])
    }
  }

  @Test func theUntrainedNetworksMaskIsTheNoisyInputOrThePriorGainAlone() throws {
    // At iteration 0 no change has been seen: the mask alone gives back the noisy input (up
    // to the STFT's round trip), and the mask times the prior's gain is that gain, as the
    // ordinary trace scores it through chapter 6's reconstruction. A mask that starts at
    // the last iteration has seen one output there: the noisy input again.
    let clips = [110.0, 150].enumerated().map { i, pitch in
      SpeechClip(
        name: "voice \(i)",
        samples: voicedSignal(pitch: pitch...(pitch + 20), sampleRate: 16_000, count: 32_640))
    }
    let item = try EvaluationSet(clips: clips, targets: [0], snrs: [5]).items[0]
    var prior = PriorEnhancer()
    prior.domain = .power(exponent: 0.3)
    prior.model = .speechPlusNoise
    prior.gain = .modelWiener()
    prior.iterations = 4
    prior.evaluationInterval = 2
    let variants = [
      FluctuationVariant(normaliser: .maximum, from: 0, timesPriorGain: false),
      FluctuationVariant(normaliser: .maximum, from: 0, timesPriorGain: true),
      FluctuationVariant(normaliser: .rowMaximum, from: 4, timesPriorGain: false),
    ]
    let trace = try prior.fluctuationTrace(item, variants: variants)
    #expect(trace.iterations == [0, 2, 4])
    #expect(abs(trace.siSDRImprovement(gain: 0)[0]) < 1e-3)
    #expect(abs(trace.siSDRImprovement(gain: 2)[2]) < 1e-3)
    let ordinary = try prior.trace(item, gains: [prior.gain], rules: [])
    #expect(abs(trace.siSDR[1][0] - ordinary.siSDR[0][0]) < 1e-4)
    // Once the output has moved, the mask removes something.
    #expect(abs(trace.siSDRImprovement(gain: 0)[2]) > 1e-2)
  }

  @Test func aMasksCountIsOneWhereItHasSeenAChange() throws {
    // Evaluated at 0, 2 and 4, a mask accumulated from iteration 2 has seen a change only at
    // 4: whatever scores best, 4 is its count; a variant from iteration 4 is left out.
    let clips = [120.0, 160].enumerated().map { i, pitch in
      SpeechClip(
        name: "voice \(i)",
        samples: voicedSignal(pitch: pitch...(pitch + 20), sampleRate: 16_000, count: 32_640))
    }
    let items = try EvaluationSet(clips: clips, targets: [0, 1], snrs: [5]).items
    var prior = PriorEnhancer()
    prior.domain = .power(exponent: 0.3)
    prior.iterations = 4
    prior.evaluationInterval = 2
    let report = try FluctuationReport(
      prior, gain: .wienerGain(), selection: [items[0]], report: [items[1]],
      variants: [
        FluctuationVariant(normaliser: .maximum, from: 2, timesPriorGain: false),
        FluctuationVariant(normaliser: .maximum, from: 4, timesPriorGain: false),
      ])
    #expect(report.iterations == 4)
    #expect(report.rows.map(\.half) == ["selection", "report", "report", "report"])
    #expect(report.rows[0].kept == "4" && report.rows[2].kept == "4")
  }
}
