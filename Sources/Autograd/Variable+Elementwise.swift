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
    a.accumulate(
      makeTensor(reading: dy, y) { g, y, dx in
        // Both values loaded before the test: a select, not a branch, so the loop vectorises.
        for i in dx.indices {
          let (gradient, output) = (g[i], y[i])
          dx[i] = output > 0 ? gradient : 0
        }
      })
  }
}
// book: end

/// x where x > 0, else slope · x, elementwise (a small slope keeps a gradient flowing
/// where relu would stop it).
public func leakyReLU(_ a: Variable, slope: Float) -> Variable {
  let x = a.value
  let y = makeTensor(reading: x) { x, y in
    for i in y.indices {
      let value = x[i]
      y[i] = value > 0 ? value : slope * value
    }
  }
  return Variable(y, parents: [a]) { dy in
    a.accumulate(
      makeTensor(reading: dy, x) { g, x, dx in
        for i in dx.indices {
          let (gradient, input) = (g[i], x[i])
          dx[i] = input > 0 ? gradient : slope * gradient
        }
      })
  }
}

// book: sigmoid
/// 1 / (1 + e⁻ˣ) elementwise.
public func sigmoid(_ a: Variable) -> Variable {
  // BEGIN SOLUTION sigmoid: the derivative is y (1 - y), from the saved output y
  let y = a.value.sigmoid()
  return Variable(y, parents: [a]) { dy in
    a.accumulate(
      makeTensor(reading: dy, y) { g, y, dx in
        for i in dx.indices { dx[i] = g[i] * y[i] * (1 - y[i]) }
      })
  }
  // END SOLUTION
}
// book: end

/// tanh x elementwise.
public func tanh(_ a: Variable) -> Variable {
  let y = a.value.tanh()
  return Variable(y, parents: [a]) { dy in
    a.accumulate(
      makeTensor(reading: dy, y) { g, y, dx in
        for i in dx.indices { dx[i] = g[i] * (1 - y[i] * y[i]) }
      })
  }
}
