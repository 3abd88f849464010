import Audio
import Foundation
import Tensors

/// The fitted image at one iteration.
public struct Snapshot: Sendable {
  /// Adam steps taken before this output (0: the untrained network).
  public let iteration: Int
  /// The output (or its moving average), `[rows, frames]` in [0, 1].
  public let image: [Float]
  /// The speech + noise model's noise power at this iteration, `[rows]` (nil for the image
  /// model).
  public var noisePower: [Float]? = nil
}

/// The scores of every reconstruction at one iteration.
public struct FitEvaluation: Sendable {
  /// Adam steps taken before this output.
  public let iteration: Int
  /// SNR and SI-SDR against the clean reference, per reconstruction.
  public let scores: [Reconstruction: FitScore]
}

/// Where a fit is, for a progress line.
public struct FitProgress: Sendable {
  /// The iteration just done, 0 … iterations.
  public let iteration: Int
  /// The last iteration.
  public let iterations: Int
  /// The loss of this iteration's output.
  public let loss: Float
  /// Seconds since the fit started.
  public let elapsed: Double
  /// Seconds still to go, by the pace so far.
  public var remaining: Double {
    iteration == 0 ? .nan : elapsed / Double(iteration) * Double(iterations - iteration)
  }
}

/// What a prior fit measured and kept.
public struct PriorFitResult {
  /// The target that was fitted: the recording, its spectrogram, the scaling.
  public let target: FitTarget
  /// The loss (MSE in the target domain, or the IS divergence) at iterations 0 … iterations.
  public let losses: [Float]
  /// With a clean reference: the scores at the evaluated iterations, in order.
  public let evaluations: [FitEvaluation]
  /// The kept images, in order.
  public let snapshots: [Snapshot]
  /// With a clean reference: per reconstruction, the image of its best evaluation (highest
  /// SNR, the earliest on a tie), so that the best output can be listened to without a re-run.
  public let bestSnapshots: [Reconstruction: Snapshot]
  /// With a clean reference: the noisy recording's own scores (what "no denoising" gets).
  public let noisyScore: FitScore?
  /// Wall-clock seconds of the whole fit, evaluations included.
  public let seconds: Double
  /// The part of `seconds` spent reconstructing and scoring.
  public let evaluationSeconds: Double

  /// The evaluation with the highest SNR for `reconstruction`, the earliest on a tie;
  /// nil without a clean reference.
  public func best(_ reconstruction: Reconstruction) -> FitEvaluation? {
    evaluations.filter { $0.scores[reconstruction] != nil }.max { a, b in
      a.scores[reconstruction]!.snr < b.scores[reconstruction]!.snr
    }
  }

  /// The SNR curve of `reconstruction`: (iteration, dB) at every evaluation.
  public func snrCurve(_ reconstruction: Reconstruction) -> [(iteration: Int, snr: Double)] {
    evaluations.compactMap { e in e.scores[reconstruction].map { (e.iteration, $0.snr) } }
  }

  /// The snapshot taken at `iteration`, if one was.
  public func snapshot(at iteration: Int) -> Snapshot? {
    snapshots.first { $0.iteration == iteration }
  }

  /// The audio of a snapshot.
  /// - Returns: `[target.noisy.count]` samples.
  public func audio(of snapshot: Snapshot, _ reconstruction: Reconstruction = .direct)
    throws(PriorError) -> [Float]
  {
    try target.reconstruct(snapshot.image, reconstruction, noisePower: snapshot.noisePower)
  }

  /// Writes the audio of a snapshot as a 16-bit WAV file (to a temporary file, then renamed).
  public func writeWAV(
    _ snapshot: Snapshot, _ reconstruction: Reconstruction = .direct, to path: String,
    sampleRate: Int = 16_000
  ) throws(PriorError) {
    let samples = try audio(of: snapshot, reconstruction)
    do {
      try AudioFile.write(AudioBuffer(mono: samples, sampleRate: sampleRate), to: path)
    } catch {
      throw .audio(error)
    }
  }
}

/// Collects what a fit measures as it goes: losses, snapshots, scores.
struct FitRecorder {
  let target: FitTarget
  let clean: [Float]?
  let reconstructions: [Reconstruction]
  var losses: [Float] = []
  var evaluations: [FitEvaluation] = []
  var snapshots: [Snapshot] = []
  var bestSnapshots: [Reconstruction: Snapshot] = [:]
  var evaluationSeconds = 0.0

  init(target: FitTarget, clean: [Float]?, reconstructions: [Reconstruction]) {
    self.target = target
    self.clean = clean
    self.reconstructions = reconstructions
  }

  mutating func keep(iteration: Int, image: [Float], noisePower: [Float]?) -> Snapshot {
    let snapshot = Snapshot(iteration: iteration, image: image, noisePower: noisePower)
    snapshots.append(snapshot)
    return snapshot
  }

  /// Scores every reconstruction of `image` against the clean reference (once per iteration).
  mutating func evaluate(iteration: Int, image: [Float], noisePower: [Float]?)
    throws(PriorError)
  {
    guard let clean, evaluations.last?.iteration != iteration else { return }
    let start = monotonicSeconds()
    var scores: [Reconstruction: FitScore] = [:]
    for reconstruction in reconstructions {
      let audio = try target.reconstruct(image, reconstruction, noisePower: noisePower)
      let score = try FitScore(reference: clean, estimate: audio)
      scores[reconstruction] = score
      let best = bestSnapshots[reconstruction].flatMap { bestScore(of: $0, reconstruction) }
      if best == nil || score.snr > best! {
        bestSnapshots[reconstruction] = Snapshot(
          iteration: iteration, image: image, noisePower: noisePower)
      }
    }
    evaluations.append(FitEvaluation(iteration: iteration, scores: scores))
    evaluationSeconds += monotonicSeconds() - start
  }

  /// The SNR recorded for `reconstruction` at the iteration of `snapshot`.
  func bestScore(of snapshot: Snapshot, _ reconstruction: Reconstruction) -> Double? {
    evaluations.last { $0.iteration == snapshot.iteration }?.scores[reconstruction]?.snr
  }

  func result(seconds: Double) throws(PriorError) -> PriorFitResult {
    PriorFitResult(
      target: target, losses: losses, evaluations: evaluations, snapshots: snapshots,
      bestSnapshots: bestSnapshots,
      noisyScore: try clean.map { c throws(PriorError) in
        try FitScore(reference: c, estimate: target.noisy)
      }, seconds: seconds, evaluationSeconds: evaluationSeconds)
  }
}
