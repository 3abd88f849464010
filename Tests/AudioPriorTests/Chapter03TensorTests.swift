import Foundation
import Testing

@testable import Tensors

/// A tensor of `shape` with values uniform in [−1, 1), seeded.
func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
  Tensor.uniform(shape, low: -1, high: 1, seed: seed)
}

/// One row of the broadcasting table: two operands, an operation, the expected result.
struct BroadcastCase: Sendable, CustomTestStringConvertible {
  var a: ([Float], [Int])
  var operation: BinaryOperation
  var b: ([Float], [Int])
  var expected: ([Float], [Int])
  var testDescription: String { "\(a.1) \(operation) \(b.1) → \(expected.1)" }
}

/// The broadcasting table: every expected value written out by hand.
let broadcastCases: [BroadcastCase] = [
  // A row vector added to each row of a matrix.
  BroadcastCase(
    a: ([1, 2, 3, 4, 5, 6], [2, 3]), operation: .add, b: ([10, 20, 30], [3]),
    expected: ([11, 22, 33, 14, 25, 36], [2, 3])),
  // A column times a row: the outer product.
  BroadcastCase(
    a: ([1, 2], [2, 1]), operation: .multiply, b: ([1, 2, 3], [1, 3]),
    expected: ([1, 2, 3, 2, 4, 6], [2, 3])),
  // A scalar tensor (shape []) against a vector.
  BroadcastCase(
    a: ([1, 2, 3], [3]), operation: .subtract, b: ([1], []), expected: ([0, 1, 2], [3])),
  // A length-1 vector against a vector.
  BroadcastCase(
    a: ([1, 2, 3, 4], [4]), operation: .add, b: ([5], [1]), expected: ([6, 7, 8, 9], [4])),
  // Size-1 axes on both sides, and a missing leading axis: [2, 1, 2] / [3, 1] → [2, 3, 2].
  BroadcastCase(
    a: ([1, 2, 3, 4], [2, 1, 2]), operation: .divide, b: ([1, 2, 4], [3, 1]),
    expected: ([1, 2, 0.5, 1, 0.25, 0.5, 3, 4, 1.5, 2, 0.75, 1], [2, 3, 2])),
  // A per-channel scale of an NCHW tensor: [1, 2, 2, 2] × [1, 2, 1, 1].
  BroadcastCase(
    a: ([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]), operation: .multiply,
    b: ([10, 100], [1, 2, 1, 1]),
    expected: ([10, 20, 30, 40, 500, 600, 700, 800], [1, 2, 2, 2])),
  // A column subtracted from each column.
  BroadcastCase(
    a: ([1, 2, 3, 4], [2, 2]), operation: .subtract, b: ([1, 3], [2, 1]),
    expected: ([0, 1, 0, 1], [2, 2])),
  // The scalar on the left.
  BroadcastCase(
    a: ([2], []), operation: .divide, b: ([1, 4, 8], [3, 1]), expected: ([2, 0.5, 0.25], [3, 1])),
]

@Suite("Chapter 3: tensors")
struct Chapter03TensorTests {
  @Test func valuesAreStoredRowMajor() {
    let t = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(t[0, 0] == 1 && t[0, 2] == 3 && t[1, 0] == 4 && t[1, 2] == 6)
    #expect(t.count == 6 && t.rank == 2)
    #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
    #expect(Tensor.ones([3]).scalars == [1, 1, 1])
    #expect(contiguousStrides([2, 3, 4]) == [12, 4, 1])
  }

  @Test func copiesDoNotShareWrites() {
    let a = Tensor([1, 2, 3], shape: [3])
    var b = a
    b[1] = 20
    var c = a.reshaped([1, 3])
    c.withUnsafeMutableBufferPointer { $0[0] = 10 }
    #expect(a.scalars == [1, 2, 3])
    #expect(b.scalars == [1, 20, 3])
    #expect(c.scalars == [10, 2, 3])
  }

  @Test func reshapeKeepsTheOrderAndInfersOneSize() {
    let t = Tensor((0..<12).map(Float.init), shape: [3, 4])
    let r = t.reshaped([2, -1])
    #expect(r.shape == [2, 6])
    #expect(r.scalars == t.scalars)
  }

  @Test func transposeAndPermuteMoveValuesAsIndicesSay() {
    let m = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(m.transposed() == Tensor([1, 4, 2, 5, 3, 6], shape: [3, 2]))
    // [2, 2, 3] with value 100i + 10j + k, permuted to [3, 2, 2] (axes k, i, j).
    var values: [Float] = []
    for i in 0..<2 {
      for j in 0..<2 { for k in 0..<3 { values.append(Float(100 * i + 10 * j + k)) } }
    }
    let p = Tensor(values, shape: [2, 2, 3]).permuted([2, 0, 1])
    #expect(p.shape == [3, 2, 2])
    #expect(p.scalars == [0, 10, 100, 110, 1, 11, 101, 111, 2, 12, 102, 112])
  }

