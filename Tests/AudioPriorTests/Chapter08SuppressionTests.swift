import Audio
import Denoising
import Foundation
import Random
import Spectral
import Suppression
import Testing

/// Simpson's rule over samples `f[0 ... n]` (n even) spaced `h` apart.
private func simpson(samples f: [Double], step h: Double) -> Double {
  let n = f.count - 1
  precondition(n > 0 && n % 2 == 0, "an even number of intervals")
  let inner = (1..<n).reduce(0.0) { $0 + f[$1] * ($1 % 2 == 1 ? 4 : 2) }
  return (f[0] + f[n] + inner) * h / 3
}

/// Simpson's rule for `f` over [a, b] with `intervals` (even) intervals.
private func simpson(_ a: Double, _ b: Double, intervals n: Int, _ f: (Double) -> Double)
  -> Double
{
  let h = (b - a) / Double(n)
  return simpson(samples: (0...n).map { f(a + Double($0) * h) }, step: h)
}

/// `∫_v^∞ e^-t / t dt` by quadrature: with t = v e^u (dt / t = du) it is `∫_0^∞ exp(-v e^u) du`,
/// a smooth integrand, cut where v e^u = v + 50 (the rest is below e^-50 of the whole).
private func exponentialIntegralByQuadrature(_ v: Double) -> Double {
  simpson(0, log((v + 50) / v), intervals: 20_000) { u in exp(-v * exp(u)) }
}

/// `ln I0(x)` by its power series `Σ_k (x² / 4)^k / (k!)²`.
private func logBesselI0(_ x: Double) -> Double {
  let q = x * x / 4
  var term = 1.0
  var sum = 1.0
  var k = 0.0
  repeat {
    k += 1
    term *= q / (k * k)
    sum += term
  } while term > 1e-17 * sum
  return log(sum)
}

/// The LSA gain from its definition, `exp E[ln A | R] / R`, with noise power 1, speech power ξ
/// and R = √γ: the posterior of the speech amplitude is `p(a | R) ∝ a e^{-a²(1 + ξ)/ξ} I0(2aR)`
/// (a Rayleigh prior times the Rician likelihood). Integrated over s = ln a, where the
/// integrand `a² e^{-a²(1 + ξ)/ξ} I0(2aR)` is smooth, by Simpson's rule.
private func logSpectralAmplitudeGainByIntegration(priori xi: Double, posterior gamma: Double)
  -> Double
{
  let r = gamma.squareRoot()
  let top = log(r + 10)
  let n = 4_000
  let s = (0...n).map { top - 25 + 25 * Double($0) / Double(n) }
  let logWeight = s.map { s in
    let a = exp(s)
    return 2 * s - a * a * (1 + xi) / xi + logBesselI0(2 * a * r)
  }
  // Scaled by the largest weight, which cancels in the ratio.
  let largest = logWeight.max()!
  let weight = logWeight.map { exp($0 - largest) }
  let h = 25 / Double(n)
  let meanLog =
    simpson(samples: zip(s, weight).map { $0 * $1 }, step: h) / simpson(samples: weight, step: h)
  return exp(meanLog) / r
}

/// A `[bins, frames]` periodogram of complex white Gaussian noise whose power in frame t is
/// `sigma2(t)`: each value `σ² (x² + y²) / 2` with x and y standard normal, exponentially
/// distributed with mean σ², all independent.
private func noiseSpectrogram(bins: Int, frames: Int, seed: UInt64, sigma2: (Int) -> Double)
  -> [Float]
{
  var random = Xoshiro256(seed: seed)
  var power = [Float](repeating: 0, count: bins * frames)
  for k in 0..<bins {
    for t in 0..<frames {
      let (x, y) = (random.normal(), random.normal())
      power[k * frames + t] = Float(sigma2(t) * (x * x + y * y) / 2)
    }
  }
  return power
}

/// The mean over `bins` of each frame's value, `[frames]`.
private func meanOverBins(_ x: [Float], bins: Range<Int>, frames: Int) -> [Double] {
  (0..<frames).map { t in
    bins.reduce(0.0) { $0 + Double(x[$1 * frames + t]) } / Double(bins.count)
  }
}

