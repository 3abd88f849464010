import Audio
import Foundation
import NN
import Random
import Spectral
import Tensors

/// What the fit loop shows at an iteration it looks at, and what a stopping rule sees.
public struct FitStep: Sendable {
  /// Adam steps taken before this output (the rules never assume consecutive steps).
  public var iteration: Int
  /// The fit's loss at this output: the mean squared error against the target image, or the
  /// Itakura–Saito divergence of the speech + noise model.
  public var loss: Double
  /// The generator's output, `[rows, frames]` in [0, 1] (empty where only the loss is known).
  public var output: [Float]
  /// The moving average of the outputs so far, when the fit keeps one.
  public var average: [Float]?
  /// The speech + noise model's noise power, `[rows]` (or `[rows, frames]` when it varies in
  /// time; nil for the image model).
  public var noisePower: [Float]?
  /// The divergence over the bins held out of the fit, when some are.
  public var heldOutLoss: Double?

  public init(
    iteration: Int, loss: Double, output: [Float] = [], average: [Float]? = nil,
    noisePower: [Float]? = nil, heldOutLoss: Double? = nil
  ) {
    self.iteration = iteration
    self.loss = loss
    self.output = output
    self.average = average
    self.noisePower = noisePower
    self.heldOutLoss = heldOutLoss
  }
}

/// The prior fit: a DCGAN generator with a fixed random input, fitted by Adam to the
/// spectrogram image of ONE noisy recording, its output watched as the fit goes on.
///
/// The defaults are the book's canonical configuration: the target is log1p|Y| of bins
/// 0…255, min–max scaled; the generator's size is the image's (256 × 256 for a clip of
/// 32 640 samples at 16 kHz with nFFT 512, hop 128), DCGAN-initialised from `seed`;
/// z ~ N(0, 1) fixed; mean squared error; Adam (PyTorch semantics) with learning rate 10⁻²;
/// 2000 iterations.
///
/// D. Ulyanov, A. Vedaldi, V. Lempitsky, "Deep Image Prior", CVPR 2018,
/// <https://arxiv.org/abs/1711.10925>.
///
///     var fit = PriorFit()
///     fit.domain = .linear
///     fit.snapshotIterations = [250, 500]
///     let result = try fit.run(noisy: noisy, clean: clean)
///     print(result.best(.wienerGain())!.iteration)
public struct PriorFit {
  /// Adam steps to take; the output is recorded at iterations 0 … iterations.
  public var iterations = 2_000
  /// Adam's learning rate η.
  public var learningRate: Float = 1e-2
  /// Seeds the generator's z and weights (and the input noise, when there is some).
  public var seed: UInt64 = 0
  /// How the magnitudes become the image that is fitted.
  public var domain: TargetDomain = .log1p
  /// What the generator's output stands for and which loss fits it.
  public var model: FitModel = .noisyImage
  /// For the speech + noise models: the share of time-frequency tiles held out of the fit
  /// (`heldOutTiles`) and watched (`FitStep.heldOutLoss`); 0 for none.
  public var heldOutFraction = 0.0
  /// The generator's shape; nil for the DCGAN schedule sized to the image (rows × frames).
  public var generator: GeneratorConfiguration? = nil
  /// σ of the fresh Gaussian noise added to z at every step (0: z fixed). The Deep Image
  /// Prior's denoising uses 1/30 with its own network.
  public var inputNoise: Float = 0
  /// The decay of an exponential moving average of the outputs (nil: the raw output). When
  /// set, snapshots and evaluations use the average; the loss is always the raw output's.
  public var averageDecay: Float? = nil
  /// Iterations whose image is kept (and passed to `onSnapshot`).
  public var snapshotIterations: [Int] = []
  /// With a clean reference: score every `evaluationInterval` iterations (and at the last one
  /// and at every snapshot).
  public var evaluationInterval = 10
  /// The reconstructions scored at each evaluation.
  public var reconstructions: [Reconstruction] = Reconstruction.compared

  /// The canonical configuration.
  public init() {}

