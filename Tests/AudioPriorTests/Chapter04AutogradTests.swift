import Foundation
import Random
import Testing

@testable import Autograd
import Tensors

// MARK: - Fixtures

/// Values uniform in [−1, 1].
func uniformValues(_ shape: [Int], _ g: inout Xoshiro256) -> Tensor {
  Tensor.uniform(shape, low: -1, high: 1, generator: &g)
}

/// Values of magnitude in [0.2, 1] and random sign: at least 0.2 from a kink (relu) or a
/// pole (division), many finite-difference steps away.
func valuesAwayFromZero(_ shape: [Int], _ g: inout Xoshiro256) -> Tensor {
  Tensor.uniform(shape, low: 0.2, high: 1, generator: &g).map { x in
    Bool.random(using: &g) ? x : -x
  }
}

/// A random shape of `rank` axes, each of size 1...4.
func randomShape(rank: Int, _ g: inout Xoshiro256) -> [Int] {
  (0..<rank).map { _ in Int.random(in: 1...4, using: &g) }
}

/// Σ r·y with fixed random weights r of y's shape: a scalar of order one whose gradient
/// with respect to y is r, so every value of y is checked, each with its own weight.
func projection(_ y: Variable, seed: UInt64 = 99) -> Variable {
  sum(y * Variable(Tensor.normal(y.shape, seed: seed)))
}