@Suite("Chapter 8: speech-presence noise tracking and the log-spectral-amplitude gain")
struct Chapter08SuppressionTests {
  // MARK: The exponential integral

  @Test(arguments: [1e-4, 1e-3, 0.01, 0.1, 0.5, 0.999, 1, 1.001, 2, 5, 10, 20, 30])
  func exponentialIntegralMatchesItsDefiningIntegral(v: Double) {
    let expected = exponentialIntegralByQuadrature(v)
    expectClose(exponentialIntegral(v) / expected, 1, tolerance: 1e-11, "E1(\(v)) / quadrature")
  }

  @Test func exponentialIntegralMatchesPublishedValues() {
    // Abramowitz and Stegun, table 5.1, to 16 digits as mpmath's arbitrary-precision e1 gives
    // them.
    expectClose(exponentialIntegral(1), 0.219_383_934_395_520_3, tolerance: 1e-15)
    expectClose(exponentialIntegral(0.1), 1.822_923_958_419_390_7, tolerance: 1e-14)
    expectClose(exponentialIntegral(10) / 4.156_968_929_685_324e-6, 1, tolerance: 1e-14)
    #expect(exponentialIntegral(0) == .infinity)
    #expect(exponentialIntegral(800) == 0)
  }

  @Test(arguments: [0.05, 0.3, 1, 1.5, 3, 8, 25, 60])
  func exponentialIntegralLiesWithinItsClosedFormBounds(v: Double) {
    // A&S 5.1.20: ½ e^-v ln(1 + 2/v) < E1(v) < e^-v ln(1 + 1/v).
    let e1 = exponentialIntegral(v)
    #expect(e1 > 0.5 * exp(-v) * log(1 + 2 / v))
    #expect(e1 < exp(-v) * log(1 + 1 / v))
  }

  // MARK: The log-spectral-amplitude gain

  @Test(
    .tags(.lsaGain),
    arguments: [
      (1.0, 2.0), (0.1, 5), (5, 1), (10, 10), (0.5, 0.5), (0.1, 0.5), (3, 20),
    ])
  func logSpectralAmplitudeGainIsTheExpLogPosteriorMean(priori: Double, posterior: Double) {
    let expected = logSpectralAmplitudeGainByIntegration(priori: priori, posterior: posterior)
    #expect(expected < 1, "a case below the cap")
    expectClose(
      logSpectralAmplitudeGain(priori: priori, posterior: posterior), expected, tolerance: 1e-9,
      "G(\(priori), \(posterior))")
  }

  @Test(.tags(.lsaGain)) func logSpectralAmplitudeGainTendsToOneForStrongSpeech() {
    // γ = 1 + ξ (the expected γ for speech of a-priori SNR ξ), so v = ξ: G = ξ/(1 + ξ) e^{½E1(ξ)}
    // lies above the Wiener gain and, as ½ E1(ξ) < e^-ξ, by less than e^-ξ: 1 - G → 1/(1 + ξ)
    // (to rounding, once e^-ξ is below it).
    for xi in [10.0, 100, 1_000, 10_000] {
      let g = logSpectralAmplitudeGain(priori: xi, posterior: 1 + xi)
      #expect(g < 1, "ξ = \(xi)")
      expectClose(1 - g, 1 / (1 + xi), tolerance: exp(-xi) + 1e-15, "1 - G at ξ = \(xi)")
      #expect(g >= xi / (1 + xi), "ξ = \(xi): not below the Wiener gain")
    }
    #expect(logSpectralAmplitudeGain(priori: 1e6, posterior: 1e6 + 1) > 1 - 1e-5)
  }

  @Test(.tags(.lsaGain), arguments: [(1.0, 12.0), (0.3, 40), (4, 8), (20, 3)])
  func logSpectralAmplitudeGainApproachesWienerForLargeV(priori: Double, posterior: Double) {
    // G / Wiener = exp(½ E1(v)) - 1 lies within [½ E1_low, ½ E1_high · e^{½ E1_high}] by the
    // bounds of E1 and e^x - 1 ≤ x e^x.
    let wiener = priori / (1 + priori)
    let v = wiener * posterior
    let ratio = logSpectralAmplitudeGain(priori: priori, posterior: posterior) / wiener - 1
    let (low, high) = (0.5 * exp(-v) * log(1 + 2 / v), exp(-v) * log(1 + 1 / v))
    #expect(ratio > 0.5 * low && ratio < 0.5 * high * exp(0.5 * high))
    #expect(ratio < 1e-2, "v = \(v): within 1 % of Wiener")
  }

