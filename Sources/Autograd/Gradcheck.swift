import Tensors

// Checking a backward pass against the definition of the derivative. For a function f of
// some tensors to one number, the central difference
//
//   ∂f/∂xⱼ ≈ (f(x + h·eⱼ) − f(x − h·eⱼ)) / 2h
//
// has an error of order h² (the h terms of the two Taylor series cancel), needs nothing but
// f itself, and so is independent of every backward closure. In Float32 the catch is
// rounding: f is only known to about 6·10⁻⁸·|f|, and dividing by 2h magnifies that, so h
// cannot be tiny (10⁻³ balances the two errors) and f should be of order one: check a
// random projection Σ r·op(x) rather than a large sum.

// book: numerical-gradient
/// ∂f/∂x for every element x of `inputs[index]`, by central differences with step `h`,
/// in Double. `f` maps the inputs to a Variable holding one value; it is called twice per
/// element, on constants (no graph is built).
/// - Returns: the gradient in row-major order, `inputs[index].count` values.
public func numericalGradient(
  _ inputs: [Tensor], withRespectTo index: Int, step h: Double = 1e-3,
  _ f: ([Variable]) -> Variable
) -> [Double] {
  var perturbed = inputs
  func evaluate() -> Double {
    Double(f(perturbed.map { Variable($0) }).value.scalar)
  }
  return (0..<inputs[index].count).map { j in
    // BEGIN SOLUTION central-difference: (f(x + h·eⱼ) − f(x − h·eⱼ)) / 2h, 2h as Float32 has it
    let x = inputs[index].withUnsafeBufferPointer { $0[j] }
    // The step as Float32 can represent it: x ± h rounded, and the distance between them.
    let (plus, minus) = (Float(Double(x) + h), Float(Double(x) - h))
    perturbed[index].withUnsafeMutableBufferPointer { $0[j] = plus }
    let up = evaluate()
    perturbed[index].withUnsafeMutableBufferPointer { $0[j] = minus }
    let down = evaluate()
    perturbed[index].withUnsafeMutableBufferPointer { $0[j] = x }
    return (up - down) / (Double(plus) - Double(minus))
    // END SOLUTION
  }
}
// book: end

/// The largest difference between an analytic and a numerical gradient, relative to the
/// largest magnitude of either: 0 when both are zero. Relative to the largest value rather
/// than element by element, so that elements whose gradient is nearly zero (where rounding
/// is all there is) do not dominate.
public func relativeGradientError(_ analytic: [Double], _ numerical: [Double]) -> Double {
  check(
    analytic.count == numerical.count,
    "relativeGradientError: \(analytic.count) and \(numerical.count) values")
  var difference = 0.0
  var scale = 0.0
  for (a, n) in zip(analytic, numerical) {
    let d = abs(a - n)
    // A NaN anywhere is a failure, not a value to skip.
    if d.isNaN { return .nan }
    difference = max(difference, d)
    scale = max(scale, abs(a), abs(n))
  }
  return scale > 0 ? difference / scale : difference
}

// book: gradcheck
/// Checks the backward pass of `f` against central finite differences: builds the graph
/// once on `inputs` (all requiring gradients), runs `backward()`, and compares each
/// input's gradient with `numericalGradient`.
/// - Parameters:
///   - inputs: the tensors `f` is differentiated with respect to.
///   - step: the finite-difference step h.
///   - f: maps the inputs to a Variable holding one value.
/// - Returns: per input, the largest relative error (`relativeGradientError`).
public func gradcheck(
  _ inputs: [Tensor], step: Double = 1e-3, _ f: ([Variable]) -> Variable
) -> [Double] {
  let variables = inputs.map { Variable($0, requiresGrad: true) }
  f(variables).backward()
  return inputs.indices.map { i in
    // An input the output does not depend on is never reached: its gradient is zero.
    let analytic = (variables[i].grad ?? Tensor.zeros(inputs[i].shape)).scalars.map(Double.init)
    let numerical = numericalGradient(inputs, withRespectTo: i, step: step, f)
    return relativeGradientError(analytic, numerical)
  }
}
// book: end
