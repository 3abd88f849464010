import Tensors

// Batch normalisation in training mode (S. Ioffe, C. Szegedy, 2015,
// <https://arxiv.org/abs/1502.03167>). For each channel, over its m = N·H·W values:
//
//   μ = (1/m) Σ x      σ² = (1/m) Σ (x − μ)²      x̂ = (x − μ) / √(σ² + ε)      y = γ·x̂ + β
//
// The backward is one closed formula rather than the chain of a dozen elementwise steps
// the forward is made of. With g = ∂L/∂y: ∂L/∂β = Σ g and ∂L/∂γ = Σ g·x̂; for x, every value
// reaches the loss directly and through μ and σ, which depend on all values of the channel:
//
//   ∂L/∂x = (γ / √(σ² + ε)) · (g − mean(g) − x̂ · mean(g·x̂))
//
// The two means are the projections that remove what a shift or a scaling of x could
// change: normalisation is blind to both, so its gradient has no component along them.

/// The per-channel statistics of `x` `[N, C, H, W]` over N, H and W, in Double.
/// - Returns: the means and 1 / √(σ² + ε), one of each per channel.
func channelStatistics(_ x: Tensor, epsilon: Float) -> (mean: [Float], inverseStd: [Float]) {
  let (batch, channels) = (x.shape[0], x.shape[1])
  let plane = x.shape[2] * x.shape[3]
  let m = Double(batch * plane)
  var means = [Float](repeating: 0, count: channels)
  var inverseStds = [Float](repeating: 0, count: channels)
  x.withUnsafeBufferPointer { x in
    for c in 0..<channels {
      // The values of channel c: one plane of H·W values in each of the N images.
      let planes = (0..<batch).map { n in
        (n * channels + c) * plane..<(n * channels + c + 1) * plane
      }
      let mean = planes.reduce(0) { $0 + accumulatedSum(over: $1) { Double(x[$0]) } } / m
      // Two passes: Σ(x − μ)² does not cancel the way Σx² − mμ² does.
      let squares = planes.reduce(0) { total, range in
        total + accumulatedSum(over: range) { i in (Double(x[i]) - mean) * (Double(x[i]) - mean) }
      }
      means[c] = Float(mean)
      inverseStds[c] = Float(1 / (squares / m + Double(epsilon)).squareRoot())
    }
  }
  return (means, inverseStds)
}

// book: batch-norm-backward
/// The fused backward of training-mode batch normalisation of `x` `[N, C, H, W]` with
/// per-channel `mean`, `inverseStd` and `scale` γ `[C]`, given dy = ∂L/∂y.
/// - Returns: ∂L/∂x `[N, C, H, W]`, ∂L/∂γ `[C]`, ∂L/∂β `[C]`.
func batchNormBackward(
  _ dy: Tensor, input x: Tensor, mean: [Float], inverseStd: [Float], scale: Tensor
) -> (dx: Tensor, dScale: Tensor, dShift: Tensor) {
  // BEGIN SOLUTION batch-norm-backward: per channel Σg, Σg·x̂; dx = γσ⁻¹(g − ḡ − x̂·mean(g·x̂))
  let (batch, channels) = (x.shape[0], x.shape[1])
  let plane = x.shape[2] * x.shape[3]
  let m = Double(batch * plane)
  var dScale = [Float](repeating: 0, count: channels)
  var dShift = [Float](repeating: 0, count: channels)
  let dx = x.withUnsafeBufferPointer { x in
    dy.withUnsafeBufferPointer { g in
      scale.withUnsafeBufferPointer { gamma in
        makeTensor(dy.shape) { dx in
          for c in 0..<channels {
            let (mu, inv) = (mean[c], inverseStd[c])
            var sumG = 0.0
            var sumGXhat = 0.0
            for n in 0..<batch {
              let base = (n * channels + c) * plane
              sumG += accumulatedSum(over: base..<(base + plane)) { Double(g[$0]) }
              sumGXhat += accumulatedSum(over: base..<(base + plane)) { i in
                Double(g[i]) * Double((x[i] - mu) * inv)
              }
            }
            dShift[c] = Float(sumG)
            dScale[c] = Float(sumGXhat)
            let (meanG, meanGXhat) = (Float(sumG / m), Float(sumGXhat / m))
            let k = gamma[c] * inv
            for n in 0..<batch {
              let base = (n * channels + c) * plane
              for i in base..<(base + plane) {
                dx[i] = k * (g[i] - meanG - (x[i] - mu) * inv * meanGXhat)
              }
            }
          }
        }
      }
    }
  }
  return (dx, Tensor(dScale, shape: [channels]), Tensor(dShift, shape: [channels]))
  // END SOLUTION
}
// book: end

