// Chapter 6: the prior fit. The fit loop's cost per iteration against the bare training
// step of chapter 5 (the loop should add nothing), and one evaluation: three
// reconstructions of a 256 × 256 image, each scored against a clean reference.
import Audio
import ChapterSupport
import Foundation
import NN
import Prior
import Tensors

/// A PriorFit iteration (scoring every 10) and a bare generator step, both on the canonical
/// 256 × 256 problem; one evaluation (direct, Wiener gain, median-residual Wiener gain).
func chapter06Benchmarks() throws -> [BenchRow] {
  let count = 32_640
  let clean = voicedSignal(sampleRate: 16_000, count: count, amplitude: 0.5)
  let noisy = try mix(clean, whiteNoise(count: count, seed: 1), snrDB: 5)
  let target = try FitTarget(noisy: noisy)
  let steps = 10

  // The reference: chapter 5's step, forward + MSE backward + Adam, with nothing around it.
  let generator = Generator(.canonical, seed: 0)
  let adam = Adam(generator.parameters, learningRate: 1e-2)
  let image = Tensor(target.image, shape: [1, 1, 256, 256])
  let bare =
    medianSeconds(repeats: 5) {
      for _ in 0..<steps { _ = generator.fitStep(target: image, optimizer: adam) }
    } / Double(steps)

  // A fit also builds and initialises its generator (3.6 M weights drawn) and its buffers:
  // the difference between a long and a short fit is the cost of the iterations alone.
  func fitSeconds(_ iterations: Int) throws -> Double {
    var fit = PriorFit()
    fit.iterations = iterations
    return try medianSeconds(repeats: 3) { _ = try fit.run(target: target, clean: clean) }
  }
  let (short, long) = (10, 60)
  let loop = try (fitSeconds(long) - fitSeconds(short)) / Double(long - short)
  let setup = try fitSeconds(0)

  let reconstructions: [Reconstruction] = [
    .direct, .wienerGain(), .wienerGain(noise: .medianResidual),
  ]
  let evaluation = try medianSeconds(repeats: 9) {
    for reconstruction in reconstructions {
      _ = try FitScore(
        reference: clean, estimate: target.reconstruct(target.image, reconstruction))
    }
  }
  let size = "256 × 256, 2.04 s clip"
  return [
    BenchRow(
      what: "generator step (forward, backward, Adam)", size: size, seconds: bare,
      rate: "\(fixed(1 / bare, 1)) steps/s", ofReference: "reference"),
    BenchRow(
      what: "PriorFit iteration (scored every 10)", size: size, seconds: loop,
      rate: "\(fixed(2000 * loop + setup, 1)) s per 2000 iterations",
      ofReference: "\(fixed(loop / bare, 2))× the bare step"),
    BenchRow(
      what: "PriorFit set-up (generator, Adam, one look)", size: size, seconds: setup,
      rate: "", ofReference: "\(fixed(setup / bare, 1)) steps' worth"),
    BenchRow(
      what: "evaluation: 3 reconstructions + SNR", size: size, seconds: evaluation,
      rate: "\(fixed(evaluation / bare, 2)) steps' worth",
      ofReference: "\(fixed(100 * evaluation / 10 / bare, 1)) % at one per 10 steps"),
  ]
}
