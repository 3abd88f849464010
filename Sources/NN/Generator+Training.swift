import Autograd
import Tensors

// The generator's fast path: the same layers as `callAsFunction`, run forward and backward
// over buffers allocated on the first call. Per layer, with x the input `[Cin, H·W]` and W
// the weight `[Cin, Cout·16]`:
//
//   forward    D = Wᵀ · x                 one GEMM: every input value times every tap
//              a = gather(D)              each output value sums its 4 taps
//              y = relu(batchnorm(a))     per channel, fused with the gather
//   backward   ∂L/∂a from ∂L/∂y           batch norm and ReLU backward, per channel
//              D = scatter(∂L/∂a)         fused with the line above
//              ∂L/∂W = x · Dᵀ             one GEMM
//              ∂L/∂x = W · D              one GEMM, the ∂L/∂y of the layer below
//
// The GEMMs are split over the cores (ThreadTeam.swift). The per-channel loops stay on one
// thread: split over the two cores they measured no faster, since one core already moves
// the data as fast as the caches deliver it. The parameter gradients are written (not
// accumulated): one backward pass per forward pass.

extension Generator {
  /// The output for the fixed input `latent`, by the fast path.
  /// - Returns: `[1, 1, height, width]`, values in (0, 1). Holding it across the next
  ///   `forward` costs one copy: the generator then writes into fresh storage.
  public func forward() -> Tensor {
    forward(latent)
  }

  /// The output for input `z` `[1, latentChannels, 1, 1]`, by the fast path.
  public func forward(_ z: Tensor) -> Tensor {
    precondition(
      z.shape == latent.shape, "Generator.forward: input \(z.shape), expected \(latent.shape)")
    return withThreading { forwardLayers(z) }
  }

  private func forwardLayers(_ z: Tensor) -> Tensor {
    let b = preparedBuffers()
    b.input = z
    z.withUnsafeBufferPointer { z in
      var input = z.baseAddress!
      for l in b.plans.indices.dropLast() {
        let start = clockSeconds()
        hiddenLayerForward(l, input)
        input = UnsafePointer(b.activations[l].pointer)
        b.times.forward[l] = clockSeconds() - start
      }
      let start = clockSeconds()
      outputLayerForward(input)
      b.times.forward[b.plans.count - 1] = clockSeconds() - start
    }
    return b.output
  }

  /// Sets every parameter's gradient (replacing what it held) to ∂L/∂parameter, given
  /// ∂L/∂output for the output of the last `forward`.
  /// - Parameter outputGradient: `[1, 1, height, width]`.
  public func backward(outputGradient: Tensor) {
    let b = buffersAfterForward("backward")
    precondition(
      outputGradient.shape == b.output.shape,
      "Generator.backward: output gradient \(outputGradient.shape), expected \(b.output.shape)")
    let gradient = b.gradient.pointer
    let start = clockSeconds()
    b.output.withUnsafeBufferPointer { y in
      outputGradient.withUnsafeBufferPointer { dy in
        let (y, dy) = (y.baseAddress!, dy.baseAddress!)
        parallelRanges(b.output.count, minimum: 1 << 14) { _, range in
          let i = range.lowerBound
          sigmoidBackward(
            output: y + i, outputGradient: dy + i, count: range.count, into: gradient + i)
        }
      }
    }
    withThreading { backwardThroughLayers(start: start) }
  }

  /// The mean squared error (1/n) Σ (yᵢ − tᵢ)² of the last `forward` output against
  /// `target`, and the backward pass from it: sets every parameter's gradient.
  /// - Returns: the loss.
  public func backwardMeanSquaredError(target: Tensor) -> Float {
    backwardMeanSquaredError(target: target, updating: nil)
  }

