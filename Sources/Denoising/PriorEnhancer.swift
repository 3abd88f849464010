import Foundation
import Prior
import Spectral

/// When the prior fit of a segment stops.
public enum PriorStop: Equatable, Sendable {
  /// Run the whole budget of iterations.
  case fixed
  /// `DiscrepancyRule` at `margin` times the target's noise variance from its quietest
  /// frames (`quietColumnsVariance`).
  case discrepancy(margin: Double)
  /// `MovingVarianceRule` over `window` evaluation steps with `patience` steps.
  case movingVariance(window: Int, patience: Int)
  /// `HeldOutRule` with `patience` steps, on a fit that holds out `fraction` of its tiles.
  case heldOut(fraction: Double, patience: Int)
}

/// Chapter 6's prior fit as a denoiser: a DCGAN generator fitted to each segment's image,
/// watched every `evaluationInterval` iterations by a stopping rule, and the chosen output
/// turned into a gain.
///
/// The loop is chapter 6's fit loop; a rule watches it, may end it before the budget, and
/// the enhancer keeps only the output the rule has chosen. Segment s of a recording uses
/// the generator seeded with `seed + s`.
public struct PriorEnhancer: Enhancer {
  /// The budget: Adam steps at most.
  public var iterations = 1_000
  /// Adam's learning rate (chapter 6's 10⁻²).
  public var learningRate: Float = 1e-2
  /// Seeds the generator of segment s with `seed + s`.
  public var seed: UInt64 = 0
  /// What the generator fits (chapter 6's target domains).
  public var domain: TargetDomain = .log1p
  /// What the output stands for and which loss fits it (chapter 6).
  public var model: FitModel = .noisyImage
  /// The decay of an exponential moving average of the outputs, updated at every
  /// iteration; nil to watch the raw outputs.
  public var averageDecay: Float? = nil
  /// Iterations between the steps the stopping rule sees.
  public var evaluationInterval = 10
  /// What ends the fit of a segment.
  public var stop: PriorStop = .fixed
  /// How the chosen image becomes a gain.
  public var gain: Reconstruction = .wienerGain()
  /// Called with (segment, iteration, the segment's enhanced audio at 16 kHz) at every
  /// evaluation step whose iteration is a multiple of `snapshotInterval`, e.g. to save it.
  public var onSnapshot: ((Int, Int, [Float]) -> Void)? = nil
  public var snapshotInterval = 50

  public var name: String { "prior fit" }

  public init() {}

  // book: prior-enhancer
  /// The fit of one segment, watched by the stopping rule, and the gain of the output the
  /// rule chose.
  public func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) throws
    -> [Float]
  {
    let target = try FitTarget(noisy: segment.samples, domain: domain)
    var rule = stoppingRule(for: target)
    var chosen: (image: [Float], noisePower: [Float]?)? = nil
    try fit(target, segment: segment.index) { step in
      let shown = step.average ?? step.output
      let loss = step.average.map { Double(meanSquaredError($0, target.image)) } ?? step.loss
      let stop = rule.observe(FitStep(iteration: step.iteration, loss: loss, output: shown))
      if rule.chosenIteration == step.iteration { chosen = (shown, step.noisePower) }
      if let onSnapshot, step.iteration % snapshotInterval == 0 {
        if let audio = try? enhanced(shown, target: target, noisePower: step.noisePower) {
          onSnapshot(segment.index, step.iteration, audio)
        }
      }
      report(EnhancerProgress(iteration: step.iteration, iterations: iterations, loss: loss))
      return stop
    }
    return try gain(of: chosen!.image, target: target, noisePower: chosen!.noisePower)
  }
  // book: end

  /// The rule `stop` asks for, for the target of one segment.
  public func stoppingRule(for target: FitTarget) -> any StoppingRule {
    switch stop {
    case .fixed: FixedCountRule(iterations: iterations)
    case .discrepancy(let margin):
      // The image model's loss is a squared error, of the size of the image noise's variance;
      // the speech + noise model's is a divergence, whose mean is γ where the model is right.
      DiscrepancyRule(
        noiseVariance: model == .noisyImage
          ? quietColumnsVariance(image: target.image, rows: target.rows, columns: target.frames)
          : eulerGamma,
        margin: margin)
    case .heldOut(_, let patience):
      HeldOutRule(patience: patience)
    case .movingVariance(let window, let patience):
      MovingVarianceRule(window: window, patience: patience)
    }
  }

  /// Chapter 6's fit loop with this enhancer's settings: `observe` sees every
  /// `evaluationInterval`-th iteration and the last one, and ends the fit by returning true.
  public func fit(
    _ target: FitTarget, segment: Int = 0, observe: (FitStep) throws(PriorError) -> Bool
  ) throws(DenoiseError) {
    var settings = PriorFit()
    settings.iterations = iterations
    settings.learningRate = learningRate
    settings.seed = seed &+ UInt64(segment)
    settings.averageDecay = averageDecay
    settings.model = model
    if case .heldOut(let fraction, _) = stop { settings.heldOutFraction = fraction }
    do {
      try settings.fit(
        target, looksAt: { i in i % evaluationInterval == 0 || i == iterations }, observe: observe)
    } catch {
      throw .prior(error)
    }
  }

  /// The gain on the segment's noisy spectrogram that a fitted image (and, for the speech +
  /// noise model, the noise power learnt with it) stands for, `[bins, frames]`.
  public func gain(of image: [Float], target: FitTarget, noisePower: [Float]? = nil)
    throws(DenoiseError) -> [Float]
  {
    do { return try target.gain(of: image, gain, noisePower: noisePower) } catch {
      throw .prior(error)
    }
  }

  /// The segment enhanced by the gain of `image` (chapter 6's reconstruction).
  public func enhanced(_ image: [Float], target: FitTarget, noisePower: [Float]? = nil)
    throws(DenoiseError) -> [Float]
  {
    do { return try target.reconstruct(image, gain, noisePower: noisePower) } catch {
      throw .prior(error)
    }
  }
}

