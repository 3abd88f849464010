import Tensors

// Sums, means, reshapes and the matrix product. A reduction's backward is a broadcast:
// every value that went into a sum receives the sum's gradient (a mean's, divided by the
// count). A reshape's backward is the reverse reshape. The matrix product's backward is two
// more matrix products.

/// The axes normalised to 0..<rank (−1 is the last), checked.
func normalizedAxes(_ axes: [Int], rank: Int, _ what: String) -> [Int] {
  axes.map { axis in
    let normalized = axis < 0 ? axis + rank : axis
    check(
      normalized >= 0 && normalized < rank, "\(what): axis \(axis) does not exist in rank \(rank)")
    return normalized
  }
}

/// The sum (or mean) over `axes`; the backward broadcasts the gradient, times `scale`, back.
func reduction(
  _ a: Variable, alongAxes axes: [Int], keepingDimensions: Bool, mean: Bool, _ what: String
) -> Variable {
  let axes = Set(normalizedAxes(axes, rank: a.value.rank, what))
  let kept =
    mean
    ? a.value.mean(alongAxes: Array(axes), keepingDimensions: true)
    : a.value.sum(alongAxes: Array(axes), keepingDimensions: true)
  let keptShape = kept.shape
  let droppedShape = a.shape.indices.filter { !axes.contains($0) }.map { a.shape[$0] }
  let y = keepingDimensions ? kept : kept.reshaped(droppedShape)
  let scale = mean && kept.count > 0 ? Float(kept.count) / Float(a.value.count) : 1
  return Variable(y, parents: [a]) { dy in
    let g = dy.reshaped(keptShape)
    a.accumulate(broadcasting: scale == 1 ? g : g * scale)
  }
}

/// The sum of all values: a Variable of shape [].
public func sum(_ a: Variable) -> Variable {
  reduction(a, alongAxes: Array(0..<a.value.rank), keepingDimensions: false, mean: false, "sum")
}

/// The sum over `axes` (negative axes count from the end); the reduced axes are removed, or
/// kept with size 1 when `keepingDimensions`.
public func sum(_ a: Variable, alongAxes axes: [Int], keepingDimensions: Bool = false)
  -> Variable
{
  reduction(a, alongAxes: axes, keepingDimensions: keepingDimensions, mean: false, "sum")
}

/// The mean of all values: a Variable of shape [].
public func mean(_ a: Variable) -> Variable {
  reduction(a, alongAxes: Array(0..<a.value.rank), keepingDimensions: false, mean: true, "mean")
}

/// The mean over `axes`, as `sum(_:alongAxes:keepingDimensions:)`.
public func mean(_ a: Variable, alongAxes axes: [Int], keepingDimensions: Bool = false)
  -> Variable
{
  reduction(a, alongAxes: axes, keepingDimensions: keepingDimensions, mean: true, "mean")
}

/// The same values read with a new shape of the same count (one size may be −1); no copy.
public func reshape(_ a: Variable, _ shape: [Int]) -> Variable {
  let originalShape = a.shape
  return Variable(a.value.reshaped(shape), parents: [a]) { dy in
    a.accumulate(dy.reshaped(originalShape))
  }
}

// book: matmul-backward
/// The matrix product of `a` `[m, k]` and `b` `[k, n]`.
/// - Returns: `[m, n]`.
public func matmul(_ a: Variable, _ b: Variable) -> Variable {
  let (u, v) = (a.value, b.value)
  return Variable(Tensors.matmul(u, v), parents: [a, b]) { dy in
    // BEGIN SOLUTION matmul-backward: ∂L/∂A = dY·Bᵀ, ∂L/∂B = Aᵀ·dY, added in by the GEMM
    // The GEMM adds into the gradients itself (beta = 1); the transposes are read in place,
    // never copied.
    if a.requiresGrad {
      a.addIntoGradient { Tensors.matmul(dy, v, transposeB: true, into: &$0, accumulate: true) }
    }
    if b.requiresGrad {
      b.addIntoGradient { Tensors.matmul(u, dy, transposeA: true, into: &$0, accumulate: true) }
    }
    // END SOLUTION
  }
}
// book: end
