import Foundation
import Random

/// Where Griffin–Lim's phase starts.
public enum InitialPhase: Equatable, Sendable {
  /// Every phase 0: a deterministic start, symmetric in time within each frame.
  case zero
  /// Phases uniform in [-π, π), from a seeded generator: the same seed, the same result.
  case random(seed: UInt64)
  /// Given phases in radians, `[bins, frames]` row-major (e.g. those of a noisy recording).
  case given([Float])
}

/// What Griffin–Lim returns.
public struct GriffinLimResult: Equatable, Sendable {
  /// The final estimate, `[length]` samples.
  public var signal: [Float]
  /// Spectral convergence `‖ |STFT(xᵢ)| - M ‖ / ‖M‖` of the estimate after i iterations,
  /// i = 0 … iterations (entry 0 is the starting phase, before any iteration).
  public var spectralConvergence: [Float]
}

/// `‖ estimate - target ‖₂ / ‖ target ‖₂` over all values: 0 when the magnitudes agree, 1 for
/// an all-zero estimate. Sums in Double.
///
/// Sturmel, Daudet, "Signal reconstruction from STFT magnitude: a state of the art",
/// DAFx 2011.
public func spectralConvergence(of estimate: [Float], to target: [Float]) -> Float {
  // BEGIN SOLUTION spectral-convergence (chapter 2): sqrt(sum (e-t)^2) / sqrt(sum t^2) in Double
  precondition(estimate.count == target.count, "\(estimate.count) vs \(target.count) values")
  var difference = 0.0
  var norm = 0.0
  for (e, t) in zip(estimate, target) {
    difference += Double(e - t) * Double(e - t)
    norm += Double(t) * Double(t)
  }
  return norm > 0 ? Float((difference / norm).squareRoot()) : (difference > 0 ? .infinity : 0)
  // END SOLUTION
}

extension STFT {
  // book: griffin-lim
  /// A signal whose STFT magnitude approaches `magnitude`, by Griffin–Lim: alternate between
  /// the spectrograms with the wanted magnitude and the spectrograms of actual signals,
  ///
  ///     xᵢ₊₁ = iSTFT( M · e^(i·arg STFT(xᵢ)) ),
  ///
  /// keeping each time the phase of the last estimate. With the least-squares inverse the
  /// inconsistency ‖ |STFT(xᵢ)| - M ‖ cannot grow from one iteration to the next, but it
  /// stalls in a local minimum: the magnitude alone does not pin the phase down.
  ///
  /// Griffin, Lim, IEEE Trans. ASSP 32(2), 1984. https://doi.org/10.1109/TASSP.1984.1164317
  ///
  /// - Parameters:
  ///   - magnitude: the target M = |X|, `[bins, frameCount(length)]` row-major.
  ///   - length: samples of the signal to find.
  ///   - iterations: projections to run (0 returns the starting estimate).
  ///   - initialPhase: where the phase starts.
  ///   - onIteration: called with (i, xᵢ) for i = 0 … iterations, e.g. to measure each estimate.
  /// - Throws: `SpectralError.storageMismatch` when `magnitude` (or a given phase) does not
  ///   hold `bins · frameCount(length)` values, `.negativeCount`, `.signalTooShort`.
  public func griffinLim(
    magnitude: [Float], length: Int, iterations: Int, initialPhase: InitialPhase = .zero,
    onIteration: (_ iteration: Int, _ signal: [Float]) -> Void = { _, _ in }
  ) throws(SpectralError) -> GriffinLimResult {
    guard iterations >= 0 else { throw .negativeCount(what: "iterations", value: iterations) }
    guard length > padding else {
      throw .signalTooShort(length: length, padding: padding, nFFT: nFFT)
    }
    let frames = frameCount(length: length)
    guard magnitude.count == bins * frames else {
      throw .storageMismatch(
        what: "magnitude", count: magnitude.count, bins: bins, frames: frames)
    }
    var phase: [Float]
    switch initialPhase {
    case .zero:
      phase = [Float](repeating: 0, count: magnitude.count)
    case .random(let seed):
      var generator = Xoshiro256(seed: seed)
      phase = (0..<magnitude.count).map { _ in Float(generator.uniform(-.pi, .pi)) }
    case .given(let given):
      phase = given
    }
    var signal = try inverse(
      Spectrogram(magnitude: magnitude, phase: phase, bins: bins, frames: frames),
      length: length)
    var convergence: [Float] = []
    for i in 0...iterations {
      onIteration(i, signal)
      let estimate = try self(signal)
      convergence.append(spectralConvergence(of: estimate.magnitude, to: magnitude))
      if i == iterations { break }
      signal = try inverse(
        Spectrogram(magnitude: magnitude, phase: estimate.phase, bins: bins, frames: frames),
        length: length)
    }
    return GriffinLimResult(signal: signal, spectralConvergence: convergence)
  }
  // book: end
}
