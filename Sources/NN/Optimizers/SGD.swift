import Autograd
import Tensors

/// Stochastic gradient descent with momentum, PyTorch's `torch.optim.SGD` (no dampening,
/// no Nesterov): with b the momentum buffer,
///
///     b ← g  (first step),   b ← μ·b + g  (later steps)
///     θ ← θ − η·b
///
/// and, with μ = 0, plainly θ ← θ − η·g. Kept beside Adam for comparison.
public final class SGD: Optimizer {
  public let parameters: [(name: String, variable: Variable)]
  /// η.
  public var learningRate: Float
  /// μ.
  public var momentum: Float
  public private(set) var stepCount = 0
  /// The momentum buffers b, one per parameter, empty until their first step.
  private var buffers: [Tensor?]
  public let bookkeeping: StepBookkeeping

  public init(
    _ parameters: [(name: String, variable: Variable)], learningRate: Float,
    momentum: Float = 0
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    buffers = Array(repeating: nil, count: parameters.count)
    bookkeeping = StepBookkeeping(parameters)
  }

  public func beginStep() {
    stepCount += 1
    bookkeeping.begin()
  }

  /// One SGD step of parameter `index`.
  public func update(parameter index: Int, value: inout Tensor, gradient: Tensor) {
    if momentum == 0 {
      value.add(gradient, scaledBy: -learningRate)
      return
    }
    guard buffers[index] != nil else {
      // The first step starts the buffer at g itself (a copy: the gradient is reused).
      var buffer = Tensor.zeros(gradient.shape)
      buffer.add(gradient, scaledBy: 1)
      buffers[index] = buffer
      value.add(gradient, scaledBy: -learningRate)
      return
    }
    let (mu, eta) = (momentum, learningRate)
    gradient.withUnsafeBufferPointer { g in
      value.withUnsafeMutableBufferPointer { p in
        buffers[index]!.withUnsafeMutableBufferPointer { b in
          // BEGIN SOLUTION sgd-momentum (chapter 5): b sums past gradients, each μ times older
          for i in p.indices {
            b[i] = mu * b[i] + g[i]
            p[i] -= eta * b[i]
          }
          // END SOLUTION
        }
      }
    }
  }

  /// The momentum buffers that exist, as `"sgd.momentum.<name>"`.
  public var state: [(name: String, tensor: Tensor)] {
    parameters.indices.compactMap { i in
      buffers[i].map { (name: "sgd.momentum.\(parameters[i].name)", tensor: $0) }
    }
  }

  public func restore(
    state: [String: Tensor], stepCount: Int, path: String
  ) throws(CheckpointError) {
    var restored: [Tensor?] = []
    for (name, variable) in parameters {
      let key = "sgd.momentum.\(name)"
      restored.append(
        state[key] == nil ? nil : try restoredTensor(state, key, shape: variable.shape, path: path))
    }
    buffers = restored
    self.stepCount = stepCount
  }
}
