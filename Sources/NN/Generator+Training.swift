import Autograd
import Tensors

// The generator's fast path: the same layers as `callAsFunction`, run forward and backward
// over buffers allocated on the first call, with the elementwise layers fused and split
// over the cores. Per layer, with x the input `[Cin, H·W]`, W the weight `[Cin, Cout·k²]`:
//
//   forward    columns = Wᵀ · x            then col2im → a, then batch norm + ReLU → y
//   backward   columns = im2col(∂L/∂a)     ∂L/∂W = x · columnsᵀ     ∂L/∂x = W · columns
//
// so a step is three GEMMs per layer plus passes over memory. The parameter gradients are
// written (not accumulated): one backward pass after each forward pass.

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
    let b = preparedBuffers()
    b.input = z
    z.withUnsafeBufferPointer { z in
      var input = z.baseAddress!
      for l in b.plans.indices.dropLast() {
        let start = clockSeconds()
        transposedConvolution(l, input, into: b.preactivations[l].pointer)
        normalizeAndRectify(l)
        input = UnsafePointer(b.activations[l].pointer)
        b.times.forward[l] = clockSeconds() - start
      }
      let start = clockSeconds()
      let last = b.plans.count - 1
      b.output.prepareForOverwrite(shape: [1, 1, configuration.height, configuration.width])
      b.output.withUnsafeMutableBufferPointer { y in
        transposedConvolution(last, input, into: y.baseAddress!)
        let (pointer, count) = (y.baseAddress!, y.count)
        parallelRanges(count, minimum: 1 << 14) { sigmoidInPlace(pointer + $0.lowerBound, count: $0.count) }
      }
      b.times.forward[last] = clockSeconds() - start
    }
    return b.output
  }

  /// Sets every parameter's gradient (replacing what it held) to ∂L/∂parameter, given
  /// ∂L/∂output for the output of the last `forward`.
  /// - Parameter outputGradient: `[1, 1, height, width]`.
  public func backward(outputGradient: Tensor) {
    guard let b = buffers, b.input != nil else {
      preconditionFailure("Generator.backward: call forward() first")
    }
    precondition(
      outputGradient.shape == b.output.shape,
      "Generator.backward: output gradient \(outputGradient.shape), expected \(b.output.shape)")
    let gradient = b.gradient.pointer
    b.output.withUnsafeBufferPointer { y in
      outputGradient.withUnsafeBufferPointer { dy in
        sigmoidBackward(
          output: y.baseAddress!, outputGradient: dy.baseAddress!, count: y.count,
          into: gradient)
      }
    }
    backwardThroughLayers()
  }

  /// The mean squared error (1/n) Σ (yᵢ − tᵢ)² of the last `forward` output against
  /// `target`, and the backward pass from it: sets every parameter's gradient.
  /// - Returns: the loss.
  public func backwardMeanSquaredError(target: Tensor) -> Float {
    guard let b = buffers, b.input != nil else {
      preconditionFailure("Generator.backwardMeanSquaredError: call forward() first")
    }
    precondition(
      target.shape == b.output.shape,
      "Generator.backwardMeanSquaredError: target \(target.shape), expected \(b.output.shape)")
    let gradient = b.gradient.pointer
    let loss = b.output.withUnsafeBufferPointer { y in
      target.withUnsafeBufferPointer { t in
        sigmoidMSEBackward(
          output: y.baseAddress!, target: t.baseAddress!, count: y.count, total: y.count,
          into: gradient) / Double(y.count)
      }
    }
    backwardThroughLayers()
    return Float(loss)
  }

  /// One step of fitting the output to `target` by mean squared error: forward, backward,
  /// then `optimizer.step()`.
  /// - Returns: the loss before the step.
  public func fitStep(target: Tensor, optimizer: any Optimizer) -> Float {
    _ = forward()
    let loss = backwardMeanSquaredError(target: target)
    let start = clockSeconds()
    optimizer.step()
    buffers!.optimizerSeconds = clockSeconds() - start
    return loss
  }

  /// Seconds per layer (first to last) of the last forward and backward pass, and of the
  /// last optimiser step taken by `fitStep`; nil before the first pass.
  public var lastTimes: (layers: LayerTimes, optimizer: Double)? {
    buffers.map { ($0.times, $0.optimizerSeconds) }
  }

  // MARK: - Layers

  func preparedBuffers() -> GeneratorBuffers {
    if let buffers { return buffers }
    let made = GeneratorBuffers(self)
    buffers = made
    return made
  }

  /// a = the transposed convolution of layer `l` applied to `input`, written to `output`.
  private func transposedConvolution(
    _ l: Int, _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>
  ) {
    let b = buffers!
    let p = b.plans[l]
    convolutions[l].weight.value.withUnsafeBufferPointer { w in
      if p.inputPlane == 1 && p.padding == 0 {
        // A 1×1 input: the column matrix is the output itself (one column, no overlap).
        gemm(
          transposeA: true, m: p.columnRows, n: 1, k: p.inputChannels, a: w.baseAddress!,
          lda: p.columnRows, b: input, ldb: 1, c: output, ldc: 1)
        return
      }
      let columns = b.columns.pointer
      gemm(
        transposeA: true, m: p.columnRows, n: p.inputPlane, k: p.inputChannels,
        a: w.baseAddress!, lda: p.columnRows, b: input, ldb: p.inputPlane, c: columns,
        ldc: p.inputPlane)
      output.update(repeating: 0, count: p.outputCount)
      col2im(columns, p.geometry, addingInto: output)
    }
  }

  /// Batch norm and ReLU of layer `l`'s convolution output, channel by channel.
  private func normalizeAndRectify(_ l: Int) {
    let b = buffers!
    let p = b.plans[l]
    let (a, y) = (b.preactivations[l].pointer, b.activations[l].pointer)
    let (means, inverseStds) = (b.means[l].pointer, b.inverseStds[l].pointer)
    let epsilon = norms[l].epsilon
    norms[l].scale.value.withUnsafeBufferPointer { gamma in
      norms[l].shift.value.withUnsafeBufferPointer { beta in
        forEachChannel(p.outputChannels, plane: p.outputPlane) { c in
          let offset = c * p.outputPlane
          (means[c], inverseStds[c]) = batchNormReLUChannel(
            a + offset, count: p.outputPlane, scale: gamma[c], shift: beta[c],
            epsilon: epsilon, into: y + offset)
        }
      }
    }
  }

  /// The backward pass from ∂L/∂a of the last layer (in the gradient buffer) to every
  /// parameter's gradient.
  private func backwardThroughLayers() {
    let b = buffers!
    let gradient = b.gradient.pointer
    b.input!.withUnsafeBufferPointer { z in
      for l in b.plans.indices.reversed() {
        let start = clockSeconds()
        let p = b.plans[l]
        let x = l == 0 ? z.baseAddress! : UnsafePointer(b.activations[l - 1].pointer)
        let weight = convolutions[l].weight
        writeGradient(of: weight) { dW in
          if p.inputPlane == 1 && p.padding == 0 {
            // ∂L/∂W = x ⊗ ∂L/∂a: the column matrix is ∂L/∂a itself.
            gemm(
              m: p.inputChannels, n: p.columnRows, k: 1, a: x, lda: 1, b: gradient,
              ldb: p.columnRows, c: dW, ldc: p.columnRows)
            return
          }
          let columns = b.columns.pointer
          im2col(gradient, p.geometry, into: columns)
          gemm(
            transposeB: true, m: p.inputChannels, n: p.columnRows, k: p.inputPlane, a: x,
            lda: p.inputPlane, b: columns, ldb: p.inputPlane, c: dW, ldc: p.columnRows)
          // ∂L/∂x overwrites ∂L/∂a, which the columns now hold.
          weight.value.withUnsafeBufferPointer { w in
            gemm(
              m: p.inputChannels, n: p.inputPlane, k: p.columnRows, a: w.baseAddress!,
              lda: p.columnRows, b: columns, ldb: p.inputPlane, c: gradient, ldc: p.inputPlane)
          }
        }
        if l > 0 { normalizeAndRectifyBackward(l - 1) }
        b.times.backward[l] = clockSeconds() - start
      }
    }
  }

  /// ∂L/∂a from ∂L/∂y of batch-normalised layer `l`, in place in the gradient buffer, and
  /// the gradients of its scale and shift.
  private func normalizeAndRectifyBackward(_ l: Int) {
    let b = buffers!
    let p = b.plans[l]
    let gradient = b.gradient.pointer
    let (a, y) = (UnsafePointer(b.preactivations[l].pointer), UnsafePointer(b.activations[l].pointer))
    let (means, inverseStds) = (b.means[l].pointer, b.inverseStds[l].pointer)
    let (dScale, dShift) = (b.scaleGradients[l].pointer, b.shiftGradients[l].pointer)
    norms[l].scale.value.withUnsafeBufferPointer { gamma in
      forEachChannel(p.outputChannels, plane: p.outputPlane) { c in
        let offset = c * p.outputPlane
        (dScale[c], dShift[c]) = batchNormReLUChannelBackward(
          gradient + offset, input: a + offset, output: y + offset, count: p.outputPlane,
          mean: means[c], inverseStd: inverseStds[c], scale: gamma[c])
      }
    }
    writeGradient(of: norms[l].scale) { $0.update(from: dScale, count: p.outputChannels) }
    writeGradient(of: norms[l].shift) { $0.update(from: dShift, count: p.outputChannels) }
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

/// Calls `body(c)` for every channel c, split into contiguous groups over the cores when
/// there is enough work to pay for the threads.
@inline(__always)
func forEachChannel(_ channels: Int, plane: Int, _ body: (Int) -> Void) {
  let parts = channels * plane >= 1 << 13 ? min(coreCount, channels) : 1
  if parts == 1 {
    for c in 0..<channels { body(c) }
    return
  }
  parallelFor(parts) { part in
    for c in (part * channels / parts)..<((part + 1) * channels / parts) { body(c) }
  }
}
