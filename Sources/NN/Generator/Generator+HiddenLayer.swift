import Autograd
import Tensors

// A hidden block of the generator on the fast path: transposed convolution, batch norm and
// ReLU. Forward, each channel's column gather runs right before its batch norm; backward,
// each channel's column scatter right after its batch-norm backward, while the channel is
// in cache. The per-channel loops stay on one thread: split over the cores they measured no
// faster on 2 cores, since one core already moves the data as fast as the caches deliver it.

extension Generator {
  /// Hidden layer `l` forward: transposed convolution, batch norm and ReLU, from `input`
  /// into the layer's activations, keeping each channel's mean and 1/σ for the backward.
  func hiddenLayerForward(_ l: Int, _ b: GeneratorBuffers, _ input: UnsafePointer<Float>) {
    let p = b.plans[l]
    let (a, y) = (b.preactivations[l].pointer, b.activations[l].pointer)
    let gathers = p.usesSpecialisedKernels
    if gathers {
      columnsForward(l, b, input)
    } else {
      transposedConvolutionGeneral(l, b, input, into: a)
    }
    let (means, inverseStds) = (b.means[l].pointer, b.inverseStds[l].pointer)
    let epsilon = norms[l].epsilon
    let (columns, zeros) = (UnsafePointer(b.columns.pointer), UnsafePointer(b.zeros.pointer))
    norms[l].scale.value.withUnsafeBufferPointer { gamma in
      norms[l].shift.value.withUnsafeBufferPointer { beta in
        for c in 0..<p.outputChannels {
          let offset = c * p.outputPlane
          if gathers {
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

  /// Hidden layer `l` backward, from ∂L/∂y in the gradient buffer: batch norm and ReLU
  /// backward with the columns, the scale's and shift's gradients, then the convolution's
  /// (its weight gradient, and ∂L/∂x into the gradient buffer for l > 0). With an
  /// optimiser whose step has begun, each parameter is updated after its last use.
  func hiddenLayerBackward(
    _ l: Int, _ b: GeneratorBuffers, _ x: UnsafePointer<Float>,
    updating optimizer: (any Optimizer)?
  ) {
    normalizeAndRectifyBackward(l, b)
    if let optimizer {
      optimizer.update(norms[l].scale)
      optimizer.update(norms[l].shift)
    }
    convolutionBackward(l, b, x)
    // The weight's last use in this pass was the input gradient above.
    optimizer?.update(convolutions[l].weight)
  }

  /// ∂L/∂a from ∂L/∂y of batch-normalised layer `l`, in place in the gradient buffer, the
  /// gradients of its scale and shift and, fused per channel, the layer's columns.
  private func normalizeAndRectifyBackward(_ l: Int, _ b: GeneratorBuffers) {
    let p = b.plans[l]
    let gradient = b.gradient.pointer
    let (a, y) = (
      UnsafePointer(b.preactivations[l].pointer), UnsafePointer(b.activations[l].pointer)
    )
    let (means, inverseStds) = (b.means[l].pointer, b.inverseStds[l].pointer)
    let (dScale, dShift) = (b.scaleGradients[l].pointer, b.shiftGradients[l].pointer)
    let scatters = p.usesSpecialisedKernels && !(p.inputPlane == 1 && p.padding == 0)
    let rows = p.needsRowColumns ? b.columns.pointer : nil
    let pixels = p.needsPixelColumns ? b.pixels.pointer : nil
    norms[l].scale.value.withUnsafeBufferPointer { gamma in
      for c in 0..<p.outputChannels {
        let offset = c * p.outputPlane
        (dScale[c], dShift[c]) = batchNormReLUChannelBackward(
          gradient + offset, input: a + offset, output: y + offset, count: p.outputPlane,
          mean: means[c], inverseStd: inverseStds[c], scale: gamma[c])
        // While the channel is in cache: its rows of the column matrix.
        if scatters { scatterChannel(c, gradient, p, rows: rows, pixels: pixels) }
      }
    }
    if !scatters { scatterColumns(l, b, channels: 0..<p.outputChannels) }
    writeGradient(of: norms[l].scale) { $0.update(from: dScale, count: p.outputChannels) }
    writeGradient(of: norms[l].shift) { $0.update(from: dShift, count: p.outputChannels) }
  }
}
