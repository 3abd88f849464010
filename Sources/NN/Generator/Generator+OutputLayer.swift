import Autograd
import Tensors

// The generator's last layer on the fast path: the k4 s2 p1 transposed convolution to one
// channel, then the sigmoid; and the loss the fit starts its backward pass from. With one
// channel there is no channel loop to split, so the gather, the sigmoid and the loss are
// split over the cores by rows or ranges of the image instead.

extension Generator {
  /// The last layer forward: transposed convolution and sigmoid, from `input` into the
  /// output `[1, 1, height, width]`.
  func outputLayerForward(_ b: GeneratorBuffers, _ input: UnsafePointer<Float>) {
    let l = b.plans.count - 1
    let p = b.plans[l]
    b.output.prepareForOverwrite(shape: [1, p.outputChannels, p.outputHeight, p.outputWidth])
    b.output.withUnsafeMutableBufferPointer { y in
      let out = y.baseAddress!
      if p.usesSpecialisedKernels && p.outputChannels == 1 {
        columnsForward(l, b, input)
        let (columns, zeros) = (UnsafePointer(b.columns.pointer), UnsafePointer(b.zeros.pointer))
        parallelRanges(p.outputHeight, minimum: 16) { _, rows in
          doublingGather(
            rows: columns, height: p.inputHeight, width: p.inputWidth, zeros: zeros,
            into: out, outputRows: rows)
          let start = out + rows.lowerBound * p.outputWidth
          sigmoidInPlace(start, count: rows.count * p.outputWidth)
        }
      } else {
        transposedConvolutionGeneral(l, b, input, into: out)
        parallelRanges(y.count, minimum: 1 << 14) { _, range in
          sigmoidInPlace(out + range.lowerBound, count: range.count)
        }
      }
    }
  }

  /// The last layer backward, from ∂L/∂a (the sigmoid's input) in the gradient buffer:
  /// the columns, then the convolution's weight gradient (and its input gradient, into the
  /// gradient buffer), then the weight's update when an optimiser's step has begun.
  func outputLayerBackward(
    _ b: GeneratorBuffers, _ x: UnsafePointer<Float>, updating optimizer: (any Optimizer)?
  ) {
    let l = b.plans.count - 1
    scatterColumns(l, b, channels: 0..<b.plans[l].outputChannels)
    convolutionBackward(l, b, x)
    optimizer?.update(convolutions[l].weight)
  }

  /// ∂L/∂a = ∂L/∂y · y(1 − y) into the gradient buffer, from ∂L/∂y = `outputGradient` for
  /// the output y of the last forward pass.
  func sigmoidInputGradient(_ b: GeneratorBuffers, outputGradient: Tensor) {
    let gradient = b.gradient.pointer
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
  }

  /// The mean squared error of the last forward pass's output against `target`, and its
  /// gradient with respect to the sigmoid's input, into the gradient buffer.
  /// - Returns: the loss, (1/n) Σ (yᵢ − tᵢ)².
  func meanSquaredErrorBackward(_ b: GeneratorBuffers, target: Tensor) -> Float {
    precondition(
      target.shape == b.output.shape,
      "Generator.backwardMeanSquaredError: target \(target.shape), expected \(b.output.shape)")
    let gradient = b.gradient.pointer
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
    let sum = (0..<parts).reduce(0.0) { $0 + Double(partial[$1]) }
    return Float(sum / Double(n))
  }
}