  @Test(arguments: [
    ([2, 3], [3], [2, 3]), ([4, 1, 3], [5, 1], [4, 5, 3]), ([], [2, 2], [2, 2]),
    ([1], [7], [7]), ([8, 1, 6, 1], [7, 1, 5], [8, 7, 6, 5]),
  ])
  func shapesBroadcastByNumPyRules(a: [Int], b: [Int], expected: [Int]) {
    #expect(broadcastShape(a, b) == expected)
    #expect(broadcastShape(b, a) == expected)
  }

  @Test(.tags(.broadcastStrides), arguments: broadcastCases)
  func broadcastingMatchesTheHandWrittenTable(_ c: BroadcastCase) {
    let a = Tensor(c.a.0, shape: c.a.1)
    let b = Tensor(c.b.0, shape: c.b.1)
    let result = Tensor.applying(c.operation, a, b)
    #expect(result.shape == c.expected.1)
    expectClose(result.scalars, c.expected.0, tolerance: 1e-6)
  }

  @Test(.tags(.broadcastStrides)) func broadcastStridesAreZeroOnRepeatedAxes() {
    #expect(broadcastStrides(of: [3, 1], to: [2, 3, 4]) == [0, 1, 0])
    #expect(broadcastStrides(of: [2, 3], to: [2, 3]) == [3, 1])
    #expect(broadcastStrides(of: [], to: [2]) == [0])
  }

  @Test func operatorsAndInPlaceUpdatesBroadcast() {
    var x = Tensor([1, 2, 3, 4], shape: [2, 2])
    let row = Tensor([10, 20], shape: [2])
    #expect((x + row).scalars == [11, 22, 13, 24])
    #expect((2 * x - 1).scalars == [1, 3, 5, 7])
    #expect((-x).scalars == [-1, -2, -3, -4])
    x += row
    #expect(x.scalars == [11, 22, 13, 24])
    x /= 2
    #expect(x.scalars == [5.5, 11, 6.5, 12])
    var y = Tensor.ones([2, 2])
    y.add(Tensor([1, 2, 3, 4], shape: [2, 2]), scaledBy: 0.5)
    #expect(y.scalars == [1.5, 2, 2.5, 3])
  }

  @Test func outputsAreReusedWithoutReallocating() {
    let a = randomTensor([4, 5], seed: 1)
    let b = randomTensor([5], seed: 2)
    var out = Tensor.zeros([4, 5])
    let before = out.withUnsafeBufferPointer { $0.baseAddress }
    Tensor.apply(.multiply, a, b, into: &out)
    out.apply(.sigmoid)
    out.apply(.multiply, b)
    let after = out.withUnsafeBufferPointer { $0.baseAddress }
    #expect(before == after)
  }

  @Test func sumToShapeUndoesBroadcast() {
    let t = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(t.summed(toShape: [3]).scalars == [5, 7, 9])
    #expect(t.summed(toShape: [2, 1]).scalars == [6, 15])
    #expect(t.summed(toShape: []).scalars == [21])
    #expect(t.summed(toShape: [1, 3]).shape == [1, 3])
  }

  @Test(arguments: [UnaryFunction.exp, .log, .log1p, .relu, .sigmoid, .tanh])
  func unaryFunctionsMatchDoublePrecision(function: UnaryFunction) {
    let values: [Float] = [-3, -0.5, -1e-4, 0, 1e-4, 0.25, 1, 2.5, 10]
    let positive = values.map { abs($0) + 1e-3 }
    let input = function == .log || function == .log1p ? positive : values
    let expected: [Double] = input.map { x in
      let d = Double(x)
      switch function {
      case .exp: return Foundation.exp(d)
      case .log: return Foundation.log(d)
      case .log1p: return Foundation.log1p(d)
      case .relu: return max(d, 0)
      case .sigmoid: return 1 / (1 + Foundation.exp(-d))
      case .tanh: return Foundation.tanh(d)
      default: return .nan
      }
    }
    let observed = Tensor(input, shape: [input.count]).applying(function).scalars
    for (o, e) in zip(observed, expected) {
      expectClose(Double(o), e, tolerance: 2e-6 * max(1, abs(e)), "\(function)")
    }
  }

  @Test func relativeDifferenceIsScaledByTheReference() {
    let expected = Tensor([1, -4, 2], shape: [3])
    #expect(relativeDifference(Tensor([1, -3, 2], shape: [3]), expected) == 0.25)
    #expect(relativeDifference(Tensor([1, .nan, 2], shape: [3]), expected).isNaN)
  }

  @Test func largeNegativeInputsGiveAFiniteSigmoid() {
    let s = Tensor([-200, 200], shape: [2]).sigmoid()
    #expect(s.scalars == [0, 1])
  }
}