  @Test(.tags(.lsaGain)) func logSpectralAmplitudeGainIsCappedWhereItWouldAmplify() {
    // ξ = 1, γ = 0.1: v = 0.05, ½ · ½ e^{-0.05} ln(41) is already above ln 2, so G > 1 uncapped.
    #expect(0.25 * exp(-0.05) * log(41) > log(2))
    #expect(logSpectralAmplitudeGain(priori: 1, posterior: 0.1) == 1)
    #expect(logSpectralAmplitudeGain(priori: 1, posterior: 0) == 1)
    #expect(logSpectralAmplitudeGain(priori: 0, posterior: 3) == 0)
  }

  // MARK: The decision-directed gains

  @Test(.tags(.lsaGain)) func decisionDirectedLSAFeedsBackTheGainItApplied() {
    // λ = 1, |X|² = 4, 1, 9, α = 0.98, ξ_min = 0.01; L(ξ, γ) is the LSA gain by integration.
    // t0: ξ = γ - 1 = 3, G0 = L(3, 4).
    // t1: ξ = 0.98 · G0² · 4 + 0.02 · 0, G1 = L(ξ1, 1).
    // t2: ξ = 0.98 · G1² · 1 + 0.02 · 8, G2 = L(ξ2, 9).
    let g0 = logSpectralAmplitudeGainByIntegration(priori: 3, posterior: 4)
    let xi1 = 0.98 * g0 * g0 * 4
    let g1 = logSpectralAmplitudeGainByIntegration(priori: xi1, posterior: 1)
    let xi2 = 0.98 * g1 * g1 + 0.16
    let g2 = logSpectralAmplitudeGainByIntegration(priori: xi2, posterior: 9)
    let gain = DecisionDirectedLSA(smoothing: 0.98, minimumPrioriSNR: 0.01)
      .gain(power: [4, 1, 9], noisePower: [1], bins: 1, frames: 3)
    expectClose(gain, [Float(g0), Float(g1), Float(g2)], tolerance: 1e-6)
  }

  // MARK: Speech-presence noise tracking

  @Test(.tags(.sppNoiseUpdate)) func speechPresenceTrackerMatchesAHandWorkedSpectrogram() {
    // ξ_H1 = 10^1.5, P(H1) = 0.5, α = 0.8; β = 0.1 so that P̄ passes 0.99 within three frames.
    // c = ξ_H1 / (1 + ξ_H1) = 0.969347, 1 + ξ_H1 = 32.6228, P(γ) = 1 / (1 + 32.6228 e^{-cγ}).
    // Bin 0, |Y|² = 1, 3, 0, λ before = 2, P̄ = 0.5:
    //   t0: γ = 0.5, P0 = P(0.5) = 0.04741, P̄ = 0.05 + 0.9 P0 = 0.0927;
    //       E = (1 - P0) · 1 + P0 · 2 = 1 + P0, λ0 = 0.8 · 2 + 0.2 (1 + P0) = 1.8095
    //   t1: γ = 3 / λ0 = 1.6579, P1 = P(γ) = 0.1326, P̄ = 0.1287;
    //       E = (1 - P1) · 3 + P1 λ0 = 2.8421, λ1 = 0.8 λ0 + 0.2 E = 2.0160
    //   t2: γ = 0, P2 = 1 / (1 + 32.6228) = 1 / (2 + ξ_H1) = 0.02974, P̄ = 0.0396;
    //       E = P2 λ1, λ2 = λ1 (0.8 + 0.2 P2) = 1.6248
    // Bin 1, |Y|² = 1, 100, 100, λ before = 1:
    //   t0: γ = 1, P0 = P(1) = 0.07477, P̄ = 0.05 + 0.9 P0 = 0.1173; E = 1, λ0 = 1
    //   t1: γ = 100, P = 1 - 33 e^-97 = 1 in Double, P̄ = 0.1 · 0.1173 + 0.9 = 0.9117 ≤ 0.99;
    //       E = λ0 = 1: the noise does not move for a value that is surely speech; λ1 = 1
    //   t2: γ = 100, P̄ = 0.1 · 0.9117 + 0.9 = 0.9912 > 0.99, so P is held at 0.99:
    //       E = 0.01 · 100 + 0.99 · 1 = 1.99, λ2 = 0.8 + 0.2 · 1.99 = 1.198
    var tracker = SpeechPresenceNoiseTracker()
    tracker.noiseSmoothing = 0.8
    tracker.presenceSmoothing = 0.1
    let c = pow(10, 1.5) / (1 + pow(10, 1.5))
    let p = { (gamma: Double) in 1 / (1 + (1 + pow(10, 1.5)) * exp(-c * gamma)) }
    let lambda00 = 1.8 + 0.2 * p(0.5)
    let gamma01 = 3 / lambda00
    let lambda01 = 0.8 * lambda00 + 0.2 * ((1 - p(gamma01)) * 3 + p(gamma01) * lambda00)
    let lambda02 = lambda01 * (0.8 + 0.2 / (2 + pow(10, 1.5)))
    let expected = [lambda00, lambda01, lambda02, 1, 1, 1.198].map { Float($0) }
    let noise = tracker.noisePower([1, 3, 0, 1, 100, 100], bins: 2, frames: 3, initial: [2, 1])
    expectClose(noise, expected, tolerance: 1e-6)
    // The closed forms agree with the rounded numbers above.
    expectClose([lambda00, lambda01, lambda02], [1.8095, 2.0160, 1.6248], tolerance: 1e-4)
  }

