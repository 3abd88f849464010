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
// Each kind of layer keeps its forward and backward side by side: the transposed
// convolution (Generator+TransposedConvolution.swift), the hidden block of convolution,
// batch norm and ReLU (Generator+HiddenLayer.swift), and the output block of convolution,
// sigmoid and loss (Generator+OutputLayer.swift). This file runs them in order. The
// parameter gradients are written (not accumulated): one backward pass per forward pass.

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
    withThreading(b) {
      z.withUnsafeBufferPointer { z in
        for l in b.plans.indices { layerForward(l, b, layerInput(l, b, z.baseAddress!)) }
      }
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
    sigmoidInputGradient(b, outputGradient: outputGradient)
    backwardThroughLayers(b)
  }

  /// The mean squared error (1/n) Σ (yᵢ − tᵢ)² of the last `forward` output against
  /// `target`, and the backward pass from it: sets every parameter's gradient.
  /// - Returns: the loss.
  public func backwardMeanSquaredError(target: Tensor) -> Float {
    let b = buffersAfterForward("backwardMeanSquaredError")
    let loss = meanSquaredErrorBackward(b, target: target)
    backwardThroughLayers(b)
    return loss
  }

  /// One step of fitting the output to `target` by mean squared error: forward, backward,
  /// and the optimiser's step. Each parameter is updated by the optimiser as soon as the
  /// backward pass has finished with it, layer by layer from the last, while its values are
  /// still in cache; the result is the same as `optimizer.step()` after the backward pass.
  /// - Returns: the loss before the step.
  public func fitStep(target: Tensor, optimizer: any Optimizer) -> Float {
    _ = forward()
    let b = buffersAfterForward("fitStep")
    optimizer.beginStep()
    let loss = meanSquaredErrorBackward(b, target: target)
    backwardThroughLayers(b, updating: optimizer)
    optimizer.finishStep()
    return loss
  }

  /// Bytes of memory the fast path's buffers hold (0 before the first pass); parameters,
  /// gradients and optimiser state are not counted.
  public var fastPathBytes: Int {
    buffers?.byteCount ?? 0
  }

  /// The backward pass from ∂L/∂a of the last layer (in the gradient buffer), last layer
  /// first; with an optimiser whose step has begun, each parameter is updated as soon as its
  /// gradient is final.
  private func backwardThroughLayers(
    _ b: GeneratorBuffers, updating optimizer: (any Optimizer)? = nil
  ) {
    withThreading(b) {
      b.input!.withUnsafeBufferPointer { z in
        for l in b.plans.indices.reversed() {
          layerBackward(l, b, layerInput(l, b, z.baseAddress!), updating: optimizer)
        }
      }
    }
  }

  // MARK: - One layer

  /// The input of layer `l`: z for the first, the activations of the layer before otherwise.
  func layerInput(
    _ l: Int, _ b: GeneratorBuffers, _ z: UnsafePointer<Float>
  ) -> UnsafePointer<Float> {
    l == 0 ? z : UnsafePointer(b.activations[l - 1].pointer)
  }

  /// Layer `l` forward, from `input` into its activations (or, for the last, the output).
  func layerForward(_ l: Int, _ b: GeneratorBuffers, _ input: UnsafePointer<Float>) {
    if l < norms.count {
      hiddenLayerForward(l, b, input)
    } else {
      outputLayerForward(b, input)
    }
  }

  /// Layer `l` backward, from ∂L/∂(its output) in the gradient buffer to its parameters'
  /// gradients and ∂L/∂(its input) in the gradient buffer; `x` is the layer's input.
  func layerBackward(
    _ l: Int, _ b: GeneratorBuffers, _ x: UnsafePointer<Float>,
    updating optimizer: (any Optimizer)?
  ) {
    if l < norms.count {
      hiddenLayerBackward(l, b, x, updating: optimizer)
    } else {
      outputLayerBackward(b, x, updating: optimizer)
    }
  }

  /// Runs `body` with single-threaded OpenBLAS when the team splits the GEMMs.
  @inline(__always)
  func withThreading<R>(_ b: GeneratorBuffers, _ body: () -> R) -> R {
    b.options.teamGEMMs ? withSingleThreadedBLAS(body) : body()
  }

  // MARK: - Buffers

  func preparedBuffers() -> GeneratorBuffers {
    if let buffers, buffers.options == fastPathOptions { return buffers }
    let made = GeneratorBuffers(self, options: fastPathOptions)
    buffers = made
    return made
  }

  func buffersAfterForward(_ what: String) -> GeneratorBuffers {
    guard let b = buffers, b.input != nil else {
      preconditionFailure("Generator.\(what): call forward() first")
    }
    return b
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
