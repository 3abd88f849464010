import Autograd
import Foundation
import Suppression
import Tensors

// book: speech-plus-noise
/// The noisy power spectrogram as the sum of two parts, fitted together by the Itakura–Saito
/// divergence: speech drawn by the generator, and noise with one power per frequency.
///
///     P[f, t] ≈ M[f, t] = S[f, t] + N[f],    S = (max |Y|)² · o^(2/p),    N[f] = e^ν[f]
///
/// o is the generator's output in (0, 1) and p the target's power-law exponent on the
/// magnitude (S is the square of the magnitude `target.magnitude(fromImage: o)` stands for).
/// ν, the log of the noise power, is a parameter learnt with the network's, starting from the
/// quietest frames' estimate; the logarithm keeps N positive whatever Adam does to it.
/// Because the model has its own place for the noise, the generator is not asked to draw it:
/// a good fit puts the speech in S and the stationary floor in N, and `S / (S + N)` is then
/// a gain that removes the floor instead of passing half of it.
public struct SpeechPlusNoiseModel {
  /// P, the noisy power of the target's rows, `[rows, frames]`.
  public let observed: [Float]
  /// (max |Y|)², the power of an output value of 1.
  public let peakPower: Float
  /// 2/p: S = peakPower · o^speechExponent.
  public let speechExponent: Float
  public let rows: Int
  public let frames: Int
  /// ν = log N, `[rows]`, the parameter Adam updates beside the network's.
  public let logNoisePower: Variable

  /// The model of `target`, its noise starting from the quietest 10 % of frames.
  /// - Throws: `PriorError.invalidArgument` unless the target's domain is a power law.
  public init(target: FitTarget) throws(PriorError) {
    guard case .power(let scaling) = target.scaling else {
      throw .invalidArgument(
        argument: "domain", reason: "the speech + noise model needs a power-law target")
    }
    rows = target.rows
    frames = target.frames
    observed = target.noisyMagnitude.prefix(rows * frames).map { $0 * $0 }
    peakPower = scaling.maximum * scaling.maximum
    speechExponent = 2 / scaling.exponent
    let quiet = quietestFramesNoisePower(power: observed, bins: rows, frames: frames)
    // A bin that is silent in every quiet frame still needs a positive noise power.
    let smallest = Float.leastNormalMagnitude * 1e6
    logNoisePower = Variable(Tensor(quiet.map { log(max($0, smallest)) }, shape: [rows]))
  }

  /// N[f] = e^ν[f], `[rows]`.
  public var noisePower: [Float] { logNoisePower.value.scalars.map { exp($0) } }

  /// S = peakPower · o^(2/p), `[rows, frames]`.
  public func speechPower(_ output: [Float]) -> [Float] {
    output.map { peakPower * pow(max($0, 0), speechExponent) }
  }

  /// D(P ‖ S + N) for an output, and its gradient: returns ∂D/∂o and sets ν's gradient.
  ///
  ///     ∂D/∂o[f, t] = ∂D/∂M · (2/p) · S / o,     ∂D/∂ν[f] = Σ_t ∂D/∂M[f, t] · N[f]
  ///
  /// - Parameter output: o, `[rows, frames]`.
  /// - Returns: the divergence and ∂D/∂o, `[rows, frames]`.
  public func lossAndGradient(_ output: [Float]) -> (loss: Double, outputGradient: [Float]) {
    let (speech, noise) = (speechPower(output), noisePower)
    var model = speech
    for f in 0..<rows { for t in 0..<frames { model[f * frames + t] += noise[f] } }
    var gradient: [Float] = []
    let loss = itakuraSaitoDivergence(observed: observed, model: model, gradient: &gradient)
    var outputGradient = gradient
    var noiseGradient = [Float](repeating: 0, count: rows)
    for f in 0..<rows {
      var sum = 0.0
      for t in 0..<frames {
        let i = f * frames + t
        sum += Double(gradient[i])
        outputGradient[i] = output[i] > 0 ? gradient[i] * speechExponent * speech[i] / output[i] : 0
      }
      noiseGradient[f] = Float(sum) * noise[f]
    }
    logNoisePower.grad = Tensor(noiseGradient, shape: [rows])
    return (loss, outputGradient)
  }
}
// book: end