/// One operation for the finite-difference check, on shapes drawn at random (seeded).
enum CheckedOperation: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case add, addColumnToRow, subtract, multiply, multiplyByLastAxis, divide, negate
  case scalarMixes, matmul, sum, sumAlongAxes, mean, meanAlongAxes, reshape
  case exp, log, relu, leakyReLU, sigmoid, tanh
  case conv2d, conv2dStrided, convTranspose2d, batchNorm, batchNormAlongAxes, mseLoss

  var testDescription: String { rawValue }

  /// The inputs and the function to check, drawn from a generator seeded by the case.
  func make() -> (inputs: [Tensor], f: ([Variable]) -> Variable) {
    var g = Xoshiro256(seed: UInt64(CheckedOperation.allCases.firstIndex(of: self)! + 1))
    let shape = randomShape(rank: Int.random(in: 1...3, using: &g), &g)
    /// `shape` with random axes set to 1 and a random number of leading axes dropped.
    func broadcastable(_ shape: [Int], _ g: inout Xoshiro256) -> [Int] {
      let kept = shape.map { Bool.random(using: &g) ? $0 : 1 }
      return Array(kept.dropFirst(Int.random(in: 0...shape.count, using: &g)))
    }
    switch self {
    case .add:
      let other = broadcastable(shape, &g)
      return ([uniformValues(shape, &g), uniformValues(other, &g)], { projection($0[0] + $0[1]) })
    case .addColumnToRow:
      return (
        [uniformValues([3, 1], &g), uniformValues([1, 4], &g)], { projection($0[0] + $0[1]) }
      )
    case .subtract:
      let other = broadcastable(shape, &g)
      return ([uniformValues(other, &g), uniformValues(shape, &g)], { projection($0[0] - $0[1]) })
    case .multiply:
      let other = broadcastable(shape, &g)
      return ([uniformValues(shape, &g), uniformValues(other, &g)], { projection($0[0] * $0[1]) })
    case .multiplyByLastAxis:
      return (
        [uniformValues([2, 3, 4], &g), uniformValues([4], &g)], { projection($0[0] * $0[1]) }
      )
    case .divide:
      let other = broadcastable(shape, &g)
      return (
        [uniformValues(shape, &g), valuesAwayFromZero(other, &g)], { projection($0[0] / $0[1]) }
      )
    case .negate:
      return ([uniformValues(shape, &g)], { projection(-$0[0]) })
    case .scalarMixes:
      return (
        [valuesAwayFromZero(shape, &g)],
        { v in projection((2 - v[0] * 3 + 0.5) / 4 + 1 / v[0] - (v[0] + 1) * 2 - v[0] / 5) }
      )
    case .matmul:
      let (m, k, n) = (Int.random(in: 1...5, using: &g), Int.random(in: 1...5, using: &g), 3)
      return (
        [uniformValues([m, k], &g), uniformValues([k, n], &g)],
        { projection(Autograd.matmul($0[0], $0[1])) }
      )
    case .sum:
      return ([uniformValues(shape, &g)], { 0.5 * Autograd.sum($0[0]) })
    case .sumAlongAxes:
      return (
        [uniformValues([2, 3, 4], &g)], { projection(Autograd.sum($0[0], alongAxes: [0, -1])) }
      )
    case .mean:
      return ([uniformValues(shape, &g)], { Autograd.mean($0[0]) })
    case .meanAlongAxes:
      return (
        [uniformValues([3, 2, 4], &g)],
        { projection(Autograd.mean($0[0], alongAxes: [1], keepingDimensions: true)) }
      )
    case .reshape:
      return ([uniformValues([2, 3, 4], &g)], { projection(Autograd.reshape($0[0], [4, -1])) })
    case .exp:
      return ([uniformValues(shape, &g)], { projection(Autograd.exp($0[0])) })
    case .log:
      let x = Tensor.uniform(shape, low: 0.2, high: 2, generator: &g)
      return ([x], { projection(Autograd.log($0[0])) })
    case .relu:
      return ([valuesAwayFromZero(shape, &g)], { projection(Autograd.relu($0[0])) })
    case .leakyReLU:
      return (
        [valuesAwayFromZero(shape, &g)], { projection(Autograd.leakyReLU($0[0], slope: 0.2)) }
      )
    case .sigmoid:
      return ([uniformValues(shape, &g)], { projection(Autograd.sigmoid($0[0])) })
    case .tanh:
      return ([uniformValues(shape, &g)], { projection(Autograd.tanh($0[0])) })
    case .conv2d:
      let (n, c, o) = (2, Int.random(in: 1...3, using: &g), Int.random(in: 1...3, using: &g))
      return (
        [
          uniformValues([n, c, 5, 4], &g), uniformValues([o, c, 3, 3], &g), uniformValues([o], &g),
        ],
        { v in projection(Autograd.conv2d(v[0], weight: v[1], bias: v[2], padding: 1)) }
      )
    case .conv2dStrided:
      let (c, o) = (Int.random(in: 1...3, using: &g), Int.random(in: 1...3, using: &g))
      return (
        [
          uniformValues([1, c, 6, 6], &g), uniformValues([o, c, 4, 4], &g), uniformValues([o], &g),
        ],
        { v in projection(Autograd.conv2d(v[0], weight: v[1], bias: v[2], stride: 2, padding: 1)) }
      )
    case .convTranspose2d:
      let (c, o) = (Int.random(in: 1...3, using: &g), Int.random(in: 1...3, using: &g))
      return (
        [
          uniformValues([2, c, 3, 3], &g), uniformValues([c, o, 4, 4], &g), uniformValues([o], &g),
        ],
        { v in
          projection(
            Autograd.convTranspose2d(v[0], weight: v[1], bias: v[2], stride: 2, padding: 1))
        }
      )
    case .batchNorm:
      let (n, c) = (Int.random(in: 1...2, using: &g), Int.random(in: 1...3, using: &g))
      return (
        [
          uniformValues([n, c, 3, 2], &g), Tensor.uniform([c], low: 0.5, high: 1.5, generator: &g),
          uniformValues([c], &g),
        ],
        { v in projection(Autograd.batchNorm(v[0], scale: v[1], shift: v[2])) }
      )
    case .batchNormAlongAxes:
      return (
        [uniformValues([3, 2, 4], &g)],
        { projection(Autograd.batchNorm($0[0], alongAxes: [0, 2])) }
      )
    case .mseLoss:
      let target = uniformValues(shape, &g)
      return ([uniformValues(shape, &g)], { Autograd.mseLoss($0[0], target) })
    }
  }
}

// MARK: - Tests