  /// The backward pass from the mean squared error; with an optimiser whose step has begun,
  /// each parameter is updated as soon as its gradient is final.
  private func backwardMeanSquaredError(
    target: Tensor, updating optimizer: (any Optimizer)?
  ) -> Float {
    let b = buffersAfterForward("backwardMeanSquaredError")
    precondition(
      target.shape == b.output.shape,
      "Generator.backwardMeanSquaredError: target \(target.shape), expected \(b.output.shape)")
    let gradient = b.gradient.pointer
    let start = clockSeconds()
    let n = b.output.count
    // One slot per part, each part summing its own squared differences, and the slots
    // added in order: a split fixed by the size and the thread count, so the loss is the
    // same number on every run.
    let partial = b.lossPartials.pointer
    let parts = b.output.withUnsafeBufferPointer { y in
      target.withUnsafeBufferPointer { t in
        let (y, t) = (y.baseAddress!, t.baseAddress!)
        return parallelRanges(n, minimum: 1 << 14) { part, range in
          let i = range.lowerBound
          partial[part] = Float(
            sigmoidMSEBackward(
              output: y + i, target: t + i, count: range.count, total: n, into: gradient + i))
        }
      }
    }
    withThreading { backwardThroughLayers(start: start, updating: optimizer) }
    let sum = (0..<parts).reduce(0.0) { $0 + Double(partial[$1]) }
    return Float(sum / Double(n))
  }

  /// One step of fitting the output to `target` by mean squared error: forward, backward,
  /// and the optimiser's step. Each parameter is updated by the optimiser as soon as the
  /// backward pass has finished with it, layer by layer from the last, while its values are
  /// still in cache; the result is the same as `optimizer.step()` after the backward pass.
  /// - Returns: the loss before the step.
  public func fitStep(target: Tensor, optimizer: any Optimizer) -> Float {
    _ = forward()
    optimizer.beginStep()
    let loss = backwardMeanSquaredError(target: target, updating: optimizer)
    optimizer.finishStep()
    return loss
  }

  /// Seconds per layer (first to last) of the last forward and backward pass; nil before
  /// the first pass. A layer's backward time includes the batch norm and ReLU backward of
  /// the block it belongs to (and, in `fitStep`, the updates of its parameters).
  public var lastTimes: LayerTimes? {
    buffers?.times
  }

