import Autograd
import Tensors

// Layers and networks of layers. A Module is a function of a Variable that owns learnable
// parameters and lists them itself, by name, in a fixed order: no reflection, so a reader
// sees exactly what the optimiser will update and what a checkpoint will contain.

// book: module
/// A layer, or a network of layers: a differentiable function of one Variable with
/// learnable parameters (PyTorch's `nn.Module`, mlx-swift's `Module`).
public protocol Module {
  /// The layer applied to `x`, recorded in the autograd graph.
  func callAsFunction(_ x: Variable) -> Variable
  /// The learnable parameters with their names, e.g. `("weight", w)`, always in the same
  /// order; a layer without parameters returns `[]`.
  var parameters: [(name: String, variable: Variable)] { get }
}
// book: end

extension Module {
  /// The number of learnable values: the sum of the parameters' element counts.
  public var parameterCount: Int {
    parameters.reduce(0) { $0 + $1.variable.value.count }
  }

  /// The parameters with their names prefixed by `prefix` and a dot, as a container lists
  /// the parameters of the modules it holds (`"3.weight"`).
  public func parameters(prefixedBy prefix: String) -> [(name: String, variable: Variable)] {
    parameters.map { (name: "\(prefix).\($0.name)", variable: $0.variable) }
  }

  /// Clears the gradient of every parameter, keeping its storage.
  public func zeroGrad() {
    for (_, variable) in parameters { variable.zeroGrad() }
  }
}

/// Modules applied one after the other: `Sequential([a, b, c])(x)` is `c(b(a(x)))`.
///
/// Parameters are named by the index of the module that holds them, as PyTorch's
/// `nn.Sequential` names them: `"0.weight"`, `"1.scale"`, ...
public struct Sequential: Module {
  /// The modules, in the order they are applied.
  public var layers: [any Module]

  public init(_ layers: [any Module]) {
    self.layers = layers
  }

  public func callAsFunction(_ x: Variable) -> Variable {
    layers.reduce(x) { y, layer in layer(y) }
  }

  public var parameters: [(name: String, variable: Variable)] {
    layers.enumerated().flatMap { index, layer in layer.parameters(prefixedBy: "\(index)") }
  }
}
