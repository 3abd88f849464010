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
  /// One update of every parameter that has a gradient; parameters whose `grad` is nil are
  /// left as they are.
  func step()
  /// The state tensors kept between steps, named, in a fixed order.
  var state: [(name: String, tensor: Tensor)] { get }
  /// Replaces the state and the step count with saved ones (as `state` named them).
  /// - Throws: `CheckpointError` when a tensor is missing or has the wrong shape.
  func restore(state: [String: Tensor], stepCount: Int, path: String) throws(CheckpointError)
}

extension Optimizer {
  /// Clears every parameter's gradient, keeping its storage.
  public func zeroGrad() {
    for (_, variable) in parameters { variable.zeroGrad() }
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
