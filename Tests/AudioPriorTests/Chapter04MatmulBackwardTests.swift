import Autograd
import Tensors
import Testing

@Suite("Chapter 4: the matrix product's backward")
struct Chapter04MatmulBackwardTests {
  /// With Y = A·B and an upstream gradient G = ∂L/∂Y, ∂L/∂A[i, p] = Σⱼ G[i, j]·B[p, j] and
  /// ∂L/∂B[p, j] = Σᵢ A[i, p]·G[i, j]: written out as loops in Double, and reached through
  /// `backward(gradient:)` alone, so that no other operation's backward takes part.
  @Test(.tags(.matmulBackward)) func matmulGradientsAreTheProductsWithTheTransposes() {
    let (m, k, n) = (3, 5, 4)
    let a = Tensor.normal([m, k], seed: 31)
    let b = Tensor.normal([k, n], seed: 32)
    let g = Tensor.normal([m, n], seed: 33)
    let (va, vb) = (Variable(a, requiresGrad: true), Variable(b, requiresGrad: true))
    matmul(va, vb).backward(gradient: g)
    let expectedA = (0..<m * k).map { index -> Float in
      let (i, p) = (index / k, index % k)
      return Float((0..<n).reduce(0.0) { $0 + Double(g[i, $1]) * Double(b[p, $1]) })
    }
    let expectedB = (0..<k * n).map { index -> Float in
      let (p, j) = (index / n, index % n)
      return Float((0..<m).reduce(0.0) { $0 + Double(a[$1, p]) * Double(g[$1, j]) })
    }
    expectClose(va.grad?.scalars ?? [], expectedA, tolerance: 1e-5, "∂L/∂A")
    expectClose(vb.grad?.scalars ?? [], expectedB, tolerance: 1e-5, "∂L/∂B")
  }
}
