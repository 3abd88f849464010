import Foundation

// The generator's elementwise layers as fused loops over raw memory, one channel at a time:
// batch norm followed by ReLU, forward and backward, and the sigmoid output with the
// mean-squared-error gradient. The autograd graph computes the same with one operation per
// step (batch norm, then relu); fused, each value is read and written once per pass.
//
// With a batch of one, a channel is one contiguous plane of m = H·W values.

/// The sum of `count` values, in SIMD blocks of Float added into a Double: vectorised, and
/// accurate to about 1e-7 of the magnitudes summed even for a channel of 65 536 values.
@inline(__always)
func blockSum(_ count: Int, _ value: (Int) -> Float) -> Double {
  var total = 0.0
  var start = 0
  while start < count {
    let end = min(start + 512, count)
    var lanes = SIMD8<Float>()
    var i = start
    while i + 8 <= end {
      lanes += SIMD8<Float>(
        value(i), value(i + 1), value(i + 2), value(i + 3), value(i + 4), value(i + 5),
        value(i + 6), value(i + 7))
      i += 8
    }
    var tail: Float = 0
    while i < end {
      tail += value(i)
      i += 1
    }
    total += Double(lanes.sum()) + Double(tail)
    start = end
  }
  return total
}

/// Eight Floats from `p`, which need not be aligned.
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight Floats at `p`, which need not be aligned.
@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

// book: batch-norm-relu-forward
/// Batch norm and ReLU of one channel of `count` values, `x` → `y`:
/// μ = mean of x, σ² = mean of (x − μ)², y = max(0, (x − μ)/√(σ² + ε) · scale + shift).
/// - Returns: μ and 1/√(σ² + ε), which the backward pass needs.
@inline(never)
func batchNormReLUChannel(
  _ x: UnsafePointer<Float>, count: Int, scale: Float, shift: Float, epsilon: Float,
  into y: UnsafeMutablePointer<Float>
) -> (mean: Float, inverseStd: Float) {
  // BEGIN SOLUTION batch-norm-relu-forward: two passes for μ and σ², then y = max(0, x̂γ + β)
  let m = Double(count)
  let mean = Float(blockSum(count) { x[$0] } / m)
  // The second pass sums (x − μ)², which does not cancel as Σx² − mμ² can.
  let variance = blockSum(count) { (x[$0] - mean) * (x[$0] - mean) } / m
  let inverseStd = Float(1 / (variance + Double(epsilon)).squareRoot())
  // y = x·a + b with a = γ/σ and b = β − μ·γ/σ: one multiply-add per value.
  let a = scale * inverseStd
  let b = shift - mean * a
  for i in 0..<count { y[i] = max(0, x[i] * a + b) }
  return (mean, inverseStd)
  // END SOLUTION
}
// book: end

// book: batch-norm-relu-backward
/// The backward pass of `batchNormReLUChannel`, in place: `gradient` holds ∂L/∂y on entry
/// and ∂L/∂x on return. With g = ∂L/∂y where y > 0 (else 0) and x̂ = (x − μ)/σ:
/// ∂L/∂x = (γ/σ)·(g − mean(g) − x̂·mean(g·x̂)), ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g.
/// - Returns: ∂L/∂γ and ∂L/∂β of the channel.
@inline(never)
func batchNormReLUChannelBackward(
  _ gradient: UnsafeMutablePointer<Float>, input x: UnsafePointer<Float>,
  output y: UnsafePointer<Float>, count: Int, mean: Float, inverseStd: Float, scale: Float
) -> (dScale: Float, dShift: Float) {
  // One pass: ReLU's gradient (g = 0 where the output is 0: the input was clipped), stored,
  // and the two sums Σg and Σg·(x − μ), eight lanes at a time in blocks added in Double.
  var sumG = 0.0
  var sumGX = 0.0
  var i = 0
  while i < count {
    let end = min(i + 512, count)
    var lanesG = SIMD8<Float>()
    var lanesGX = SIMD8<Float>()
    while i + 8 <= end {
      // A select, not a branch: the signs are random, and a mispredicted branch per value
      // would cost more than the whole pass.
      let g = load8(gradient + i).replacing(with: 0, where: load8(y + i) .<= 0)
      store8(g, gradient + i)
      lanesG += g
      lanesGX += g * (load8(x + i) - mean)
      i += 8
    }
    var tailG: Float = 0
    var tailGX: Float = 0
    while i < end {
      let g = y[i] > 0 ? gradient[i] : 0
      gradient[i] = g
      tailG += g
      tailGX += g * (x[i] - mean)
      i += 1
    }
    sumG += Double(lanesG.sum()) + Double(tailG)
    sumGX += Double(lanesGX.sum()) + Double(tailGX)
  }
  // BEGIN SOLUTION batch-norm-relu-backward: the formulas above, from Σg and Σg·(x − μ) = σ·Σg·x̂
  sumGX *= Double(inverseStd)
  let meanG = Float(sumG / Double(count))
  let meanGX = Float(sumGX / Double(count))
  // ∂L/∂x = k·(g − meanG − (x − μ)·inv·meanGX) as g·k + (x·c + d), with the constants folded.
  let k = scale * inverseStd
  let c = -k * inverseStd * meanGX
  let d = -k * meanG - mean * c
  for i in 0..<count { gradient[i] = gradient[i] * k + (x[i] * c + d) }
  return (Float(sumGX), Float(sumG))
  // END SOLUTION
}
// book: end

/// The sigmoid of `count` values, in place.
@inline(__always)
func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
  for i in 0..<count { x[i] = 1 / (1 + exp(-x[i])) }
}

/// The mean squared error of `y` against `target`, and its gradient with respect to the
/// sigmoid's input: ∂L/∂a = (2/n)·(y − t)·y·(1 − y), written into `gradient`.
/// - Returns: the sum of squared differences over the range (divided by n by the caller).
@inline(__always)
func sigmoidMSEBackward(
  output y: UnsafePointer<Float>, target t: UnsafePointer<Float>, count: Int, total n: Int,
  into gradient: UnsafeMutablePointer<Float>
) -> Double {
  let twoOverN = 2 / Float(n)
  for i in 0..<count {
    let d = y[i] - t[i]
    gradient[i] = twoOverN * d * y[i] * (1 - y[i])
  }
  return blockSum(count) { (y[$0] - t[$0]) * (y[$0] - t[$0]) }
}

/// The gradient with respect to the sigmoid's input from ∂L/∂y: ∂L/∂a = ∂L/∂y · y(1 − y).
@inline(__always)
func sigmoidBackward(
  output y: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, count: Int,
  into gradient: UnsafeMutablePointer<Float>
) {
  for i in 0..<count { gradient[i] = dy[i] * y[i] * (1 - y[i]) }
}