  @Test(.tags(.sppNoiseUpdate)) func speechPresenceTrackerStartsFromTheMeanOfTheFirstFrames() {
    // Five frames of 2 and a sixth of 8: without an initial estimate it starts from 2 (the
    // first five), exactly as when 2 is passed in.
    let power: [Float] = [2, 2, 2, 2, 2, 8]
    let tracker = SpeechPresenceNoiseTracker()
    expectClose(
      tracker.noisePower(power, bins: 1, frames: 6),
      tracker.noisePower(power, bins: 1, frames: 6, initial: [2]), tolerance: 0)
    // A constant power equal to the start never moves: γ = 1 gives E = (1 - P) λ + P λ = λ.
    expectClose(
      Array(tracker.noisePower(power, bins: 1, frames: 6).prefix(5)), [2, 2, 2, 2, 2],
      tolerance: 1e-6)
  }

  @Test(.tags(.sppNoiseUpdate))
  func speechPresenceTrackerSettlesAtItsFixedPointOnStationaryNoise() {
    // The fixed point: λ = E[(1 - P(γ)) |Y|² + P(γ) λ] with |Y|² ~ Exp(σ²), i.e. with r = σ²/λ,
    // 1 = ∫ ((1 - P(g)) g + P(g)) e^{-g/r} / r dg, solved by bisection. It ignores that λ
    // itself fluctuates, so the tracker may lie a few percent off it.
    let tracker = SpeechPresenceNoiseTracker()
    func expectedUpdate(_ r: Double) -> Double {
      simpson(0, 60 * r, intervals: 20_000) { g in
        let p = tracker.speechPresence(posterior: g)
        return ((1 - p) * g + p) * exp(-g / r) / r
      }
    }
    var (low, high) = (1.0, 2.0)
    for _ in 0..<60 {
      let mid = (low + high) / 2
      if expectedUpdate(mid) < 1 { low = mid } else { high = mid }
    }
    let fixedPoint = 1 / low
    #expect(abs(fixedPoint - 0.81) < 0.01, "λ / σ² at the fixed point: \(fixedPoint)")
    let (bins, frames, sigma2) = (64, 1_500, 3.0)
    let power = noiseSpectrogram(bins: bins, frames: frames, seed: 11) { _ in sigma2 }
    let start = [Float](repeating: Float(sigma2), count: bins)
    let noise = tracker.noisePower(power, bins: bins, frames: frames, initial: start)
    let settled = meanOverBins(noise, bins: 0..<bins, frames: frames).dropFirst(300)
    let ratio = settled.reduce(0, +) / Double(settled.count) / sigma2
    #expect(abs(ratio / fixedPoint - 1) < 0.05, "λ / σ² = \(ratio), fixed point \(fixedPoint)")
    #expect(ratio > 0.75 && ratio < 1, "within 25 % of σ², and below it")
  }