/// Training-mode batch normalisation of x `[N, C, H, W]`: statistics per channel over N, H
/// and W (the biased variance, as PyTorch uses for normalising), then y = x̂·scale + shift
/// with `scale` and `shift` `[C]`. With a batch of one image, the statistics are over the
/// image's spatial positions.
/// - Returns: `[N, C, H, W]`.
public func batchNorm(
  _ x: Variable, scale: Variable, shift: Variable, epsilon: Float = 1e-5
) -> Variable {
  let input = x.value
  check(
    input.rank == 4 && scale.shape == [input.shape[1]] && shift.shape == [input.shape[1]],
    "batchNorm: input \(input.shape), scale \(scale.shape) and shift \(shift.shape) do not fit: "
      + "want [N, C, H, W], [C] and [C]")
  let (mean, inverseStd) = channelStatistics(input, epsilon: epsilon)
  let gamma = scale.value
  let (channels, plane) = (input.shape[1], input.shape[2] * input.shape[3])
  let y = input.withUnsafeBufferPointer { x in
    gamma.withUnsafeBufferPointer { gamma in
      shift.value.withUnsafeBufferPointer { beta in
        makeTensor(input.shape) { y in
          // y = γ·(x − μ)·σ⁻¹ + β = a·x + b per channel: one multiply-add per value.
          for start in stride(from: 0, to: y.count, by: max(plane, 1)) {
            let c = (start / plane) % channels
            let a = gamma[c] * inverseStd[c]
            let b = beta[c] - a * mean[c]
            for i in start..<(start + plane) { y[i] = a * x[i] + b }
          }
        }
      }
    }
  }
  return Variable(y, parents: [x, scale, shift]) { dy in
    let (dx, dScale, dShift) = batchNormBackward(
      dy, input: input, mean: mean, inverseStd: inverseStd, scale: gamma)
    if x.requiresGrad { x.accumulate(dx) }
    if scale.requiresGrad { scale.accumulate(dScale) }
    if shift.requiresGrad { shift.accumulate(dShift) }
  }
}

/// Normalisation alone over `axes` (negative axes count from the end), without the affine
/// step: x̂ = (x − mean) / √(variance + ε), the statistics taken over `axes` (biased
/// variance). The general form, built from tensor operations; the backward is the same
/// formula as the fused one, with γ = 1.
public func batchNorm(_ x: Variable, alongAxes axes: [Int], epsilon: Float = 1e-5) -> Variable {
  let axes = normalizedAxes(axes, rank: x.value.rank, "batchNorm")
  let mean = x.value.mean(alongAxes: axes, keepingDimensions: true)
  let variance = x.value.variance(alongAxes: axes, keepingDimensions: true)
  let inverseStd = makeTensor(reading: variance) { v, inverse in
    for i in inverse.indices { inverse[i] = 1 / (v[i] + epsilon).squareRoot() }
  }
  let xHat = (x.value - mean) * inverseStd
  return Variable(xHat, parents: [x]) { dy in
    let meanG = dy.mean(alongAxes: axes, keepingDimensions: true)
    let meanGXhat = (dy * xHat).mean(alongAxes: axes, keepingDimensions: true)
    x.accumulate((dy - meanG - xHat * meanGXhat) * inverseStd)
  }
}
