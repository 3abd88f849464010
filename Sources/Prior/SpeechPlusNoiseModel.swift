import Autograd
import Foundation
import Suppression
import Tensors

// book: speech-plus-noise
/// The noisy power spectrogram as the sum of two parts, fitted together by the Itakura–Saito
/// divergence: speech drawn by the generator, and noise with one power per frequency (with,
/// as options, a level per frame, `logFrameGain`, or a floor, `noiseFloor`).
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
  /// τ, the log of a gain on the noise per frame, `[frames]`, starting at 0, when the noise
  /// may vary in time: N[f, t] = e^(ν[f] + τ[t]), a spectrum of fixed shape whose level
  /// follows the recording (nil: N[f] alone).
  public let logFrameGain: Variable?

  /// The least noise power, `[rows]` or `[rows, frames]` (nil: none): the model's noise is
  /// `max(e^ν, floor)`, so that the generator cannot explain the noise away as speech below
  /// what a classical estimate already attributes to noise.
  public var noiseFloor: [Float]? = nil
  /// Bins left out of the fit, `[rows, frames]` (nil: none): their divergence is watched, not
  /// minimised, and tells when the fit starts to draw what it cannot predict.
  public var heldOut: [Bool]? = nil

  /// The parameters Adam updates beside the network's, named.
  public var parameters: [(name: String, variable: Variable)] {
    [("log noise power", logNoisePower)] + (logFrameGain.map { [("log noise gain", $0)] } ?? [])
  }

  /// The model of `target`, its noise starting from the quietest 10 % of frames.
  /// - Throws: `PriorError.invalidArgument` unless the target's domain is a power law.
  public init(target: FitTarget, varyingInTime: Bool = false) throws(PriorError) {
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
    logFrameGain = varyingInTime ? Variable(Tensor.zeros([frames])) : nil
  }

  /// N = e^ν, `[rows]`, or e^(ν[f] + τ[t]), `[rows, frames]`, when the noise varies in time.
  public var noisePower: [Float] {
    let raw = learntNoisePower
    guard let noiseFloor else { return raw }
    let count = max(raw.count, noiseFloor.count)
    // Either may be one value per row or one per bin.
    let at = { (values: [Float], i: Int) in values[values.count == count ? i : i / frames] }
    return (0..<count).map { i in max(at(raw, i), at(noiseFloor, i)) }
  }

  /// e^ν (or e^(ν + τ)) before the floor.
  var learntNoisePower: [Float] {
    let nu = logNoisePower.value.scalars
    guard let tau = logFrameGain?.value.scalars else { return nu.map { exp($0) } }
    return (0..<rows * frames).map { i in exp(nu[i / frames] + tau[i % frames]) }
  }

  /// S = peakPower · o^(2/p), `[rows, frames]`.
  public func speechPower(_ output: [Float]) -> [Float] {
    output.map { peakPower * pow(max($0, 0), speechExponent) }
  }

  /// D(P ‖ S + N) over the held-out bins (nil without any).
  public func heldOutLoss(_ output: [Float]) -> Double? {
    guard let heldOut else { return nil }
    let (speech, noise) = (speechPower(output), noisePower)
    let perValue = noise.count == speech.count
    var model = speech
    for i in model.indices { model[i] += noise[perValue ? i : i / frames] }
    var unused: [Float] = []
    return itakuraSaitoDivergence(
      observed: observed, model: model, gradient: &unused, counted: heldOut)
  }

  /// D(P ‖ S + N) for an output (over the bins not held out), and its gradient: returns
  /// ∂D/∂o and sets the noise parameters' gradients.
  ///
  ///     ∂D/∂o[f, t] = ∂D/∂M · (2/p) · S / o,     ∂D/∂ν[f] = Σ_t ∂D/∂M[f, t] · N[f]
  ///
  /// - Parameter output: o, `[rows, frames]`.
  /// - Returns: the divergence and ∂D/∂o, `[rows, frames]`.
  public func lossAndGradient(_ output: [Float]) -> (loss: Double, outputGradient: [Float]) {
    let (speech, noise) = (speechPower(output), noisePower)
    let perValue = noise.count == speech.count
    var model = speech
    for i in model.indices { model[i] += noise[perValue ? i : i / frames] }
    var gradient: [Float] = []
    let loss = itakuraSaitoDivergence(
      observed: observed, model: model, gradient: &gradient, counted: heldOut?.map { !$0 })
    let raw = learntNoisePower
    var outputGradient = gradient
    // ∂D/∂(log N) at every value, summed over frames for ν and over rows for τ.
    var noiseGradient = [Double](repeating: 0, count: rows)
    var frameGradient = [Double](repeating: 0, count: frames)
    for f in 0..<rows {
      for t in 0..<frames {
        let i = f * frames + t
        // Where the floor holds, N does not depend on ν: no gradient.
        let learnt = raw[raw.count == speech.count ? i : f]
        let g = learnt >= noise[perValue ? i : f] ? Double(gradient[i]) * Double(learnt) : 0
        noiseGradient[f] += g
        frameGradient[t] += g
        outputGradient[i] = output[i] > 0 ? gradient[i] * speechExponent * speech[i] / output[i] : 0
      }
    }
    logNoisePower.grad = Tensor(noiseGradient.map { Float($0) }, shape: [rows])
    logFrameGain?.grad = Tensor(frameGradient.map { Float($0) }, shape: [frames])
    return (loss, outputGradient)
  }
}
// book: end
