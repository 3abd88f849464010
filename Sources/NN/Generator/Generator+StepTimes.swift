import Tensors

/// The seconds each part of a number of training steps took, one entry per step: the
/// forward pass, the backward pass from the MSE loss, the optimiser's step, their sum, and
/// the per-layer times of both passes.
public struct StepTimes: Sendable {
  public var forward: [Double] = []
  public var backward: [Double] = []
  public var optimizer: [Double] = []
  public var total: [Double] = []
  /// Per step, each layer's forward seconds, first layer to last.
  public var layerForward: [[Double]] = []
  /// Per step, each layer's backward seconds, first layer to last: its activation's
  /// backward (batch norm and ReLU, or for the last layer the loss), its column scatter and
  /// its convolution's gradients.
  public var layerBackward: [[Double]] = []
}

extension Generator {
  /// Runs `steps` training steps towards `target` as three separate parts (forward, backward
  /// from the MSE loss, `optimizer.step()`) and times each part and each layer. The same
  /// per-layer functions as `forward()` and `backwardMeanSquaredError(target:)`, called one
  /// by one with the clock read between them, so the training step itself reads no clock;
  /// `fitStep` does the same work with the updates inside the backward pass.
  public func timeTrainingSteps(target: Tensor, optimizer: any Optimizer, steps: Int)
    -> StepTimes
  {
    var times = StepTimes()
    let b = preparedBuffers()
    let layers = b.plans.indices
    for _ in 0..<steps {
      var (forward, backward) = ([Double](), [Double](repeating: 0, count: layers.count))
      let t0 = monotonicSeconds()
      b.input = latent
      withThreading(b) {
        latent.withUnsafeBufferPointer { z in
          for l in layers {
            let start = monotonicSeconds()
            layerForward(l, b, layerInput(l, b, z.baseAddress!))
            forward.append(monotonicSeconds() - start)
          }
        }
      }
      let t1 = monotonicSeconds()
      _ = meanSquaredErrorBackward(b, target: target)
      backward[layers.last!] = monotonicSeconds() - t1
      withThreading(b) {
        latent.withUnsafeBufferPointer { z in
          for l in layers.reversed() {
            let start = monotonicSeconds()
            layerBackward(l, b, layerInput(l, b, z.baseAddress!), updating: nil)
            backward[l] += monotonicSeconds() - start
          }
        }
      }
      let t2 = monotonicSeconds()
      optimizer.step()
      let t3 = monotonicSeconds()
      times.forward.append(t1 - t0)
      times.backward.append(t2 - t1)
      times.optimizer.append(t3 - t2)
      times.total.append(t3 - t0)
      times.layerForward.append(forward)
      times.layerBackward.append(backward)
    }
    return times
  }
}
