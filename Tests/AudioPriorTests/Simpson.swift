// Simpson's rule, the quadrature that the tests of integrals and expectations share.

/// Simpson's rule over samples `f[0 ... n]` (n even) spaced `h` apart.
func simpson(samples f: [Double], step h: Double) -> Double {
  let n = f.count - 1
  precondition(n > 0 && n % 2 == 0, "an even number of intervals")
  let inner = (1..<n).reduce(0.0) { $0 + f[$1] * ($1 % 2 == 1 ? 4 : 2) }
  return (f[0] + f[n] + inner) * h / 3
}

/// Simpson's rule for `f` over [a, b] with `intervals` (even) intervals.
func simpson(_ a: Double, _ b: Double, intervals n: Int, _ f: (Double) -> Double)
  -> Double
{
  let h = (b - a) / Double(n)
  return simpson(samples: (0...n).map { f(a + Double($0) * h) }, step: h)
}
