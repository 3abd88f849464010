import Audio
import Foundation
import NN
import Prior
import Random
import Spectral
import Tensors
import Testing

@Suite("Chapter 6: the speech + noise model and its likelihood")
struct Chapter06SpeechPlusNoiseTests {
  @Test(.tags(.itakuraSaito)) func itakuraSaitoDivergenceIsItsClosedForms() {
    // D(P ‖ P) = 0; D(2M ‖ M) = 2 − log 2 − 1 = 1 − log 2 per bin, whatever M.
    var gradient: [Float] = []
    let model: [Float] = [0.5, 3, 40]
    #expect(itakuraSaitoDivergence(observed: model, model: model, gradient: &gradient) == 0)
    #expect(gradient == [0, 0, 0])
    let doubled = model.map { 2 * $0 }
    let d = itakuraSaitoDivergence(observed: doubled, model: model, gradient: &gradient)
    expectClose(d, 1 - log(2), tolerance: 1e-12, "D(2M ‖ M)")
  }

  @Test(.tags(.itakuraSaito)) func itakuraSaitoGradientMatchesCentralDifferences() {
    var generator = Xoshiro256(seed: 4)
    let observed = (0..<50).map { _ in Float(0.01 + 5 * generator.uniform()) }
    let model = (0..<50).map { _ in Float(0.01 + 5 * generator.uniform()) }
    var gradient: [Float] = []
    _ = itakuraSaitoDivergence(observed: observed, model: model, gradient: &gradient)
    // The divergence in Double, written out here, differentiated numerically.
    func divergence(_ m: [Double]) -> Double {
      zip(observed, m).reduce(0.0) { sum, pm in
        let r = Double(pm.0) / pm.1
        return sum + r - log(r) - 1
      } / Double(m.count)
    }
    let m = model.map(Double.init)
    let numerical = m.indices.map { i -> Double in
      let h = 1e-6 * m[i]
      var (up, down) = (m, m)
      up[i] += h
      down[i] -= h
      return (divergence(up) - divergence(down)) / (2 * h)
    }
    expectClose(gradient.map(Double.init), numerical, tolerance: 1e-4, relative: true, "∂D/∂M")
  }

  @Test(.tags(.itakuraSaito)) func expectedDivergenceOfTheRightModelIsEulersGamma() {
    // P = M · r with r exponential of mean 1: E[r − log r − 1] = γ. 200 000 draws: the
    // standard error is about sd(r − log r − 1)/√n ≈ 0.79/447 ≈ 0.0018.
    var generator = Xoshiro256(seed: 9)
    let n = 200_000
    let model = [Float](repeating: 3, count: n)
    let observed = (0..<n).map { _ in Float(-3 * log(1 - generator.uniform())) }
    var gradient: [Float] = []
    let d = itakuraSaitoDivergence(observed: observed, model: model, gradient: &gradient)
    expectClose(d, 0.577_215_664_9, tolerance: 0.006, "mean divergence (Euler's γ)")
    expectClose(eulerGamma, 0.577_215_664_901_532_9, tolerance: 1e-15, "γ")
  }

  /// White noise of known power under a steady voiced signal, 496 samples, nFFT 64, hop 16:
  /// 32 × 32 bins below Nyquist.
  private func smallTarget(noiseRMS: Float = 0.05) throws -> (FitTarget, clean: [Float]) {
    let clean = voicedSignal(sampleRate: 16_000, count: 496, amplitude: 0.5)
    let noise = whiteNoise(count: 496, rms: noiseRMS, seed: 21)
    let target = try FitTarget(
      noisy: zip(clean, noise).map { $0 + $1 }, domain: .power(exponent: 0.3),
      stft: STFT(nFFT: 64, hop: 16))
    return (target, clean)
  }

  @Test(arguments: [false, true])
  func modelGradientsMatchCentralDifferences(varyingInTime: Bool) throws {
    // ∂D/∂o through S = peak · o^(2/p), ∂D/∂ν through N = e^ν (and ∂D/∂τ through
    // N = e^(ν + τ)), against differences of the loss written out here in Double, over the
    // bins not held out.
    let (target, _) = try smallTarget()
    var model = try SpeechPlusNoiseModel(
      target: target, model: varyingInTime ? .speechPlusVaryingNoise : .speechPlusNoise)
    let heldOut = heldOutTiles(rows: model.rows, frames: model.frames, fraction: 0.3, seed: 2)
    model.heldOut = heldOut
    var generator = Xoshiro256(seed: 12)
    let output = (0..<target.image.count).map { _ in Float(0.05 + 0.9 * generator.uniform()) }
    if let tau = model.logFrameGain {
      tau.value = Tensor(
        (0..<model.frames).map { _ in Float(generator.uniform() - 0.5) }, shape: [model.frames])
    }
    let (_, outputGradient) = model.lossAndGradient(output)
    let noiseGradient = model.logNoisePower.grad!.scalars
    let nu = model.logNoisePower.value.scalars.map(Double.init)
    let tau = model.logFrameGain?.value.scalars.map(Double.init)
    func loss(_ o: [Double], _ nu: [Double], _ tau: [Double]? = nil) -> Double {
      var (sum, count) = (0.0, 0)
      for f in 0..<model.rows {
        for t in 0..<model.frames where !heldOut[f * model.frames + t] {
          let i = f * model.frames + t
          let noise = exp(nu[f] + (tau?[t] ?? 0))
          let m = Double(model.peakPower) * pow(o[i], Double(model.speechExponent)) + noise
          let r = Double(model.observed[i]) / m
          sum += r - log(r) - 1
          count += 1
        }
      }
      return sum / Double(count)
    }
    let o = output.map(Double.init)
    /// Expects `analytic[k]` to be the central difference of `f` in coordinate k of `x`.
    func expectCentralDifferences(
      _ analytic: [Float], of f: ([Double]) -> Double, at x: [Double], _ probes: [Int],
      _ what: String
    ) {
      for k in probes {
        let h = 1e-5
        var (up, down) = (x, x)
        up[k] += h
        down[k] -= h
        let numerical = (f(up) - f(down)) / (2 * h)
        expectClose(
          Double(analytic[k]), numerical, tolerance: 2e-3 * abs(numerical) + 1e-9, "\(what)[\(k)]")
      }
    }
    expectCentralDifferences(
      outputGradient, of: { loss($0, nu, tau) }, at: o, [0, 37, 500, 1023], "∂D/∂o")
    expectCentralDifferences(noiseGradient, of: { loss(o, $0, tau) }, at: nu, [0, 10, 31], "∂D/∂ν")
    if let tau, let frameGradient = model.logFrameGain?.grad?.scalars {
      expectCentralDifferences(
        frameGradient, of: { loss(o, nu, $0) }, at: tau, [0, 5, 31], "∂D/∂τ")
    }
  }