@Suite("Chapter 4: autograd")
struct Chapter04AutogradTests {
  /// Every operation's backward against central differences, within 1e-2 in Float32.
  @Test(.tags(.multiply, .sigmoid, .matmulBackward), arguments: CheckedOperation.allCases)
  func backwardMatchesFiniteDifferences(_ operation: CheckedOperation) {
    let (inputs, f) = operation.make()
    let errors = gradcheck(inputs, f)
    for (index, error) in errors.enumerated() {
      #expect(
        error <= 1e-2,
        "\(operation): input \(index) of shape \(inputs[index].shape), relative error \(error)")
    }
  }

  /// d/dx (x·x + 3x) = 2x + 3, which is 7 at x = 2.
  @Test(.tags(.topologicalOrder, .multiply)) func derivativeOfSquarePlusThreeXAtTwoIsSeven() {
    let x = Variable(Tensor(2), requiresGrad: true)
    let f = x * x + 3 * x
    f.backward()
    #expect(f.value.scalar == 10)
    #expect(x.grad?.scalar == 7)
  }

  /// A value used twice receives both gradients: d/dx Σ x·x = 2x.
  @Test(.tags(.multiply)) func valueUsedTwiceAccumulatesBothGradients() {
    let values = Tensor([-1.5, 0, 0.25, 2, 3], shape: [5])
    let x = Variable(values, requiresGrad: true)
    sum(x * x).backward()
    expectClose(x.grad!.scalars, values.scalars.map { 2 * $0 }, tolerance: 1e-6)
  }

  /// Broadcast operands receive the gradient summed over the axes they were repeated along.
  @Test func broadcastGradientsAreSummedToEachInputShape() {
    // [3, 1] + [1, 4]: each value of a is read 4 times, each value of b 3 times.
    let a = Variable(Tensor.zeros([3, 1]), requiresGrad: true)
    let b = Variable(Tensor.zeros([1, 4]), requiresGrad: true)
    sum(a + b).backward()
    #expect(a.grad == Tensor.ones([3, 1]) * 4)
    #expect(b.grad == Tensor.ones([1, 4]) * 3)
    // [2, 3, 4] · [4]: ∂/∂b[k] Σ x·b = Σ over the first two axes of x[·, ·, k].
    let xValues = Tensor((0..<24).map { Float($0) }, shape: [2, 3, 4])
    let x = Variable(xValues, requiresGrad: true)
    let w = Variable(Tensor([1, 2, 3, 4], shape: [4]), requiresGrad: true)
    sum(x * w).backward()
    let expected = (0..<4).map { k in
      (0..<6).reduce(Float(0)) { total, row in total + Float(row * 4 + k) }
    }
    #expect(w.grad?.shape == [4])
    expectClose(w.grad!.scalars, expected, tolerance: 1e-4)
    #expect(x.grad == Tensor([1, 2, 3, 4], shape: [1, 1, 4]).broadcast(to: [2, 3, 4]))
  }

  /// The fused batch-norm backward agrees with the same normalisation composed of
  /// elementary operations (means, differences, a square root by exp and log) and
  /// differentiated by the chain rule alone.
  @Test(.tags(.batchNormBackward)) func batchNormFusedBackwardMatchesTheComposedGraph() {
    var g = Xoshiro256(seed: 7)
    let (x, gamma, beta) = (
      uniformValues([2, 3, 4, 5], &g), Tensor.uniform([3], low: 0.5, high: 1.5, generator: &g),
      uniformValues([3], &g)
    )
    let weights = Tensor.normal([2, 3, 4, 5], seed: 8)
    func gradients(_ normalise: (Variable, Variable, Variable) -> Variable) -> [Tensor] {
      let v = [x, gamma, beta].map { Variable($0, requiresGrad: true) }
      sum(normalise(v[0], v[1], v[2]) * Variable(weights)).backward()
      return v.map { $0.grad! }
    }
    let fused = gradients { batchNorm($0, scale: $1, shift: $2) }
    let composed = gradients { x, scale, shift in
      let mu = mean(x, alongAxes: [0, 2, 3], keepingDimensions: true)
      let centred = x - mu
      let variance = mean(centred * centred, alongAxes: [0, 2, 3], keepingDimensions: true)
      let inverseStd = exp(log(variance + 1e-5) * -0.5)
      return centred * inverseStd * reshape(scale, [1, 3, 1, 1]) + reshape(shift, [1, 3, 1, 1])
    }
    for (name, (f, c)) in zip(["x", "scale", "shift"], zip(fused, composed)) {
      expectClose(f.scalars, c.scalars, tolerance: 1e-4, relative: true, "∂L/∂\(name)")
    }
    // And both against finite differences.
    let errors = gradcheck([x, gamma, beta]) { v in
      sum(batchNorm(v[0], scale: v[1], shift: v[2]) * Variable(weights))
    }
    #expect(errors.allSatisfy { $0 <= 1e-2 }, "relative errors \(errors)")
  }

  /// A per-channel bias receives Σ over n, y, x of the output gradient, for both
  /// convolutions.
  @Test(arguments: [false, true])
  func convolutionBiasGradientIsTheOutputGradientSummedPerChannel(transposed: Bool) {
    var g = Xoshiro256(seed: transposed ? 11 : 12)
    let x = Variable(uniformValues([2, 3, 4, 4], &g))
    let weight = Variable(uniformValues(transposed ? [3, 2, 3, 3] : [2, 3, 3, 3], &g))
    let bias = Variable(Tensor.zeros([2]), requiresGrad: true)
    let y =
      transposed
      ? convTranspose2d(x, weight: weight, bias: bias, stride: 2, padding: 1)
      : conv2d(x, weight: weight, bias: bias, padding: 1)
    let dy = Tensor.normal(y.shape, seed: 13)
    y.backward(gradient: dy)
    let (n, c, h, w) = (dy.shape[0], dy.shape[1], dy.shape[2], dy.shape[3])
    var expected = [Float](repeating: 0, count: c)
    for i in 0..<n {
      for o in 0..<c { for r in 0..<h { for s in 0..<w { expected[o] += dy[i, o, r, s] } } }
    }
    expectClose(bias.grad!.scalars, expected, tolerance: 1e-4, relative: true)
  }

  /// A two-layer transposed-convolution network fits a 16 × 16 ring: 300 steps of gradient
  /// descent with momentum divide the loss by at least 100.
  @Test(.tags(.sigmoid)) func tinyGeneratorLossFallsHundredfold() {
    let target = Tensor(
      (0..<256).map { i -> Float in
        let (y, x) = (Float(i / 16) - 7.5, Float(i % 16) - 7.5)
        let r = (x * x + y * y).squareRoot()
        return 0.1 + 0.8 * Foundation.exp(-(r - 4.8) * (r - 4.8) / 2.56)
      }, shape: [1, 1, 16, 16])
    let z = Variable(Tensor.normal([1, 8, 4, 4], seed: 1))
    let w1 = Variable(
      Tensor.normal([8, 8, 4, 4], standardDeviation: 0.25, seed: 2), requiresGrad: true)
    let b1 = Variable(Tensor.zeros([8]), requiresGrad: true)
    let w2 = Variable(
      Tensor.normal([8, 1, 4, 4], standardDeviation: 0.25, seed: 3), requiresGrad: true)
    let b2 = Variable(Tensor.zeros([1]), requiresGrad: true)
    let parameters = [w1, b1, w2, b2]
    var velocities = parameters.map { Tensor.zeros($0.shape) }
    var losses: [Float] = []
    for _ in 0..<300 {
      let hidden = relu(convTranspose2d(z, weight: w1, bias: b1, stride: 2, padding: 1))
      let output = sigmoid(convTranspose2d(hidden, weight: w2, bias: b2, stride: 2, padding: 1))
      let loss = mseLoss(output, target)
      losses.append(loss.value.scalar)
      for p in parameters { p.zeroGrad() }
      loss.backward()
      for (i, p) in parameters.enumerated() {
        velocities[i] *= 0.9
        velocities[i] += p.grad!
        p.value.add(velocities[i], scaledBy: -1)
      }
    }
    #expect(losses.last! * 100 <= losses.first!, "loss \(losses.first!) → \(losses.last!)")
  }

  /// After backward, the graph holds nothing: an intermediate Variable is freed as soon as
  /// the caller's last reference goes, even while the loss itself is kept.
  @Test func graphIsReleasedAfterBackward() {
    let parameter = Variable(Tensor.normal([4, 4], seed: 3), requiresGrad: true)
    weak var intermediate: Variable?
    var loss: Variable?
    do {
      let hidden = sigmoid(matmul(parameter, parameter))
      intermediate = hidden
      loss = mean(hidden * hidden)
      #expect(intermediate != nil)
      loss!.backward()
    }
    #expect(intermediate == nil, "the loss kept its graph alive after backward")
    #expect(parameter.grad != nil)
    loss = nil
    // Without backward, the graph goes with its output.
    do {
      let hidden = exp(parameter)
      intermediate = hidden
      _ = sum(hidden)
    }
    #expect(intermediate == nil)
  }

  /// A chain 50 000 operations deep is differentiated and freed without recursion.
  @Test(.tags(.topologicalOrder)) func deepChainNeitherOverflowsNorLeaks() {
    let x = Variable(Tensor(1), requiresGrad: true)
    var y = x
    for _ in 0..<25_000 { y = y * 1.0 + 0.0 }
    y.backward()
    #expect(x.grad?.scalar == 1)
    // And one never differentiated, freed by dropping its output.
    weak var first: Variable?
    do {
      var z = x * 2
      first = z
      for _ in 0..<50_000 { z = z + 1 }
    }
    #expect(first == nil)
  }

  /// zeroGrad keeps the gradient's storage and zeroes it, so the next backward gives that
  /// step's gradient alone.
  @Test func zeroGradStartsTheNextStepFromZero() {
    let x = Variable(Tensor([1, 2, 3], shape: [3]), requiresGrad: true)
    sum(x * x).backward()
    let storage = x.grad!.withUnsafeBufferPointer { $0.baseAddress }
    x.zeroGrad()
    #expect(x.grad == Tensor.zeros([3]))
    #expect(x.grad!.withUnsafeBufferPointer { $0.baseAddress } == storage)
    sum(x * x).backward()
    #expect(x.grad == Tensor([2, 4, 6], shape: [3]))
  }

  /// Operations on constants build no graph and need no gradient.
  @Test func constantsBuildNoGraph() {
    let a = Variable(Tensor.ones([2, 2]))
    let b = exp(a * a + 1)
    #expect(!b.requiresGrad)
    #expect(b.parents.isEmpty)
    let w = Variable(Tensor.ones([2, 2]), requiresGrad: true)
    #expect((b * w).requiresGrad)
  }

  /// The mean squared error and its gradient (2/n)(p − t), by the definition.
  @Test func meanSquaredErrorMatchesItsDefinition() {
    let p = Variable(Tensor([1, 2, 3, 4], shape: [2, 2]), requiresGrad: true)
    let t = Tensor([0, 2, 5, 3], shape: [2, 2])
    let loss = mseLoss(p, t)
    #expect(loss.value.scalar == Float(1 + 0 + 4 + 1) / 4)
    loss.backward()
    #expect(p.grad == Tensor([0.5, 0, -1, 0.5], shape: [2, 2]))
  }

  /// Central differences of x ↦ Σ x³ are 3x², to the h² truncation error.
  @Test(.tags(.centralDifference)) func numericalGradientOfCubeIsThreeXSquared() {
    let x = Tensor([-1, 0.5, 2], shape: [3])
    let numeric = numericalGradient([x], withRespectTo: 0) { v in sum(v[0] * v[0] * v[0]) }
    expectClose(numeric, [3, 0.75, 12], tolerance: 1e-2)
  }

  /// gradcheck catches a wrong backward: an "exp" that passes the gradient through
  /// unchanged.
  @Test(.tags(.centralDifference)) func gradcheckFlagsAWrongBackward() {
    func wrongExp(_ a: Variable) -> Variable {
      Variable(a.value.exp(), parents: [a]) { dy in a.accumulate(dy) }
    }
    let x = Tensor([0.5, 1, 1.5], shape: [3])
    let errors = gradcheck([x]) { v in sum(wrongExp(v[0])) }
    #expect(errors[0] > 0.3)
  }
}
