import Tensors

// The elementwise functions. With y = f(x), ∂L/∂x = dy · f′(x), and f′ is often cheapest
// to compute from the output the forward pass has already made:
//
//   exp       f′ = eˣ = y
//   log       f′ = 1 / x
//   relu      f′ = 1 where y > 0, else 0
//   leakyReLU f′ = 1 where x > 0, else the slope
//   sigmoid   f′ = y · (1 − y)
//   tanh      f′ = 1 − y²

/// A new tensor of `shape` whose values `body` writes, every one of them.
func makeTensor(_ shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
  // A tensor of a different size, made ready for overwriting, gets fresh uninitialised
  // storage: no pass to fill it with zeros first.
  var tensor = Tensor(shape: [0], repeating: 0)
  tensor.prepareForOverwrite(shape: shape)
  tensor.withUnsafeMutableBufferPointer(body)
  return tensor
}

/// f(x[i]) for every i, as a new tensor; one tight loop once `f` is inlined.
@inline(__always)
func mapped(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
  x.withUnsafeBufferPointer { p in
    makeTensor(x.shape) { out in
      for i in out.indices { out[i] = f(p[i]) }
    }
  }
}

/// f(a[i], b[i]) for every i of two tensors of the same shape, as a new tensor.
@inline(__always)
func combined(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
  require(a.shape == b.shape, "combined: shapes \(a.shape) and \(b.shape) differ")
  return a.withUnsafeBufferPointer { p in
    b.withUnsafeBufferPointer { q in
      makeTensor(a.shape) { out in
        for i in out.indices { out[i] = f(p[i], q[i]) }
      }
    }
  }
}

/// eˣ elementwise.
public func exp(_ a: Variable) -> Variable {
  let y = a.value.exp()
  return Variable(y, parents: [a]) { dy in a.accumulate(dy * y) }
}

/// ln x elementwise.
public func log(_ a: Variable) -> Variable {
  let x = a.value
  return Variable(x.log(), parents: [a]) { dy in a.accumulate(dy / x) }
}

// book: relu
/// max(x, 0) elementwise.
public func relu(_ a: Variable) -> Variable {
  let y = a.value.relu()
  return Variable(y, parents: [a]) { dy in
    // The saved output says where the input was positive: no need to keep the input.
    a.accumulate(combined(dy, y) { g, y in y > 0 ? g : 0 })
  }
}
// book: end

/// x where x > 0, else slope · x, elementwise (a small slope keeps a gradient flowing
/// where relu would stop it).
public func leakyReLU(_ a: Variable, slope: Float) -> Variable {
  let x = a.value
  let y = mapped(x) { $0 > 0 ? $0 : slope * $0 }
  return Variable(y, parents: [a]) { dy in
    a.accumulate(combined(dy, x) { g, x in x > 0 ? g : slope * g })
  }
}

// book: sigmoid
/// 1 / (1 + e⁻ˣ) elementwise.
public func sigmoid(_ a: Variable) -> Variable {
  // BEGIN SOLUTION sigmoid: the derivative is y (1 - y), from the saved output y
  let y = a.value.sigmoid()
  return Variable(y, parents: [a]) { dy in
    a.accumulate(combined(dy, y) { g, y in g * y * (1 - y) })
  }
  // END SOLUTION
}
// book: end

/// tanh x elementwise.
public func tanh(_ a: Variable) -> Variable {
  let y = a.value.tanh()
  return Variable(y, parents: [a]) { dy in
    a.accumulate(combined(dy, y) { g, y in g * (1 - y * y) })
  }
}