extension PriorEnhancer {
  /// The most iterations per segment when a rule stops the fit (`denoise --stop auto`).
  public static let recommendedBudget = 250
  /// The best fixed count on chapter 8's selection half (`denoise`, `--stop fixed`).
  public static let recommendedFixedIterations = 50

  /// The configuration chapter 8 measured best on its selection half, as `denoise --method
  /// prior` runs it (a test checks it against the chapter's saved traces): the speech +
  /// noise model fitted by the Itakura–Saito divergence on the power-law target (p = 0.3),
  /// its noise never below the speech-presence tracker's, the geometric mean of the model's
  /// Wiener gain and the decision-directed Wiener gain with the noise the fit learnt, and
  /// either `recommendedFixedIterations` or the discrepancy rule at Euler's γ_E within
  /// `recommendedBudget` (`--stop auto`, not chosen on the selection half).
  public static func recommended(autoStop: Bool) -> PriorEnhancer {
    var prior = PriorEnhancer()
    prior.domain = .power(exponent: 0.3)
    prior.model = .speechPlusTrackedNoise
    prior.gain = .modelWienerWithDecisionDirected()
    prior.evaluationInterval = 25
    prior.stop = autoStop ? .discrepancy(margin: 1) : .fixed
    prior.iterations = autoStop ? recommendedBudget : recommendedFixedIterations
    return prior
  }

  /// Chapter 7's budget for the noisy-image fit.
  public static let noisyImageBudget = 500
  /// The best fixed count of the noisy-image fit on chapter 7's evaluation set.
  public static let noisyImageFixedIterations = 180

  /// The configuration chapter 7 measured best for the seed post's noisy-image fit (the Evaluation
  /// module's `PriorRecommendation` computes it from chapter 7's saved traces, and a test
  /// checks that it is this one): the power-law target (p = 0.3), the fit's Wiener gain
  /// combined with the decision-directed Wiener gain, and either the windowed moving variance
  /// over 10 evaluations (100 iterations) within `noisyImageBudget`, or
  /// `noisyImageFixedIterations`.
  public static func noisyImageRecommended(autoStop: Bool) -> PriorEnhancer {
    var prior = PriorEnhancer()
    prior.domain = .power(exponent: 0.3)
    prior.gain = .withDecisionDirected(floor: 0.1)
    prior.evaluationInterval = 10
    prior.stop = autoStop ? .movingVariance(window: 10, patience: 10) : .fixed
    prior.iterations = autoStop ? noisyImageBudget : noisyImageFixedIterations
    return prior
  }
}
