import Tensors

/// The seconds each part of a number of training steps took, one entry per step: the
/// forward pass, the backward pass from the MSE loss, the optimiser's step, their sum, and
/// the per-layer times of both passes.
public struct StepTimes: Sendable {
  public var forward: [Double] = []
  public var backward: [Double] = []
  public var optimizer: [Double] = []
  public var total: [Double] = []
  public var layerForward: [[Double]] = []
  public var layerBackward: [[Double]] = []
}

extension Generator {
  /// Runs `steps` training steps towards `target` as three separate calls (forward,
  /// backward, `optimizer.step()`) and times each part. Chapter 5 and the benchmark split
  /// the step this way; `fitStep` does the same work with the updates inside the backward
  /// pass.
  public func timeTrainingSteps(target: Tensor, optimizer: any Optimizer, steps: Int)
    -> StepTimes
  {
    var times = StepTimes()
    for _ in 0..<steps {
      let t0 = clockSeconds()
      _ = forward()
      let t1 = clockSeconds()
      _ = backwardMeanSquaredError(target: target)
      let t2 = clockSeconds()
      optimizer.step()
      let t3 = clockSeconds()
      times.forward.append(t1 - t0)
      times.backward.append(t2 - t1)
      times.optimizer.append(t3 - t2)
      times.total.append(t3 - t0)
      times.layerForward.append(lastTimes!.forward)
      times.layerBackward.append(lastTimes!.backward)
    }
    return times
  }
}
