import Autograd
import Tensors

// The activation functions as modules without parameters, so that a network can be written
// as a list of layers. Each calls the Autograd operation of the same name.

/// max(x, 0) elementwise.
public struct ReLU: Module {
  public init() {}
  public func callAsFunction(_ x: Variable) -> Variable { relu(x) }
  public var parameters: [(name: String, variable: Variable)] { [] }
}

/// x where x > 0, else slope · x, elementwise (DCGAN's discriminator uses slope 0.2).
public struct LeakyReLU: Module {
  /// The gradient for negative inputs.
  public var slope: Float

  public init(slope: Float = 0.2) {
    self.slope = slope
  }

  public func callAsFunction(_ x: Variable) -> Variable { leakyReLU(x, slope: slope) }
  public var parameters: [(name: String, variable: Variable)] { [] }
}

/// tanh x elementwise: outputs in (−1, 1), DCGAN's original output layer.
public struct Tanh: Module {
  public init() {}
  public func callAsFunction(_ x: Variable) -> Variable { tanh(x) }
  public var parameters: [(name: String, variable: Variable)] { [] }
}

/// 1 / (1 + e⁻ˣ) elementwise: outputs in (0, 1), the range of a min–max scaled spectrogram.
public struct Sigmoid: Module {
  public init() {}
  public func callAsFunction(_ x: Variable) -> Variable { sigmoid(x) }
  public var parameters: [(name: String, variable: Variable)] { [] }
}
