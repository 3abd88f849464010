import Foundation
import Random
import Testing

@testable import Tensors

/// Sums (and sums of squared deviations) over `axes`, by a plain Double loop over flat
/// indices: the reference for the reductions.
func referenceReduction(_ t: Tensor, axes: [Int]) -> (
  shape: [Int], mean: [Double], variance: [Double]
) {
  let shape = t.shape
  let reduced = Set(axes.map { $0 < 0 ? $0 + shape.count : $0 })
  let kept = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
  let outputCount = kept.reduce(1, *)
  let n = Double(t.count / outputCount)
  let values = t.scalars
  // The output index of flat input index i: decompose i, zero the reduced axes, recompose.
  func outputIndex(_ i: Int) -> Int {
    var rest = i
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    var o = 0
    for axis in shape.indices { o = o * kept[axis] + (reduced.contains(axis) ? 0 : index[axis]) }
    return o
  }
  var sums = [Double](repeating: 0, count: outputCount)
  for i in values.indices { sums[outputIndex(i)] += Double(values[i]) }
  let means = sums.map { $0 / n }
  var squares = [Double](repeating: 0, count: outputCount)
  for i in values.indices {
    let d = Double(values[i]) - means[outputIndex(i)]
    squares[outputIndex(i)] += d * d
  }
  return (kept, means, squares.map { $0 / n })
}

@Suite("Chapter 3: tensors")
struct Chapter03ReductionTests {
  @Test func medianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    #expect(median([3.0, 1, 2]) == 2)
    #expect(median([4.0, 1, 3, 2]) == 2.5)
    #expect(median([Float(7)]) == 7)
  }

  @Test(arguments: [[0], [1], [2], [-1], [0, 2], [1, 2], [0, 1, 2]])
  func reductionsMatchADoubleLoop(axes: [Int]) {
    let t = randomTensor([3, 4, 5], seed: 7) * 10 + 3
    let (kept, means, variances) = referenceReduction(t, axes: axes)
    let n = Double(t.count / kept.reduce(1, *))

    let sum = t.sum(alongAxes: axes, keepingDimensions: true)
    #expect(sum.shape == kept)
    expectClose(sum.scalars.map(Double.init), means.map { $0 * n }, tolerance: 1e-5, relative: true)

    let mean = t.mean(alongAxes: axes)
    let reduced = Set(axes.map { ($0 + 3) % 3 })
    #expect(mean.shape == (0..<3).filter { !reduced.contains($0) }.map { t.shape[$0] })
    expectClose(mean.scalars.map(Double.init), means, tolerance: 1e-5, relative: true)

    let variance = t.variance(alongAxes: axes, keepingDimensions: true)
    expectClose(variance.scalars.map(Double.init), variances, tolerance: 1e-5, relative: true)
  }

  @Test func wholeTensorReductionsMatchADoubleLoop() {
    let t = randomTensor([1000], seed: 3) + 0.25
    let values = t.scalars.map(Double.init)
    let mean = values.reduce(0, +) / 1000
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 1000
    expectClose(Double(t.sum()), mean * 1000, tolerance: 1e-4)
    expectClose(Double(t.mean()), mean, tolerance: 1e-7)
    expectClose(Double(t.variance()), variance, tolerance: 1e-7)
  }

  @Test func descriptionShowsShapeAndValues() {
    let t = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(t.description == "Tensor [2, 3]\n[[1, 2, 3],\n [4, 5, 6]]")
    let big = Tensor.zeros([40, 50])
    #expect(big.description.hasPrefix("Tensor [40, 50]\n[[0, 0, 0, ..., 0, 0, 0],"))
    #expect(big.description.split(separator: "\n").count == 8)
  }
}

@Suite("Chapter 3: tensors")
struct Chapter03RandomTests {
  /// The first outputs for seed 42, from an independent implementation of the published
  /// algorithms (SplitMix64 seeding, then xoshiro256**).
  @Test func generatorMatchesTheReferenceSequence() {
    var random = Xoshiro256(seed: 42)
    let expected: [UInt64] = [
      0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1, 0xecb8_ad47_03b3_60a1,
    ]
    #expect((0..<4).map { _ in random.next() } == expected)
  }

  @Test func sameSeedGivesTheSameTensor() {
    #expect(Tensor.normal([3, 4], seed: 5) == Tensor.normal([3, 4], seed: 5))
    #expect(Tensor.uniform([7], seed: 5) == Tensor.uniform([7], seed: 5))
    #expect(Tensor.normal([3, 4], seed: 5) != Tensor.normal([3, 4], seed: 6))
  }

  /// For n = 200 000 standard normals, the sample mean has standard deviation 1/√n ≈ 0.0022
  /// and the sample variance √(2/n) ≈ 0.0032: five of those are the bounds.
  @Test func normalsHaveMeanZeroAndVarianceOne() {
    let n = 200_000
    let t = Tensor.normal([n], seed: 11)
    let values = t.scalars.map(Double.init)
    let mean = values.reduce(0, +) / Double(n)
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
    let fourth = values.map { pow($0 - mean, 4) }.reduce(0, +) / Double(n)
    #expect(abs(mean) < 5 / Double(n).squareRoot())
    #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
    // The fourth moment of a normal is 3; its sample estimate has standard deviation √(96/n).
    #expect(abs(fourth - 3) < 5 * (96 / Double(n)).squareRoot())
    let scaled = Tensor.normal([n], mean: 2, standardDeviation: 0.5, seed: 11)
    expectClose(Double(scaled.mean()), 2, tolerance: 5 * 0.5 / Double(n).squareRoot())
  }

  @Test func uniformsFillTheIntervalEvenly() {
    let n = 200_000
    let t = Tensor.uniform([n], low: -2, high: 2, seed: 12)
    #expect(t.scalars.allSatisfy { $0 >= -2 && $0 < 2 })
    // Uniform on [−2, 2): mean 0, variance 16/12.
    expectClose(Double(t.mean()), 0, tolerance: 5 * (16.0 / 12 / Double(n)).squareRoot())
    expectClose(Double(t.variance()), 16.0 / 12, tolerance: 0.02)
  }
}

@Suite("Chapter 3: tensors")
struct Chapter03ShapeErrorTests {
  @Test func mismatchedShapesStopNamingBothShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("[2, 3]") && message.contains("[4]"))
  }

  @Test func mismatchedMatrixProductStopsNamingBothShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("[2, 3]") && message.contains("[4, 5]"))
  }

  @Test func mismatchedConvolutionStopsNamingBothShapes() async {
    await #expect(processExitsWith: .failure) {
      _ = conv2d(Tensor.zeros([1, 3, 8, 8]), weight: Tensor.zeros([4, 2, 3, 3]))
    }
  }
}