  /// Fits the generator to the target of `noisy` in `domain`.
  /// - Parameters:
  ///   - noisy: the recording.
  ///   - clean: the clean reference of a made-up mixture, same length, or nil.
  ///   - stft: the transform; nil for the canonical nFFT 512, hop 128.
  ///   - onProgress: called after every iteration.
  ///   - onSnapshot: called with each kept image, as soon as it is made.
  /// - Throws: `PriorError` for bad arguments or a fit that produces a NaN.
  public func run(
    noisy: [Float], clean: [Float]? = nil, stft: STFT? = nil,
    onProgress: (FitProgress) -> Void = { _ in },
    onSnapshot: (Snapshot) -> Void = { _ in }
  ) throws(PriorError) -> PriorFitResult {
    let target = try FitTarget(noisy: noisy, domain: domain, stft: stft)
    return try run(target: target, clean: clean, onProgress: onProgress, onSnapshot: onSnapshot)
  }

  /// Fits the generator to a prepared target; see `run(noisy:clean:stft:...)`.
  public func run(
    target: FitTarget, clean: [Float]? = nil,
    onProgress: (FitProgress) -> Void = { _ in },
    onSnapshot: (Snapshot) -> Void = { _ in }
  ) throws(PriorError) -> PriorFitResult {
    try validate(target: target, clean: clean)
    let snapshotSet = Set(snapshotIterations)
    var recorder = FitRecorder(target: target, clean: clean, reconstructions: reconstructions)
    let start = monotonicSeconds()
    try fit(
      target,
      looksAt: { i in
        snapshotSet.contains(i)
          || (clean != nil && (i % evaluationInterval == 0 || i == iterations))
      },
      observe: { step throws(PriorError) in
        let shown = step.average ?? step.output
        if snapshotSet.contains(step.iteration) {
          onSnapshot(
            recorder.keep(iteration: step.iteration, image: shown, noisePower: step.noisePower))
        }
        if clean != nil {
          try recorder.evaluate(
            iteration: step.iteration, image: shown, noisePower: step.noisePower)
        }
        return false
      },
      onIteration: { i, loss in
        recorder.losses.append(loss)
        onProgress(
          FitProgress(
            iteration: i, iterations: iterations, loss: loss, elapsed: monotonicSeconds() - start))
      })
    return try recorder.result(seconds: monotonicSeconds() - start)
  }

  // book: fit-loop
  /// The fit loop. Iteration i computes the output of the network after i Adam steps
  /// (iteration 0 is the untrained network) and its loss; when `looksAt(i)`, shows the
  /// output (and, with a moving average, the average of the outputs so far) to `observe`,
  /// which ends the fit by returning true; then steps. The last iteration only looks.
  public func fit(
    _ target: FitTarget, looksAt: (Int) -> Bool,
    observe: (FitStep) throws(PriorError) -> Bool,
    onIteration: (_ iteration: Int, _ loss: Float) -> Void = { _, _ in }
  ) throws(PriorError) {
    try validate(target: target, clean: nil)
    let network = Generator(try generatorConfiguration(for: target), seed: seed)
    // The speech + noise model's log noise power is one more parameter for Adam.
    var speechPlusNoise =
      model == .noisyImage ? nil : try SpeechPlusNoiseModel(target: target, model: model)
    if heldOutFraction > 0 {
      speechPlusNoise?.heldOut = heldOutTiles(
        rows: target.rows, frames: target.frames, fraction: heldOutFraction, seed: seed ^ 0x4E1D)
    }
    let optimizer = Adam(
      network.parameters + (speechPlusNoise?.parameters ?? []), learningRate: learningRate)
    let image = Tensor(target.image, shape: [1, 1, target.rows, target.frames])
    // The input noise has its own stream, so that σ = 0 and σ > 0 start from the same network.
    var noiseGenerator = Xoshiro256(seed: seed ^ 0x5EED_0F_1A7E_47)
    var average: [Float]? = nil

    for i in 0...iterations {
      var z = network.latent
      if inputNoise > 0 {
        z = Tensor(
          zip(z.scalars, Tensor.normal(z.shape, generator: &noiseGenerator).scalars)
            .map { $0 + inputNoise * $1 }, shape: z.shape)
      }
      let output = network.forward(z)
      let looked = looksAt(i)
      var values: [Float] = []
      if averageDecay != nil || looked || speechPlusNoise != nil {
        values = output.scalars
        if let decay = averageDecay {
          if average == nil {
            average = values
          } else {
            updateMovingAverage(&average!, with: values, decay: decay)
          }
        }
      }
      let noisePower = speechPlusNoise?.noisePower
      let loss: Float
      // BEGIN SOLUTION fit-loss-backward: L = D(P ‖ S + N) or the MSE; ∂L/∂y back except at the end
      if let speechPlusNoise {
        let (divergence, gradient) = speechPlusNoise.lossAndGradient(values)
        if i < iterations {
          network.backward(outputGradient: Tensor(gradient, shape: output.shape))
        }
        loss = Float(divergence)
      } else {
        loss =
          i < iterations
          ? network.backwardMeanSquaredError(target: image)
          : meanSquaredError(output.scalars, target.image)
      }
      // END SOLUTION
      guard loss.isFinite else { throw .nonFiniteValue(what: "loss", index: i) }
      onIteration(i, loss)
      if looked {
        let step = FitStep(
          iteration: i, loss: Double(loss), output: values, average: average,
          noisePower: noisePower, heldOutLoss: speechPlusNoise?.heldOutLoss(values))
        if try observe(step) { return }
      }
      if i < iterations { optimizer.step() }
    }
  }
  // book: end

