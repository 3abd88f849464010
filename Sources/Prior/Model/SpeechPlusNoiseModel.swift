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

  /// The model of `target`, its noise starting from the quietest 10 % of frames, with the
  /// level per frame or the floor that `model` asks for.
  /// - Throws: `PriorError.invalidArgument` unless the target's domain is a power law and
  ///   `model` one of the speech + noise models.
  public init(target: FitTarget, model: FitModel = .speechPlusNoise) throws(PriorError) {
    guard model != .noisyImage else {
      throw .invalidArgument(argument: "model", reason: "\(model) has no noise term")
    }
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
    logFrameGain = model == .speechPlusVaryingNoise ? Variable(Tensor.zeros([frames])) : nil
    switch model {
    case .speechPlusBoundedNoise:
      noiseFloor = learntNoisePower
    case .speechPlusTrackedNoise:
      noiseFloor = SpeechPresenceNoiseTracker().noisePower(
        observed, bins: rows, frames: frames, initial: learntNoisePower)
    case .noisyImage, .speechPlusNoise, .speechPlusVaryingNoise:
      break
    }
  }

  /// Value i of `values`, one per row or one per bin of `[rows, frames]`.
  private func value(_ values: [Float], at i: Int) -> Float {
    values[values.count == rows * frames ? i : i / frames]
  }

  /// M = S + N, `[rows, frames]`.
  private func modelPower(speech: [Float], noise: [Float]) -> [Float] {
    speech.indices.map { speech[$0] + value(noise, at: $0) }
  }

  /// N = e^ν, `[rows]`, or e^(ν[f] + τ[t]), `[rows, frames]`, when the noise varies in time.
  public var noisePower: [Float] {
    let raw = learntNoisePower
    guard let noiseFloor else { return raw }
    if raw.count == noiseFloor.count { return zip(raw, noiseFloor).map { max($0, $1) } }
    // One is a value per row, the other one per bin: the per-row one holds across its frames.
    return (0..<rows * frames).map { i in max(value(raw, at: i), value(noiseFloor, at: i)) }
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
    let model = modelPower(speech: speechPower(output), noise: noisePower)
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
    let model = modelPower(speech: speech, noise: noise)
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
        let learnt = value(raw, at: i)
        let g = learnt >= value(noise, at: i) ? Double(gradient[i]) * Double(learnt) : 0
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
