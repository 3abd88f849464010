import Tensors

// The four arithmetic operations with NumPy broadcasting. Each block computes the value and
// registers its backward right beside it. With y = op(a, b) on the broadcast shape and an
// upstream gradient dy = ∂L/∂y:
//
//   y = a + b    ∂L/∂a = dy             ∂L/∂b = dy
//   y = a − b    ∂L/∂a = dy             ∂L/∂b = −dy
//   y = a · b    ∂L/∂a = dy · b         ∂L/∂b = dy · a
//   y = a / b    ∂L/∂a = dy / b         ∂L/∂b = −dy · a / b² = −dy · y / b
//
// each then summed back to the input's own shape (`accumulate(summing:)`): an input that was
// broadcast was read at many positions and receives the sum of their gradients.

// book: add
/// a + b, broadcast (NumPy rules).
public func + (a: Variable, b: Variable) -> Variable {
  Variable(a.value + b.value, parents: [a, b]) { dy in
    if a.requiresGrad { a.accumulate(summing: dy) }
    if b.requiresGrad { b.accumulate(summing: dy) }
  }
}
// book: end

/// a − b, broadcast.
public func - (a: Variable, b: Variable) -> Variable {
  Variable(a.value - b.value, parents: [a, b]) { dy in
    if a.requiresGrad { a.accumulate(summing: dy) }
    if b.requiresGrad { b.accumulate(summing: dy, scaledBy: -1) }
  }
}

// book: multiply
/// a · b elementwise, broadcast.
public func * (a: Variable, b: Variable) -> Variable {
  // BEGIN SOLUTION multiply: dy times the other input, summed to each input's shape
  // The backward needs the inputs' values as they are now, not after an optimiser step.
  let (u, v) = (a.value, b.value)
  return Variable(u * v, parents: [a, b]) { dy in
    if a.requiresGrad { a.accumulate(summing: dy * v) }
    if b.requiresGrad { b.accumulate(summing: dy * u) }
  }
  // END SOLUTION
}
// book: end

/// a / b elementwise, broadcast.
public func / (a: Variable, b: Variable) -> Variable {
  let (u, v) = (a.value, b.value)
  let y = u / v
  return Variable(y, parents: [a, b]) { dy in
    if a.requiresGrad { a.accumulate(summing: dy / v) }
    // ∂(u/v)/∂v = −u/v² = −y/v: the saved output spares a second division.
    if b.requiresGrad { b.accumulate(summing: dy * y / v, scaledBy: -1) }
  }
}

/// −a.
public prefix func - (a: Variable) -> Variable {
  Variable(-a.value, parents: [a]) { dy in a.accumulate(dy, scaledBy: -1) }
}

// MARK: - Mixed with a number

// A number is a constant Variable of shape [] that broadcasts to anything: it needs no
// gradient, so these reuse the operations above and their math lives in one place only.

/// A constant Variable holding one number.
@inline(__always)
func constant(_ x: Float) -> Variable { Variable(Tensor(x)) }

/// a + b for every value of a.
public func + (a: Variable, b: Float) -> Variable { a + constant(b) }
/// a + b for every value of b.
public func + (a: Float, b: Variable) -> Variable { constant(a) + b }
/// a − b for every value of a.
public func - (a: Variable, b: Float) -> Variable { a - constant(b) }
/// a − b for every value of b.
public func - (a: Float, b: Variable) -> Variable { constant(a) - b }
/// a · b for every value of a.
public func * (a: Variable, b: Float) -> Variable { a * constant(b) }
/// a · b for every value of b.
public func * (a: Float, b: Variable) -> Variable { constant(a) * b }
/// a / b for every value of a.
public func / (a: Variable, b: Float) -> Variable { a / constant(b) }
/// a / b for every value of b.
public func / (a: Float, b: Variable) -> Variable { constant(a) / b }
