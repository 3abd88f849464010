import Tensors

// book: mse-loss
/// The mean squared error L = (1/n) Σᵢ (pᵢ − tᵢ)² between a prediction and a target of the
/// same shape, a Variable of shape []. ∂L/∂pᵢ = (2/n)·(pᵢ − tᵢ): the saved difference is
/// the whole backward.
public func mseLoss(_ prediction: Variable, _ target: Tensor) -> Variable {
  check(
    prediction.shape == target.shape,
    "mseLoss: prediction \(prediction.shape) and target \(target.shape) differ in shape")
  let difference = prediction.value - target
  let n = Float(max(difference.count, 1))
  let squares = difference.withUnsafeBufferPointer { d in
    accumulatedSum(over: d.indices) { Double(d[$0]) * Double(d[$0]) }
  }
  let loss = Float(squares / Double(n))
  return Variable(Tensor(loss), parents: [prediction]) { dy in
    prediction.accumulate(difference, scaledBy: 2 * dy.scalar / n)
  }
}
// book: end