  @Test(.tags(.sppNoiseUpdate)) func speechPresenceTrackerFollowsANoiseStepWithinABoundedDelay() {
    // σ² = 1 for 300 frames, then 10 (+10 dB). Measured (seed 12, 64 bins): the mean over bins
    // is 3 dB below the new power (5) after about 60 frames (0.5 s at the 8 ms hop); pinned:
    // within 100 frames, and not before 10 (the speech presence holds it back at first).
    // After a step back down to 1 it is within 1 dB (1.26) after about 30 frames; pinned: 50.
    let (bins, frames) = (64, 900)
    let level = { (t: Int) in t >= 300 && t < 600 ? 10.0 : 1 }
    let power = noiseSpectrogram(bins: bins, frames: frames, seed: 12, sigma2: level)
    let tracker = SpeechPresenceNoiseTracker()
    let mean = meanOverBins(
      tracker.noisePower(power, bins: bins, frames: frames), bins: 0..<bins, frames: frames)
    let up = mean[300...].firstIndex { $0 > 5 }.map { $0 - 300 } ?? frames
    let down = mean[600...].firstIndex { $0 < pow(10, 0.1) }.map { $0 - 600 } ?? frames
    #expect(up > 10 && up <= 100, "frames to within 3 dB of a 10 dB rise: \(up)")
    #expect(down <= 50, "frames to within 1 dB of a 10 dB fall: \(down)")
  }

  @Test(.tags(.sppNoiseUpdate)) func speechPresenceTrackerBarelyRisesInASpeechBurst() {
    // Bins 20 ..< 30 are 30 dB louder in frames 100 ..< 140 (320 ms, a syllable's tone). The
    // tracked power there stays near its level before the burst: the mean over those bins
    // never exceeds 1.2 times its value at frame 99, no value 3 σ².
    let (bins, frames) = (64, 300)
    var power = noiseSpectrogram(bins: bins, frames: frames, seed: 13) { _ in 1 }
    for k in 20..<30 { for t in 100..<140 { power[k * frames + t] *= 1_000 } }
    let noise = SpeechPresenceNoiseTracker().noisePower(power, bins: bins, frames: frames)
    let mean = meanOverBins(noise, bins: 20..<30, frames: frames)
    #expect(mean[100..<150].max()! < 1.2 * mean[99], "before \(mean[99]), in \(mean[100..<150])")
    let burst = (20..<30).flatMap { k in (100..<150).map { noise[k * frames + $0] } }
    #expect(burst.max()! < 3, "largest tracked value \(burst.max()!)")
  }

  // MARK: The enhancers

  @Test(arguments: ["DD LSA", "SPP + DD Wiener", "SPP + DD LSA"])
  func classicalEnhancerGivesOneFiniteGainInTheUnitIntervalPerValue(name: String) throws {
    let clean = syllables(count: 32_640)
    let noisy = try mix(clean, whiteNoise(count: clean.count, seed: 21), snrDB: 5)
    let spectrogram = try STFT(nFFT: 512, hop: 128)(noisy)
    let tracker = name.hasPrefix("SPP") ? SpeechPresenceNoiseTracker() : nil
    let enhancer: any Enhancer =
      name.hasSuffix("LSA")
      ? DecisionDirectedLSA(noiseTracker: tracker) : DecisionDirectedWiener(noiseTracker: tracker)
    #expect(enhancer.name == name)
    let gain = try enhancer.gain(for: NoisySegment(samples: noisy, spectrogram: spectrogram)) {
      _ in
    }
    #expect(gain.count == spectrogram.bins * spectrogram.frames)
    #expect(gain.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    // Not trivially 0 or 1: the noise is suppressed somewhere, the speech kept somewhere.
    #expect(gain.min()! < 0.2 && gain.max()! > 0.9)
  }
}
