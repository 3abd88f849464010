import Autograd
import Tensors

/// Updates parameters from their gradients, one step at a time.
///
/// An optimiser holds the parameters it updates, by name, and whatever state it keeps
/// between steps (Adam's moment estimates, SGD's momentum), so that a checkpoint can save
/// and restore both and a fit can be resumed exactly (Checkpoint.swift).
public protocol Optimizer: AnyObject {
  /// The parameters, with the names a checkpoint stores them under.
  var parameters: [(name: String, variable: Variable)] { get }
  /// How many steps have been taken.
  var stepCount: Int { get }
  /// Which parameters the current step has updated; `beginStep()` starts it afresh.
  var bookkeeping: StepBookkeeping { get }
  /// Starts a step whose parameters are then updated one at a time by `update(_:)`, as soon
  /// as each one's gradient is final, while its values are still in cache; `finishStep()`
  /// updates the rest. The result is the same as `step()`'s, to the bit.
  func beginStep()
  /// The optimiser's own rule: one step of parameter `index`, whose `value` has `gradient`
  /// (of the same shape). `update(_:)` and `finishStep()` call it, once a step for each
  /// parameter that has a gradient; call them rather than this.
  func update(parameter index: Int, value: inout Tensor, gradient: Tensor)
  /// The state tensors kept between steps, named, in a fixed order.
  var state: [(name: String, tensor: Tensor)] { get }
  /// Replaces the state and the step count with saved ones (as `state` named them).
  /// - Throws: `CheckpointError` when a tensor is missing or has the wrong shape.
  func restore(state: [String: Tensor], stepCount: Int, path: String) throws(CheckpointError)
}

extension Optimizer {
  /// One update of every parameter that has a gradient; parameters whose `grad` is nil are
  /// left as they are. The same as `beginStep()` followed by `finishStep()`.
  public func step() {
    beginStep()
    finishStep()
  }

  /// Updates `variable` for the step begun by `beginStep()`, once; nothing happens for a
  /// variable the optimiser does not hold, one already updated, or one without a gradient.
  public func update(_ variable: Variable) {
    guard let index = bookkeeping.take(variable), let gradient = variable.grad else { return }
    precondition(
      gradient.shape == variable.shape,
      "\(Self.self): gradient \(gradient.shape) does not match parameter \(variable.shape)")
    update(parameter: index, value: &variable.value, gradient: gradient)
  }

  /// Updates every parameter that `update(_:)` has not updated since `beginStep()`.
  public func finishStep() {
    for (_, variable) in parameters { update(variable) }
  }

  /// Clears every parameter's gradient, keeping its storage.
  public func zeroGrad() {
    for (_, variable) in parameters { variable.zeroGrad() }
  }
}

/// Which parameters of an optimiser a step has updated, and where each parameter is: an
/// optimiser makes one from its parameters and calls `begin()` when it begins a step.
public final class StepBookkeeping {
  /// The parameter's index, by the identity of its Variable.
  let indices: [ObjectIdentifier: Int]
  /// Whether each parameter still awaits its update in the current step.
  var pending: [Bool]

  public init(_ parameters: [(name: String, variable: Variable)]) {
    var indices: [ObjectIdentifier: Int] = [:]
    for (index, parameter) in parameters.enumerated() {
      indices[ObjectIdentifier(parameter.variable)] = index
    }
    self.indices = indices
    pending = Array(repeating: false, count: parameters.count)
  }

  /// Marks every parameter as awaiting its update.
  public func begin() {
    for i in pending.indices { pending[i] = true }
  }

  /// The index of `variable` if it awaits its update (which it no longer does after this).
  func take(_ variable: Variable) -> Int? {
    guard let index = indices[ObjectIdentifier(variable)], pending[index] else { return nil }
    pending[index] = false
    return index
  }
}

/// Checks that a restored state tensor exists and has the expected shape.
func restoredTensor(
  _ state: [String: Tensor], _ name: String, shape: [Int], path: String
) throws(CheckpointError) -> Tensor {
  guard let tensor = state[name] else { throw .missingTensor(path: path, name: name) }
  guard tensor.shape == shape else {
    throw .shapeMismatch(path: path, name: name, expected: shape, found: tensor.shape)
  }
  return tensor
}
