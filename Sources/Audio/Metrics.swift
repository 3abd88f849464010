import Foundation

// book: mix
/// The signal plus the noise scaled so that the mixture has the signal-to-noise ratio
/// `snrDB`: `signal + g · noise` with `10 log10(Σ signal² / Σ (g · noise)²) = snrDB`.
///
/// - Parameters:
///   - noise: at least as long as `signal`; its first `signal.count` samples are used.
/// - Throws: `AudioError.invalidArgument` when the noise is too short, or either signal is
///   silent (no gain can then reach the ratio).
public func mix(_ signal: [Float], _ noise: [Float], snrDB: Double) throws(AudioError)
  -> [Float]
{
  guard noise.count >= signal.count else {
    throw .invalidArgument(
      argument: "noise", reason: "\(noise.count) samples, the signal has \(signal.count)")
  }
  let noise = Array(noise.prefix(signal.count))
  guard energy(signal) > 0, energy(noise) > 0 else {
    throw .invalidArgument(argument: "mix", reason: "the signal or the noise is silent")
  }
  let gain = noiseGain(signal: signal, noise: noise, snrDB: snrDB)
  return zip(signal, noise).map { $0 + gain * $1 }
}

/// The factor `g` that puts `noise` at `snrDB` below `signal`: the one for which
/// `10 log10(Σ signal² / Σ (g · noise)²) = snrDB`.
public func noiseGain(signal: [Float], noise: [Float], snrDB: Double) -> Float {
  // BEGIN SOLUTION noise-gain: scaling by g scales the noise's power by g²; solve for g
  let ratio = energy(signal) / energy(noise)
  return Float((ratio / pow(10, snrDB / 10)).squareRoot())
  // END SOLUTION
}
// book: end

// book: metrics
/// The signal-to-noise ratio of an estimate, in dB: `10 log10(Σ r² / Σ (r - e)²)`.
///
/// Everything that differs from the reference counts as noise, including a change of
/// loudness: an estimate at half the amplitude scores only 6 dB. `+∞` when they are equal.
///
/// - Throws: `AudioError.invalidArgument` when the lengths differ or are zero.
public func snr(reference: [Float], estimate: [Float]) throws(AudioError) -> Double {
  try checkSameLength(reference, estimate)
  let error = zip(reference, estimate).reduce(0.0) { sum, pair in
    let d = Double(pair.0) - Double(pair.1)
    return sum + d * d
  }
  return 10 * log10(energy(reference) / error)
}

/// The scale-invariant signal-to-distortion ratio, in dB.
///
/// The reference is first scaled to best match the estimate, `α = ⟨e, r⟩ / ⟨r, r⟩`, and only
/// what remains, `e - α r`, counts as distortion: `10 log10(‖α r‖² / ‖e - α r‖²)`. A louder or
/// quieter copy of the reference scores `+∞`; denoisers that change the level are not
/// penalised for it. No mean is removed (our signals have none to speak of).
/// See J. Le Roux et al., "SDR – half-baked or well done?", ICASSP 2019,
/// <https://arxiv.org/abs/1811.02508>.
///
/// - Throws: `AudioError.invalidArgument` when the lengths differ or are zero.
public func siSDR(reference: [Float], estimate: [Float]) throws(AudioError) -> Double {
  // BEGIN SOLUTION si-sdr: alpha = <e,r>/<r,r>; compare |alpha r|^2 with |e - alpha r|^2
  try checkSameLength(reference, estimate)
  var dot = 0.0
  for (r, e) in zip(reference, estimate) { dot += Double(r) * Double(e) }
  let alpha = dot / energy(reference)
  var target = 0.0
  var residual = 0.0
  for (r, e) in zip(reference, estimate) {
    let t = alpha * Double(r)
    target += t * t
    residual += (Double(e) - t) * (Double(e) - t)
  }
  return 10 * log10(target / residual)
  // END SOLUTION
}
// book: end

func checkSameLength(_ reference: [Float], _ estimate: [Float]) throws(AudioError) {
  guard reference.count == estimate.count, !reference.isEmpty else {
    throw .invalidArgument(
      argument: "estimate",
      reason: "\(estimate.count) samples, the reference \(reference.count); need equal, > 0")
  }
}
