import Audio
import Denoising
import Foundation
import Spectral
import Suppression
import Testing

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

@Suite("Chapter 8: the log-spectral-amplitude gain and the enhancers built on it")
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