  /// A GEMM as the options say: split over the thread team, or by OpenBLAS's threads; on this
  /// thread alone when `alone` (the caller is already one of the team's two members).
  @inline(__always)
  private func multiply(
    alone: Bool = false, transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int,
    k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if buffers!.options.teamGEMMs && !alone {
      parallelGEMM(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
        b: b, ldb: ldb, c: c, ldc: ldc)
    } else {
      gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
        b: b, ldb: ldb, c: c, ldc: ldc)
    }
  }

  /// Runs `body` with single-threaded OpenBLAS when the team splits the GEMMs.
  @inline(__always)
  private func withThreading<R>(_ body: () -> R) -> R {
    fastPathOptions.teamGEMMs ? withSingleThreadedBLAS(body) : body()
  }

  /// Bytes of memory the fast path's buffers hold (0 before the first pass); parameters,
  /// gradients and optimiser state are not counted.
  public var fastPathBytes: Int {
    buffers?.byteCount ?? 0
  }

  // MARK: - Buffers

  func preparedBuffers() -> GeneratorBuffers {
    if let buffers, buffers.options == fastPathOptions { return buffers }
    let made = GeneratorBuffers(self, options: fastPathOptions)
    buffers = made
    return made
  }

  private func buffersAfterForward(_ what: String) -> GeneratorBuffers {
    guard let b = buffers, b.input != nil else {
      preconditionFailure("Generator.\(what): call forward() first")
    }
    return b
  }

  // MARK: - Forward

  /// Layer `l` < n: transposed convolution, batch norm and ReLU, from `input` into the
  /// layer's activations.
  private func hiddenLayerForward(_ l: Int, _ input: UnsafePointer<Float>) {
    let b = buffers!
    let p = b.plans[l]
    let (a, y) = (b.preactivations[l].pointer, b.activations[l].pointer)
    let fused = p.usesSpecialisedKernels
    if fused {
      columnsForward(l, input)
    } else {
      transposedConvolutionGeneral(l, input, into: a)
    }
    let (means, inverseStds) = (b.means[l].pointer, b.inverseStds[l].pointer)
    let epsilon = norms[l].epsilon
    let (columns, zeros) = (UnsafePointer(b.columns.pointer), UnsafePointer(b.zeros.pointer))
    norms[l].scale.value.withUnsafeBufferPointer { gamma in
      norms[l].shift.value.withUnsafeBufferPointer { beta in
        for c in 0..<p.outputChannels {
          let offset = c * p.outputPlane
          if fused {
            doublingGather(
              rows: columns + c * 16 * p.inputPlane, height: p.inputHeight,
              width: p.inputWidth, zeros: zeros, into: a + offset,
              outputRows: 0..<p.outputHeight)
          }
          (means[c], inverseStds[c]) = batchNormReLUChannel(
            a + offset, count: p.outputPlane, scale: gamma[c], shift: beta[c],
            epsilon: epsilon, into: y + offset)
        }
      }
    }
  }

  /// The last layer: transposed convolution to one channel and the sigmoid, into `output`.
  private func outputLayerForward(_ input: UnsafePointer<Float>) {
    let b = buffers!
    let l = b.plans.count - 1
    let p = b.plans[l]
    b.output.prepareForOverwrite(shape: [1, p.outputChannels, p.outputHeight, p.outputWidth])
    b.output.withUnsafeMutableBufferPointer { y in
      let out = y.baseAddress!
      if p.usesSpecialisedKernels && p.outputChannels == 1 {
        columnsForward(l, input)
        let (columns, zeros) = (UnsafePointer(b.columns.pointer), UnsafePointer(b.zeros.pointer))
        // One channel: split the rows over the cores instead.
        parallelRanges(p.outputHeight, minimum: 16) { _, rows in
          doublingGather(
            rows: columns, height: p.inputHeight, width: p.inputWidth, zeros: zeros,
            into: out, outputRows: rows)
          let start = out + rows.lowerBound * p.outputWidth
          sigmoidInPlace(start, count: rows.count * p.outputWidth)
        }
      } else {
        transposedConvolutionGeneral(l, input, into: out)
        parallelRanges(y.count, minimum: 1 << 14) { _, range in
          sigmoidInPlace(out + range.lowerBound, count: range.count)
        }
      }
    }
  }

  /// The column matrix D = Wᵀ · x of a k4 s2 p1 layer in the "rows" layout, by the GEMM
  /// shape the plan chose.
  private func columnsForward(_ l: Int, _ x: UnsafePointer<Float>) {
    let b = buffers!
    let p = b.plans[l]
    let (columns, pixels) = (b.columns.pointer, b.pixels.pointer)
    convolutions[l].weight.value.withUnsafeBufferPointer { w in
      let w = w.baseAddress!
      if p.forwardThroughPixels {
        // Dᵀ = xᵀ · W, then transposed: the better GEMM shape when H·W is small.
        multiply(
          transposeA: true, m: p.inputPlane, n: p.columnRows, k: p.inputChannels, a: x,
          lda: p.inputPlane, b: w, ldb: p.columnRows, c: pixels, ldc: p.columnRows)
        transpose(pixels, rows: p.inputPlane, columns: p.columnRows, into: columns)
      } else {
        multiply(
          transposeA: true, m: p.columnRows, n: p.inputPlane, k: p.inputChannels, a: w,
          lda: p.columnRows, b: x, ldb: p.inputPlane, c: columns, ldc: p.inputPlane)
      }
    }
  }

  /// The transposed convolution of layer `l` by the general route: GEMM, then col2im (or,
  /// for a 1×1 input without padding, the GEMM alone: its one column is the output).
  private func transposedConvolutionGeneral(
    _ l: Int, _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>
  ) {
    let b = buffers!
    let p = b.plans[l]
    convolutions[l].weight.value.withUnsafeBufferPointer { w in
      if p.inputPlane == 1 && p.padding == 0 {
        multiply(
          transposeA: true, m: p.columnRows, n: 1, k: p.inputChannels, a: w.baseAddress!,
          lda: p.columnRows, b: input, ldb: 1, c: output, ldc: 1)
        return
      }
      let columns = b.columns.pointer
      multiply(
        transposeA: true, m: p.columnRows, n: p.inputPlane, k: p.inputChannels,
        a: w.baseAddress!, lda: p.columnRows, b: input, ldb: p.inputPlane, c: columns,
        ldc: p.inputPlane)
      output.update(repeating: 0, count: p.outputCount)
      col2im(columns, p.geometry, addingInto: output)
    }
  }

  // MARK: - Backward

  /// The backward pass from ∂L/∂a of the last layer (in the gradient buffer) to every
  /// parameter's gradient. `start` is when the last layer's backward began.
  private func backwardThroughLayers(start: Double, updating optimizer: (any Optimizer)? = nil) {
    let b = buffers!
    let last = b.plans.count - 1
    // The last layer's columns, from ∂L/∂a of its one channel.
    scatterColumns(last, channels: 0..<b.plans[last].outputChannels)
    b.times.backward[last] = clockSeconds() - start
    b.input!.withUnsafeBufferPointer { z in
      for l in b.plans.indices.reversed() {
        var start = clockSeconds()
        let x = l == 0 ? z.baseAddress! : UnsafePointer(b.activations[l - 1].pointer)
        convolutionBackward(l, x)
        // The weight's last use in this pass was the input gradient above.
        optimizer?.update(convolutions[l].weight)
        b.times.backward[l] += clockSeconds() - start
        guard l > 0 else { break }
        start = clockSeconds()
        normalizeAndRectifyBackward(l - 1)
        if let optimizer {
          optimizer.update(norms[l - 1].scale)
          optimizer.update(norms[l - 1].shift)
        }
        b.times.backward[l - 1] = clockSeconds() - start
      }
    }
  }

  /// ∂L/∂W of layer `l` into the weight's gradient and, for l > 0, ∂L/∂x into the gradient
  /// buffer, from the layer's columns (or, for a 1×1 input, ∂L/∂a itself).
  private func convolutionBackward(_ l: Int, _ x: UnsafePointer<Float>) {
    let b = buffers!
    let p = b.plans[l]
    let (gradient, columns, pixels) = (b.gradient.pointer, b.columns.pointer, b.pixels.pointer)
    let weight = convolutions[l].weight
    writeGradient(of: weight) { dW in
      if p.inputPlane == 1 && p.padding == 0 {
        // ∂L/∂W = x ⊗ ∂L/∂a: the column matrix is ∂L/∂a itself. The input (z) needs no
        // gradient.
        multiply(
          m: p.inputChannels, n: p.columnRows, k: 1, a: x, lda: 1, b: gradient,
          ldb: p.columnRows, c: dW, ldc: p.columnRows)
        return
      }
      weight.value.withUnsafeBufferPointer { weightValues in
        let w = weightValues.baseAddress!
        // ∂L/∂W = x · Dᵀ, from whichever layout of the columns the plan chose. `alone` runs
        // the GEMM on this thread; otherwise it is split over the team.
        func weightGradient(alone: Bool) {
          if p.weightGradientFromPixels {
            multiply(
              alone: alone, m: p.inputChannels, n: p.columnRows, k: p.inputPlane, a: x,
              lda: p.inputPlane, b: pixels, ldb: p.columnRows, c: dW, ldc: p.columnRows)
          } else {
            multiply(
              alone: alone, transposeB: true, m: p.inputChannels, n: p.columnRows, k: p.inputPlane,
              a: x, lda: p.inputPlane, b: columns, ldb: p.inputPlane, c: dW, ldc: p.columnRows)
          }
        }
        // ∂L/∂x = W · D, overwriting ∂L/∂a, which the columns now hold.
        func inputGradient(alone: Bool) {
          if p.inputGradientFromPixels {
            multiply(
              alone: alone, transposeB: true, m: p.inputChannels, n: p.inputPlane, k: p.columnRows,
              a: w, lda: p.columnRows, b: pixels, ldb: p.columnRows, c: gradient,
              ldc: p.inputPlane)
          } else {
            multiply(
              alone: alone, m: p.inputChannels, n: p.inputPlane, k: p.columnRows, a: w,
              lda: p.columnRows, b: columns, ldb: p.inputPlane, c: gradient, ldc: p.inputPlane)
          }
        }
        if b.options.teamGEMMs && p.gradientsSideBySide && ThreadTeam.shared.size >= 2 {
          // Two GEMMs of a small image, each whole on its own core: fewer, larger GEMMs.
          // Members beyond the second have nothing to do here (measured on 2 cores only).
          ThreadTeam.shared.run { member in
            if member == 0 {
              inputGradient(alone: true)
            } else if member == 1 {
              weightGradient(alone: true)
            }
          }
        } else {
          weightGradient(alone: false)
          inputGradient(alone: false)
        }
      }
    }
  }

  /// The column matrices of layer `l` from ∂L/∂a in the gradient buffer, for `channels`.
  private func scatterColumns(_ l: Int, channels: Range<Int>) {
    let b = buffers!
    let p = b.plans[l]
    if p.inputPlane == 1 && p.padding == 0 { return }
    let gradient = UnsafePointer(b.gradient.pointer)
    guard p.usesSpecialisedKernels else {
      im2col(gradient, p.geometry, into: b.columns.pointer)
      return
    }
    let rows = p.needsRowColumns ? b.columns.pointer : nil
    let pixels = p.needsPixelColumns ? b.pixels.pointer : nil
    if p.outputChannels == 1 {
      // One channel: split its input rows over the cores.
      parallelRanges(p.inputHeight, minimum: 8) { _, inputRows in
        if let rows {
          doublingScatterRows(
            gradient, height: p.inputHeight, width: p.inputWidth, into: rows,
            inputRows: inputRows)
        }
        if let pixels {
          doublingScatterPixels(
            gradient, height: p.inputHeight, width: p.inputWidth, into: pixels,
            pixelStride: p.columnRows, inputRows: inputRows)
        }
      }
      return
    }
    for c in channels { scatterChannel(c, gradient, p, rows: rows, pixels: pixels) }
  }

  /// ∂L/∂a from ∂L/∂y of batch-normalised layer `l`, in place in the gradient buffer, the
  /// gradients of its scale and shift and, fused per channel, the layer's columns.
  private func normalizeAndRectifyBackward(_ l: Int) {
    let b = buffers!
    let p = b.plans[l]
    let gradient = b.gradient.pointer
    let (a, y) = (
      UnsafePointer(b.preactivations[l].pointer), UnsafePointer(b.activations[l].pointer)
    )
    let (means, inverseStds) = (b.means[l].pointer, b.inverseStds[l].pointer)
    let (dScale, dShift) = (b.scaleGradients[l].pointer, b.shiftGradients[l].pointer)
    let fused = p.usesSpecialisedKernels && !(p.inputPlane == 1 && p.padding == 0)
    let rows = p.needsRowColumns ? b.columns.pointer : nil
    let pixels = p.needsPixelColumns ? b.pixels.pointer : nil
    norms[l].scale.value.withUnsafeBufferPointer { gamma in
      for c in 0..<p.outputChannels {
        let offset = c * p.outputPlane
        (dScale[c], dShift[c]) = batchNormReLUChannelBackward(
          gradient + offset, input: a + offset, output: y + offset, count: p.outputPlane,
          mean: means[c], inverseStd: inverseStds[c], scale: gamma[c])
        // While the channel is in cache: its rows of the column matrix.
        if fused { scatterChannel(c, gradient, p, rows: rows, pixels: pixels) }
      }
    }
    if !fused { scatterColumns(l, channels: 0..<p.outputChannels) }
    writeGradient(of: norms[l].scale) { $0.update(from: dScale, count: p.outputChannels) }
    writeGradient(of: norms[l].shift) { $0.update(from: dShift, count: p.outputChannels) }
  }
}

