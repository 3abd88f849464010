import Autograd
import Foundation
import Tensors

/// The Adam optimiser with PyTorch's semantics (`torch.optim.Adam`): bias-corrected moment
/// estimates and, when `weightDecay` is not 0, L2 regularisation added to the gradient
/// (not AdamW's decoupled decay). D. P. Kingma, J. Ba, "Adam: A Method for Stochastic
/// Optimization", ICLR 2015, <https://arxiv.org/abs/1412.6980>.
///
/// At step t, for every value θ with gradient g:
///
///     g ← g + λ·θ
///     m ← β₁·m + (1 − β₁)·g            v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Each parameter is updated in one pass over its storage: θ, g, m and v are read and θ,
/// m, v written in the same loop, so that the step costs one trip through memory.
public final class Adam: Optimizer {
  public let parameters: [(name: String, variable: Variable)]
  /// η.
  public var learningRate: Float
  /// (β₁, β₂): the decay rates of the first and second moment estimates.
  public var betas: (Float, Float)
  /// ε, added to the denominator.
  public var epsilon: Float
  /// λ, the L2 penalty's coefficient.
  public var weightDecay: Float
  public private(set) var stepCount = 0
  /// The first moment estimates m, one per parameter, zero at first.
  private var firstMoments: [Tensor]
  /// The second moment estimates v.
  private var secondMoments: [Tensor]
  /// The current step's coefficients, set by `beginStep()`.
  private var coefficients = AdamCoefficients(
    learningRate: 0, beta1: 0, beta2: 0, epsilon: 0, weightDecay: 0, stepSize: 0,
    biasCorrection2Sqrt: 1)
  public let bookkeeping: StepBookkeeping

  public init(
    _ parameters: [(name: String, variable: Variable)], learningRate: Float = 1e-3,
    betas: (Float, Float) = (0.9, 0.999), epsilon: Float = 1e-8, weightDecay: Float = 0
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.betas = betas
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    firstMoments = parameters.map { Tensor.zeros($0.variable.shape) }
    secondMoments = parameters.map { Tensor.zeros($0.variable.shape) }
    bookkeeping = StepBookkeeping(parameters)
  }

  public func beginStep() {
    stepCount += 1
    // The bias corrections in Double, as PyTorch computes them (in Python floats).
    let t = Double(stepCount)
    coefficients = AdamCoefficients(
      learningRate: learningRate, beta1: betas.0, beta2: betas.1, epsilon: epsilon,
      weightDecay: weightDecay,
      stepSize: Float(Double(learningRate) / (1 - pow(Double(betas.0), t))),
      biasCorrection2Sqrt: Float((1 - pow(Double(betas.1), t)).squareRoot()))
    bookkeeping.begin()
  }

  /// One Adam step of parameter `index`, with the coefficients of the current step.
  public func update(parameter index: Int, value: inout Tensor, gradient: Tensor) {
    let coefficients = coefficients
    gradient.withUnsafeBufferPointer { g in
      value.withUnsafeMutableBufferPointer { p in
        firstMoments[index].withUnsafeMutableBufferPointer { m in
          secondMoments[index].withUnsafeMutableBufferPointer { v in
            // Each range of values is independent of the others: split over the cores.
            _ = parallelRanges(p.count) { _, range in
              adamUpdate(
                parameter: p.baseAddress! + range.lowerBound,
                gradient: g.baseAddress! + range.lowerBound,
                firstMoment: m.baseAddress! + range.lowerBound,
                secondMoment: v.baseAddress! + range.lowerBound, count: range.count,
                coefficients)
            }
          }
        }
      }
    }
  }

  public var state: [(name: String, tensor: Tensor)] {
    parameters.indices.flatMap { i in
      [
        (name: "adam.m.\(parameters[i].name)", tensor: firstMoments[i]),
        (name: "adam.v.\(parameters[i].name)", tensor: secondMoments[i]),
      ]
    }
  }

  public func restore(
    state: [String: Tensor], stepCount: Int, path: String
  ) throws(CheckpointError) {
    var first: [Tensor] = []
    var second: [Tensor] = []
    for (name, variable) in parameters {
      first.append(try restoredTensor(state, "adam.m.\(name)", shape: variable.shape, path: path))
      second.append(try restoredTensor(state, "adam.v.\(name)", shape: variable.shape, path: path))
    }
    firstMoments = first
    secondMoments = second
    self.stepCount = stepCount
  }
}

/// The numbers one Adam step needs, with the bias corrections of step t folded in:
/// stepSize = η / (1 − β₁ᵗ) and biasCorrection2Sqrt = √(1 − β₂ᵗ).
struct AdamCoefficients {
  var learningRate: Float
  var beta1: Float
  var beta2: Float
  var epsilon: Float
  var weightDecay: Float
  var stepSize: Float
  var biasCorrection2Sqrt: Float
}

// book: adam-update
/// One Adam step over `count` values, fused: θ, g, m, v are each read once and θ, m, v
/// written once. The arithmetic follows PyTorch's `_single_tensor_adam` term by term
/// (m as a lerp towards g; v + (1 − β₂)·g²; the division by √(1 − β₂ᵗ) inside the
/// denominator), so that the results match it to the last bit or so.
@inline(__always)
func adamUpdate(
  parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
  firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
  count: Int, _ c: AdamCoefficients
) {
  // BEGIN SOLUTION adam-update: g + λθ into m (of g), v (of g²); step η·m̂ / (√v̂ + ε)
  let (oneMinusBeta1, oneMinusBeta2) = (1 - c.beta1, 1 - c.beta2)
  // One loop per case, so that the loop body has no branch and is vectorised.
  @inline(__always) func update(decay: Bool) {
    for i in 0..<count {
      let gi = decay ? g[i] + c.weightDecay * p[i] : g[i]
      let mi = m[i] + oneMinusBeta1 * (gi - m[i])
      let vi = v[i] * c.beta2 + oneMinusBeta2 * gi * gi
      m[i] = mi
      v[i] = vi
      // v ≥ 0, so |v| changes nothing; it tells the compiler that the square root cannot
      // fail, which lets it use the vector instruction instead of a call per value.
      let root = vi.magnitude.squareRoot()
      p[i] -= c.stepSize * (mi / (root / c.biasCorrection2Sqrt + c.epsilon))
    }
  }
  if c.weightDecay == 0 { update(decay: false) } else { update(decay: true) }
  // END SOLUTION
}
// book: end
