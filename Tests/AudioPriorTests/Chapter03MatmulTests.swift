import Foundation
import Testing

@testable import Tensors

/// A product's sizes: op(A) is [m, k], op(B) is [k, n].
struct ProductSize: Sendable, CustomTestStringConvertible {
  var m: Int
  var k: Int
  var n: Int
  var testDescription: String { "\(m)×\(k)·\(k)×\(n)" }
}

/// Awkward sizes: a single value, small primes, and sizes one past the block sizes.
let productSizes = [
  ProductSize(m: 1, k: 1, n: 1), ProductSize(m: 3, k: 7, n: 5),
  ProductSize(m: 129, k: 257, n: 65),
]

/// Which operands are stored transposed.
let transposeCases: [(Bool, Bool)] = [(false, false), (true, false), (false, true), (true, true)]

@Suite("Chapter 3: tensors")
struct Chapter03MatmulTests {
  @Test(.tags(.naiveMatmul)) func tripleLoopMatchesAHandWorkedProduct() {
    let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let b = Tensor([7, 8, 9, 10, 11, 12], shape: [3, 2])
    // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
    #expect(naiveMatmul(a, b) == Tensor([58, 64, 139, 154], shape: [2, 2]))
  }

  @Test(.tags(.gemmMicroKernel), arguments: productSizes, transposeCases)
  func everyMatmulAgreesWithTheTripleLoop(size: ProductSize, transposes: (Bool, Bool)) {
    let (transposeA, transposeB) = transposes
    // Stored shapes: op(A) = Aᵀ when transposeA, so A is stored [k, m].
    let a = randomTensor(transposeA ? [size.k, size.m] : [size.m, size.k], seed: 1)
    let b = randomTensor(transposeB ? [size.n, size.k] : [size.k, size.n], seed: 2)
    let expected = naiveMatmul(
      transposeA ? a.transposed() : a, transposeB ? b.transposed() : b)
    let blas = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
    let blocked = blockedMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
    #expect(blas.shape == [size.m, size.n] && blocked.shape == [size.m, size.n])
    expectClose(blas.scalars, expected.scalars, tolerance: 1e-4, relative: true, "BLAS")
    expectClose(blocked.scalars, expected.scalars, tolerance: 1e-4, relative: true, "blocked")
  }

  /// Sizes that leave partial register tiles and partial blocks on every side.
  @Test(arguments: [
    ProductSize(m: 7, k: 300, n: 9), ProductSize(m: 97, k: 5, n: 2050),
    ProductSize(m: 13, k: 513, n: 17),
  ])
  func blockedMatmulHandlesPartialTilesAndBlocks(size: ProductSize) {
    let a = randomTensor([size.m, size.k], seed: 3)
    let b = randomTensor([size.k, size.n], seed: 4)
    expectClose(
      blockedMatmul(a, b).scalars, naiveMatmul(a, b).scalars, tolerance: 1e-4, relative: true)
  }

  @Test func gemmScalesAndAccumulatesWithAlphaAndBeta() {
    let a = randomTensor([4, 6], seed: 5)
    let b = randomTensor([6, 3], seed: 6)
    let c0 = randomTensor([4, 3], seed: 7)
    // Reference: 2·A·B − 0.5·C₀, element by element.
    let expected = (2 * naiveMatmul(a, b) - 0.5 * c0).scalars
    for swift in [false, true] {
      var c = c0.scalars
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            let run = swift ? blockedGEMM : gemm
            run(
              false, false, 4, 3, 6, 2, pa.baseAddress!, 6, pb.baseAddress!, 3, -0.5,
              pc.baseAddress!, 3)
          }
        }
      }
      expectClose(c, expected, tolerance: 1e-5, relative: true, swift ? "blocked" : "BLAS")
    }
  }

  @Test func matmulIntoAccumulatesAndReusesStorage() {
    let a = randomTensor([5, 4], seed: 8)
    let b = randomTensor([4, 6], seed: 9)
    var c = Tensor.ones([5, 6])
    let before = c.withUnsafeBufferPointer { $0.baseAddress }
    matmul(a, b, into: &c, accumulate: true)
    expectClose(c.scalars, (naiveMatmul(a, b) + 1).scalars, tolerance: 1e-5, relative: true)
    matmul(a, b, into: &c)
    expectClose(c.scalars, naiveMatmul(a, b).scalars, tolerance: 1e-5, relative: true)
    #expect(c.withUnsafeBufferPointer { $0.baseAddress } == before)
  }

  @Test func blasThreadCountCanBeSet() {
    let previous = blasThreads()
    setBLASThreads(1)
    #expect(blasThreads() == 1)
    setBLASThreads(previous)
    #expect(blasThreads() == previous)
  }
}