/// Channel `c`'s 16 rows of the column matrix of a k4 s2 p1 layer `p` from ∂L/∂a
/// (`gradient`, `[Cout, 2H, 2W]`), in the layouts that are not nil.
@inline(__always)
func scatterChannel(
  _ c: Int, _ gradient: UnsafePointer<Float>, _ p: LayerPlan,
  rows: UnsafeMutablePointer<Float>?, pixels: UnsafeMutablePointer<Float>?
) {
  let plane = gradient + c * p.outputPlane
  if let rows {
    doublingScatterRows(
      plane, height: p.inputHeight, width: p.inputWidth, into: rows + c * 16 * p.inputPlane,
      inputRows: 0..<p.inputHeight)
  }
  if let pixels {
    doublingScatterPixels(
      plane, height: p.inputHeight, width: p.inputWidth, into: pixels + c * 16,
      pixelStride: p.columnRows, inputRows: 0..<p.inputHeight)
  }
}

/// Calls `body` with the gradient storage of `variable` to overwrite, made (once) when the
/// variable has no gradient of its shape yet.
@inline(__always)
func writeGradient(of variable: Variable, _ body: (UnsafeMutablePointer<Float>) -> Void) {
  if variable.grad?.shape != variable.shape {
    variable.grad = Tensor.zeros(variable.shape)
  }
  variable.grad!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
