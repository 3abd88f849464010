import Autograd
import Random
import Spectral
import Tensors
import Testing

// The examples of the book's appendix "Swift for NumPy users", each a test, so that every
// one compiles and does what the appendix says it does.

@Suite("Appendix: Swift for NumPy users")
struct AppendixSwiftTests {
  // book: value-types
  @Test func arraysAndTensorsAreValues() {
    let a: [Float] = [1, 2, 3]
    var b = a  // no copy yet: a and b share one buffer
    b[0] = 10  // the first write copies it (copy-on-write)
    #expect(a == [1, 2, 3] && b == [10, 2, 3])

    let x = Tensor([1, 2, 3, 4], shape: [2, 2])
    var y = x  // NumPy's y = x would alias; here y is a value of its own
    y[0, 0] = 9
    #expect(x[0, 0] == 1 && y[0, 0] == 9)
  }
  // book: end

  // book: optionals
  /// The gradient of a variable is `nil` until a backward pass reaches it.
  func gradientNorm(_ v: Variable) -> Float? {
    guard let g = v.grad else { return nil }  // leave early when there is none
    return g.scalars.map { $0 * $0 }.reduce(0, +).squareRoot()
  }

  @Test func optionalsSayWhatMayBeMissing() {
    let x = Variable(Tensor([3, 4], shape: [2]), requiresGrad: true)
    #expect(gradientNorm(x) == nil)
    sum(x * x).backward()  // ∂/∂x Σ x² = 2x = [6, 8]
    #expect(gradientNorm(x) == 10)
    #expect((x.grad?.scalars ?? []) == [6, 8])  // ?. and ?? instead of None checks
  }
  // book: end

  // book: typed-throws
  @Test func typedThrowsNameTheirErrorType() {
    do throws(SpectralError) {
      _ = try STFT(nFFT: 512, hop: 1024)
      Issue.record("a hop longer than the frame was accepted")
    } catch {
      // `error` is a SpectralError, not `any Error`: the switch needs no cast.
      guard case .hopLongerThanFFT(let hop, let nFFT) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(hop == 1024 && nFFT == 512)
    }
  }
  // book: end

  // book: closures
  @Test func closuresArePassedLikeLambdas() {
    let squares = [1, 2, 3].map { $0 * $0 }  // lambda x: x * x, $0 its argument
    #expect(squares == [1, 4, 9])
    // A trailing closure: the function to differentiate, written after the call's ().
    let errors = gradcheck([Tensor([0.5, -1, 2], shape: [3])]) { v in sum(v[0] * v[0]) }
    #expect(errors[0] < 1e-2)
  }
  // book: end

  // book: inout
  /// Doubles every value in place: `inout` passes the caller's variable, not a copy.
  func double(_ values: inout [Float]) {
    for i in values.indices { values[i] *= 2 }
  }

  @Test func inoutParametersAreMarkedWithAnAmpersand() {
    var values: [Float] = [1, 2]
    double(&values)  // & at the call: this call may change `values`
    #expect(values == [2, 4])
    var generator = Xoshiro256(seed: 7)  // a generator is state that each draw advances
    let first = Tensor.normal([3], generator: &generator)
    let second = Tensor.normal([3], generator: &generator)
    #expect(first != second)
  }
  // book: end

  // book: unsafe-pointers
  @Test func bufferPointersReadWithoutChecks() {
    let x = Tensor((1...1000).map { Float($0) }, shape: [1000])
    // Inside the closure the values are one contiguous C array: no bounds checks, no
    // copy-on-write checks, as fast as C. The pointer is valid only inside the closure.
    let total = x.withUnsafeBufferPointer { p in
      var s: Float = 0
      for i in 0..<p.count { s += p[i] }
      return s
    }
    #expect(total == 500_500)
  }
  // book: end

  // book: simd
  @Test func simdTypesComputeEightLanesAtOnce() {
    let a = SIMD8<Float>(1, 2, 3, 4, 5, 6, 7, 8)
    let b = SIMD8<Float>(repeating: 2)
    let c = a * b + 1  // one vector multiply-add for all eight lanes
    #expect(c == SIMD8<Float>(3, 5, 7, 9, 11, 13, 15, 17))
    #expect(c.sum() == 80)
    #expect(a.replacing(with: 0, where: a .> 4) == SIMD8<Float>(1, 2, 3, 4, 0, 0, 0, 0))
  }
  // book: end
}