  /// The generator's shape: the given one, or the DCGAN schedule sized to the image.
  func generatorConfiguration(for target: FitTarget) throws(PriorError) -> GeneratorConfiguration {
    let configuration: GeneratorConfiguration
    if let generator {
      configuration = generator
    } else {
      do throws(GeneratorError) {
        configuration = try GeneratorConfiguration(height: target.rows, width: target.frames)
      } catch {
        throw .invalidArgument(argument: "generator", reason: error.description)
      }
    }
    guard configuration.height == target.rows, configuration.width == target.frames else {
      throw .invalidArgument(
        argument: "generator",
        reason: """
          makes \(configuration.height) × \(configuration.width) images, the target is \
          \(target.rows) × \(target.frames)
          """)
    }
    return configuration
  }

  func validate(target: FitTarget, clean: [Float]?) throws(PriorError) {
    guard iterations >= 0 else {
      throw .invalidArgument(argument: "iterations", reason: "\(iterations) must not be negative")
    }
    guard learningRate > 0, learningRate.isFinite else {
      throw .invalidArgument(argument: "learningRate", reason: "\(learningRate) must be positive")
    }
    guard inputNoise >= 0, inputNoise.isFinite else {
      throw .invalidArgument(argument: "inputNoise", reason: "\(inputNoise) must not be negative")
    }
    guard heldOutFraction >= 0, heldOutFraction < 1, heldOutFraction == 0 || model != .noisyImage
    else {
      throw .invalidArgument(
        argument: "heldOutFraction",
        reason: "\(heldOutFraction) must be in [0, 1), and 0 for the noisy-image model")
    }
    if let decay = averageDecay, !(decay >= 0 && decay < 1) {
      throw .invalidArgument(argument: "averageDecay", reason: "\(decay) must be in [0, 1)")
    }
    guard evaluationInterval > 0 else {
      throw .invalidArgument(
        argument: "evaluationInterval", reason: "\(evaluationInterval) must be positive")
    }
    if let bad = snapshotIterations.first(where: { $0 < 0 || $0 > iterations }) {
      throw .invalidArgument(
        argument: "snapshotIterations", reason: "\(bad) is outside 0…\(iterations)")
    }
    if let clean, clean.count != target.noisy.count {
      throw .sizeMismatch(what: "clean reference", count: clean.count, expected: target.noisy.count)
    }
  }
}

// book: moving-average
/// One step of the exponential moving average of the outputs, in place:
///
///     a ← decay · a + (1 - decay) · x
///
/// so that after k steps each earlier output weighs (1 - decay) · decay^age: the average
/// forgets over about 1 / (1 - decay) iterations (100 at 0.99), smoothing the step-to-step
/// jitter of Adam at the price of lagging behind the fit by about as many iterations.
public func updateMovingAverage(_ average: inout [Float], with output: [Float], decay: Float) {
  // BEGIN SOLUTION moving-average: an EMA: an output k steps old weighs (1 − decay)·decayᵏ
  precondition(average.count == output.count, "average and output differ in size")
  let rest = 1 - decay
  for i in average.indices { average[i] = decay * average[i] + rest * output[i] }
  // END SOLUTION
}
// book: end

/// (1/n) Σ (a - b)², summed in Double.
public func meanSquaredError(_ a: [Float], _ b: [Float]) -> Float {
  var sum = 0.0
  for (x, y) in zip(a, b) { sum += Double(x - y) * Double(x - y) }
  return Float(sum / Double(max(a.count, 1)))
}
