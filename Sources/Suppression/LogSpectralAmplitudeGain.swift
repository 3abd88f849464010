import Foundation

// The log-spectral-amplitude gain needs the exponential integral E1, which Foundation does not
// have: a power series where it converges fast (v ≤ 1), a continued fraction elsewhere, both
// to about 1e-15 relative.

// book: lsa-gain
/// The MMSE log-spectral-amplitude (LSA) gain of one value, capped at 1:
///
///     G(ξ, γ) = min( ξ / (1 + ξ) · exp(½ E1(v)),  1 ),    v = ξ γ / (1 + ξ)
///
/// With speech and noise independent complex Gaussians, a-priori SNR ξ and a-posteriori SNR γ
/// (as in `DecisionDirected`), `G |X|` is `exp E[ln A | X]`, the estimate of the speech
/// amplitude A that minimises the mean squared error of its logarithm, which is closer to what
/// the ear hears than the error of the amplitude itself. Since E1 > 0 the gain always lies above
/// the Wiener gain ξ / (1 + ξ) with the same ξ, the more so the smaller v: where v is large
/// (a strong value, `E1(v) < e^-v / v`) the two agree. Where γ is small the uncapped gain
/// exceeds 1 (at ξ = 1 for γ below about 0.34) and tends to infinity as γ → 0, which would
/// amplify a value that is weaker than the noise; the cap keeps such a value as it is.
///
/// Y. Ephraim, D. Malah, "Speech enhancement using a minimum mean-square error log-spectral
/// amplitude estimator", IEEE Trans. ASSP 33(2), 1985, https://doi.org/10.1109/TASSP.1985.1164550
/// - Parameters:
///   - priori: ξ ≥ 0, finite. ξ = 0 (no speech) gives 0.
///   - posterior: γ = |X|² / λ ≥ 0. γ = 0 with ξ > 0 gives the cap, 1.
/// - Returns: G in [0, 1].
public func logSpectralAmplitudeGain(priori: Double, posterior: Double) -> Double {
  precondition(priori >= 0 && priori.isFinite, "a-priori SNR \(priori) is not finite and ≥ 0")
  precondition(posterior >= 0, "a-posteriori SNR \(posterior) is negative or NaN")
  // BEGIN SOLUTION lsa-gain: min(ξ/(1 + ξ) · e^(½E1(v)), 1), v = ξγ/(1 + ξ); 0 at ξ = 0, 1 at γ = 0
  guard priori > 0 else { return 0 }
  let wiener = priori / (1 + priori)
  // exp(½ E1(0)) is infinite: the cap.
  guard posterior > 0 else { return 1 }
  return min(wiener * exp(0.5 * exponentialIntegral(wiener * posterior)), 1)
  // END SOLUTION
}
// book: end

/// The exponential integral `E1(v) = ∫_v^∞ e^-t / t dt` for v ≥ 0 (`+∞` at 0).
///
/// For v ≤ 1 the series `E1(v) = -γ_E - ln v - Σ_{n≥1} (-v)ⁿ / (n · n!)` (γ_E Euler's
/// constant); for v > 1 the continued fraction
/// `E1(v) = e^-v / (v + 1 - 1² / (v + 3 - 2² / (v + 5 - …)))`, evaluated by the modified
/// Lentz method (W. H. Press et al., *Numerical Recipes*, 3rd ed., §6.3). Abramowitz and Stegun,
/// *Handbook of Mathematical Functions*, 5.1.11 and 5.1.22.
/// - Returns: E1(v), within a few units of 1e-15 relative; 0 where e^-v underflows.
public func exponentialIntegral(_ v: Double) -> Double {
  precondition(v >= 0, "E1 of \(v): the argument must be ≥ 0")
  if v == 0 { return .infinity }
  if v.isInfinite { return 0 }
  if v <= 1 {
    let eulerGamma = 0.577_215_664_901_532_860_6
    // term = (-v)ⁿ / n!; the terms fall faster than 1 / n!, 18 of them reach 1e-17.
    var sum = 0.0
    var term = 1.0
    for n in 1...40 {
      term *= -v / Double(n)
      let next = term / Double(n)
      sum += next
      if abs(next) < 1e-17 * abs(sum) { break }
    }
    return -eulerGamma - log(v) - sum
  }
  // Lentz: h is the continued fraction so far, c and d the ratios of its numerators and
  // denominators; a huge c stands for the first numerator's 1 / 0.
  var b = v + 1
  var c = 1 / Double.leastNormalMagnitude
  var d = 1 / b
  var h = d
  for i in 1...300 {
    let a = -Double(i * i)
    b += 2
    d = 1 / (a * d + b)
    c = b + a / c
    let delta = c * d
    h *= delta
    if abs(delta - 1) < 1e-16 { break }
  }
  return h * exp(-v)
}

/// The log-spectral-amplitude gain as the rule of a decision-directed suppressor.
public enum LogSpectralAmplitudeRule: DecisionDirectedRule {
  public static var name: String { "LSA" }

  /// `logSpectralAmplitudeGain(priori:posterior:)`.
  public static func gain(priori: Double, posterior: Double) -> Double {
    logSpectralAmplitudeGain(priori: priori, posterior: posterior)
  }
}

/// The decision-directed log-spectral-amplitude estimator of Ephraim and Malah (1985): the
/// a-priori SNR of `DecisionDirected`, the gain of `logSpectralAmplitudeGain`.
public typealias DecisionDirectedLSA = DecisionDirected<LogSpectralAmplitudeRule>