  @Test func modelStartsFromTheQuietFramesAndNeedsAPowerLawTarget() throws {
    let (target, _) = try smallTarget()
    let model = try SpeechPlusNoiseModel(target: target)
    // The quietest 10 % of 32 frames, rounded up, is the 4 frames of least total power; N
    // starts as each row's mean power over them, summed here by hand.
    let power = model.observed
    let frameEnergy = (0..<model.frames).map { t in
      (0..<model.rows).reduce(0.0) { $0 + Double(power[$1 * model.frames + t]) }
    }
    let quiet = frameEnergy.indices.sorted { frameEnergy[$0] < frameEnergy[$1] }.prefix(4)
    let expected = (0..<model.rows).map { f in
      Float(quiet.reduce(0.0) { $0 + Double(power[f * model.frames + $1]) } / 4)
    }
    expectClose(model.noisePower, expected, tolerance: 1e-4, relative: true, "initial N")
    let log1p = try FitTarget(noisy: target.noisy, domain: .log1p, stft: target.stft)
    #expect(throws: PriorError.self) { try SpeechPlusNoiseModel(target: log1p) }
  }

  @Test func boundedNoiseStartsAtItsFloorAndNeverFallsBelowIt() throws {
    let (target, _) = try smallTarget()
    let start = try SpeechPlusNoiseModel(target: target).noisePower
    let bounded = try SpeechPlusNoiseModel(target: target, model: .speechPlusBoundedNoise)
    expectClose(bounded.noisePower, start, tolerance: 1e-6, relative: true, "N at the start")
    // e^ν halved in the even rows and doubled in the odd ones: N = max(e^ν, floor) keeps the
    // floor in the even rows and follows ν in the odd ones, row by row.
    let nu = bounded.logNoisePower.value.scalars
    bounded.logNoisePower.value = Tensor(
      nu.indices.map { nu[$0] + ($0 % 2 == 0 ? -1 : 1) * log(2) }, shape: [nu.count])
    let expected = start.indices.map { $0 % 2 == 0 ? start[$0] : 2 * start[$0] }
    expectClose(bounded.noisePower, expected, tolerance: 1e-5, relative: true, "N after ν moves")
  }

  @Test(.tags(.fitLossBackward))
  func shortFitLowersTheDivergenceAndBeatsItsUntrainedControl() throws {
    // Known noise: white, 0.1 RMS under a 0.5-amplitude voiced signal. Twenty Adam steps of
    // the speech + noise fit must lower the divergence and give a model-Wiener output with a
    // higher SNR than the same gain from the untrained network (iteration 0). (This small
    // network peaks near 20 steps and then draws the noise: 5.7 dB at 20, 3.7 dB at 100.)
    let (target, clean) = try smallTarget(noiseRMS: 0.1)
    var fit = PriorFit()
    fit.iterations = 20
    fit.seed = 5
    fit.model = .speechPlusNoise
    fit.generator = try GeneratorConfiguration(height: 32, width: 32)
    fit.evaluationInterval = 20
    fit.reconstructions = [.modelWiener()]
    let result = try fit.run(target: target, clean: clean)
    #expect(
      result.losses.last! < 0.5 * result.losses.first!,
      "D \(result.losses.first!) → \(result.losses.last!)")
    let untrained = result.evaluations.first!.scores[.modelWiener()]!.snr
    let fitted = result.evaluations.last!.scores[.modelWiener()]!.snr
    #expect(
      fitted > untrained + 1, "model Wiener SNR: untrained \(untrained) dB, fitted \(fitted) dB")
    #expect(fitted > result.noisyScore!.snr, "noisy \(result.noisyScore!.snr) dB")
  }

  @Test func modelWienerGainNeedsTheModelsNoise() throws {
    let (target, _) = try smallTarget()
    #expect(throws: PriorError.self) { try target.gain(of: target.image, .modelWiener()) }
    // With S from the image itself and N = 0 (smallest positive), the gain is 1 almost
    // everywhere; with N = S it is 1/2 (within the floor).
    let speech = try target.magnitude(fromImage: target.image).map { $0 * $0 }
    let noise = (0..<target.rows).map { f in
      speech[f * target.frames]  // N[f] = S[f, 0]: the gain of frame 0 must be 1/2.
    }
    let gain = try target.gain(of: target.image, .modelWiener(floor: 0), noisePower: noise)
    for f in 0..<target.rows where speech[f * target.frames] > 0 {
      expectClose(gain[f * target.frames], 0.5, tolerance: 1e-5, "G[\(f), 0]")
    }
  }
}
