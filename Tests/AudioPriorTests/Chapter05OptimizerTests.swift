import Foundation
import Testing

import Autograd
import NN
import Tensors

/// x minimised on f(x) = x² from x₀ = 1 by `steps` steps of `optimizer`, which updates `x`.
/// - Returns: x after each step.
func minimiseSquare(
  _ x: Variable, steps: Int, optimizer: any Optimizer
) -> [Double] {
  (0..<steps).map { _ in
    optimizer.zeroGrad()
    sum(x * x).backward()
    optimizer.step()
    return Double(x.value.scalars[0])
  }
}

@Suite("Chapter 5: optimisers")
struct Chapter05OptimizerTests {
  /// Adam on f(x) = x², x₀ = 1, η = 0.1, β = (0.9, 0.999), ε = 1e-8, worked out by hand:
  /// g = 2x; m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; x −= η·(m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε).
  @Test(.tags(.adamUpdate)) func adamsFirstThreeStepsMatchTheHandComputation() {
    let x = Variable(Tensor([1], shape: [1]), requiresGrad: true)
    let adam = Adam([("x", x)], learningRate: 0.1)
    let observed = minimiseSquare(x, steps: 3, optimizer: adam)

    // Step 1: g = 2, m = 0.2, v = 0.004; m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4;
    // x = 1 − 0.1·2/(2 + 1e-8), just above 0.9.
    let x1 = 1 - 0.1 * 2 / (2 + 1e-8)
    // Step 2: g = 2·x1 ≈ 1.8, m = 0.9·0.2 + 0.1·g, v = 0.999·0.004 + 0.001·g².
    let g2 = 2 * x1
    let (m2, v2) = (0.9 * 0.2 + 0.1 * g2, 0.999 * 0.004 + 0.001 * g2 * g2)
    let x2 = x1 - 0.1 * (m2 / (1 - 0.81)) / ((v2 / (1 - 0.998001)).squareRoot() + 1e-8)
    // Step 3: the same with t = 3: 1 − 0.9³ = 0.271, 1 − 0.999³ = 0.002997001.
    let g3 = 2 * x2
    let (m3, v3) = (0.9 * m2 + 0.1 * g3, 0.999 * v2 + 0.001 * g3 * g3)
    let x3 = x2 - 0.1 * (m3 / 0.271) / ((v3 / 0.002997001).squareRoot() + 1e-8)

    // About 0.9, 0.8004, 0.7015: the steps are nearly η each, Adam's signature.
    expectClose(observed, [x1, x2, x3], tolerance: 2e-7, "x after steps 1, 2, 3")
    #expect(adam.stepCount == 3)
  }

  /// With weight decay λ, PyTorch's Adam adds λ·x to the gradient (L2, not AdamW).
  @Test(.tags(.adamUpdate)) func adamWeightDecayIsAddedToTheGradient() {
    let x = Variable(Tensor([1], shape: [1]), requiresGrad: true)
    let adam = Adam([("x", x)], learningRate: 0.1, weightDecay: 0.5)
    let observed = minimiseSquare(x, steps: 2, optimizer: adam)
    // Step 1: g = 2 + 0.5 = 2.5: m̂ = 2.5, v̂ = 6.25, x = 1 − 0.1·2.5/(2.5 + 1e-8).
    let x1 = 1 - 0.1 * 2.5 / (2.5 + 1e-8)
    // Step 2: g = 2·x1 + 0.5·x1 = 2.5·x1.
    let g2 = 2.5 * x1
    let (m2, v2) = (0.9 * 0.25 + 0.1 * g2, 0.999 * 0.00625 + 0.001 * g2 * g2)
    let x2 = x1 - 0.1 * (m2 / 0.19) / ((v2 / 0.001999).squareRoot() + 1e-8)
    expectClose(observed, [x1, x2], tolerance: 2e-7, "x after steps 1, 2")
  }

  /// SGD with momentum μ = 0.9 on f(x) = x², x₀ = 1, η = 0.1, by hand (PyTorch: the buffer
  /// starts at the first gradient): b = 2, x = 0.8; g = 1.6, b = 0.9·2 + 1.6 = 3.4,
  /// x = 0.46; g = 0.92, b = 0.9·3.4 + 0.92 = 3.98, x = 0.062.
  @Test(.tags(.sgdMomentum)) func sgdMomentumMatchesTheHandComputation() {
    let x = Variable(Tensor([1], shape: [1]), requiresGrad: true)
    let sgd = SGD([("x", x)], learningRate: 0.1, momentum: 0.9)
    let observed = minimiseSquare(x, steps: 3, optimizer: sgd)
    expectClose(observed, [0.8, 0.46, 0.062], tolerance: 1e-6, "x after steps 1, 2, 3")
  }

  /// Without momentum, x ← x − η·2x = 0.8x each step.
  @Test func plainSGDScalesTheSquareDown() {
    let x = Variable(Tensor([1], shape: [1]), requiresGrad: true)
    let sgd = SGD([("x", x)], learningRate: 0.1)
    let observed = minimiseSquare(x, steps: 3, optimizer: sgd)
    expectClose(observed, [0.8, 0.64, 0.512], tolerance: 1e-6, "x after steps 1, 2, 3")
  }

  /// The vectorised update over a large tensor (split over the cores) computes, value by
  /// value, what the hand formula gives.
  @Test(.tags(.adamUpdate)) func adamUpdatesEveryValueOfALargeTensorAlike() {
    let n = 100_003
    let start = Tensor.uniform([n], low: -1, high: 1, seed: 9)
    let x = Variable(start, requiresGrad: true)
    let adam = Adam([("x", x)], learningRate: 0.01)
    x.grad = start * 2
    adam.step()
    // Step 1: m̂ = g and v̂ = g², so every value moves by η·g/(|g| + ε): nearly η·sign(g).
    let expected = start.scalars.map { x -> Double in
      let g = 2 * Double(x)
      return Double(x) - 0.01 * g / (abs(g) + 1e-8)
    }
    expectClose(x.value.scalars.map(Double.init), expected, tolerance: 1e-6, "x after one step")
  }

  @Test func parametersWithoutAGradientAreLeftAlone() {
    let x = Variable(Tensor([1], shape: [1]), requiresGrad: true)
    let y = Variable(Tensor([3], shape: [1]), requiresGrad: true)
    let adam = Adam([("x", x), ("y", y)], learningRate: 0.1)
    sum(x * x).backward()
    adam.step()
    #expect(y.value.scalars == [3])
    #expect(x.value.scalars != [1])
  }
}
