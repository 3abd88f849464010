import Foundation

// book: itakura-saito
/// The Itakura–Saito divergence of a model power spectrogram M from an observed one P, per
/// bin and averaged:
///
///     D(P ‖ M) = (1/n) Σ ( P/M − log(P/M) − 1 ),     ∂D/∂M = (1/n) (1/M − P/M²)
///
/// If a bin of a noisy STFT is a complex Gaussian with power M, its periodogram P = |Y|² is
/// exponentially distributed with mean M, and its negative log-likelihood is
/// `log M + P/M`: the same as D's term up to a constant that does not depend on M. So the
/// divergence is the loss that fitting a power spectrogram by maximum likelihood asks for.
/// Each term is 0 when M = P and grows with the ratio P/M, not the difference: a quiet bin
/// missed by 10 dB costs as much as a loud one missed by 10 dB.
/// F. Itakura, S. Saito, "Analysis synthesis telephony based on the maximum likelihood
/// method", 1968; C. Févotte, N. Bertin, J.-L. Durrieu, "Nonnegative matrix factorization
/// with the Itakura-Saito divergence", Neural Computation 21(3), 2009.
/// - Parameters:
///   - observed: P, any layout, positive (a noisy recording's periodogram).
///   - model: M, the same layout, positive.
///   - gradient: filled with ∂D/∂M, `[model.count]`.
///   - counted: the bins that count (nil: all); the mean is over them, and the others get a
///     gradient of 0.
/// - Returns: D, summed in Double.
public func itakuraSaitoDivergence(
  observed: [Float], model: [Float], gradient: inout [Float], counted: [Bool]? = nil
) -> Double {
  precondition(observed.count == model.count, "P and M differ in size")
  precondition(counted == nil || counted!.count == model.count, "mask and M differ in size")
  // BEGIN SOLUTION itakura-saito: (1/n) Σ (r − log r − 1), r = P/M, n counted; ∂D/∂M = (1 − r)/nM
  gradient = [Float](repeating: 0, count: model.count)
  let count = counted.map { $0.lazy.filter { $0 }.count } ?? model.count
  let scale = 1 / Double(max(count, 1))
  var sum = 0.0
  for i in model.indices where counted?[i] ?? true {
    let (p, m) = (Double(observed[i]), Double(model[i]))
    let ratio = p / m
    // P = 0 (exact digital silence) would make the log infinite: such a bin counts at the
    // smallest positive ratio, large but finite, and its gradient still pulls M down.
    sum += ratio - log(max(ratio, .leastNormalMagnitude)) - 1
    gradient[i] = Float(scale * (1 - ratio) / m)
  }
  return sum * scale
  // END SOLUTION
}
// book: end

/// The expected Itakura–Saito term of a bin whose model is right: with P/M exponentially
/// distributed with mean 1, E[r − log r − 1] = 1 − E[log r] − 1 = γ, Euler's constant. A fit
/// whose mean divergence falls below it explains more than the model's noise allows.
public let eulerGamma = 0.577_215_664_901_532_9
