import Tensors

// The loops the operations share: new tensors written value by value, and sums in Double.
// `makeTensor(reading:)` hands its caller the raw values and lets it write the loop, so that
// the loop and its arithmetic are compiled together: a closure called once per value from a
// loop in here would cost a call per value and keep the loop from being vectorised.
// `accumulatedSum` is always inlined, and so is the closure giving its terms.

/// A new tensor of `shape` whose values `body` writes, every one of them.
func makeTensor(_ shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
  // A tensor of a different size, made ready for overwriting, gets fresh uninitialised
  // storage: no pass to fill it with zeros first.
  var tensor = Tensor(shape: [0], repeating: 0)
  tensor.prepareForOverwrite(shape: shape)
  tensor.withUnsafeMutableBufferPointer(body)
  return tensor
}

/// A new tensor of `x`'s shape, written by `body(x, out)`, whose loop fills `out`.
func makeTensor(
  reading x: Tensor,
  _ body: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void
) -> Tensor {
  x.withUnsafeBufferPointer { x in makeTensor([x.count]) { out in body(x, out) } }
    .reshaped(x.shape)
}

/// A new tensor of the shape of `a` and `b` (equal), written by `body(a, b, out)`.
func makeTensor(
  reading a: Tensor, _ b: Tensor,
  _ body: (
    UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>
  ) -> Void
) -> Tensor {
  check(a.shape == b.shape, "elementwise: shapes \(a.shape) and \(b.shape) differ")
  return a.withUnsafeBufferPointer { a in
    b.withUnsafeBufferPointer { b in makeTensor([a.count]) { out in body(a, b, out) } }
  }.reshaped(a.shape)
}

/// Σ term(i) over `range`, in Double, four terms at a time: four independent running sums
/// let consecutive additions overlap, where a single one waits for each addition to finish.
@inline(__always)
func accumulatedSum(over range: Range<Int>, _ term: (Int) -> Double) -> Double {
  var partial = SIMD4<Double>()
  var i = range.lowerBound
  while i + 4 <= range.upperBound {
    partial += SIMD4(term(i), term(i + 1), term(i + 2), term(i + 3))
    i += 4
  }
  var total = partial.sum()
  while i < range.upperBound {
    total += term(i)
    i += 1
  }
  return total
}
