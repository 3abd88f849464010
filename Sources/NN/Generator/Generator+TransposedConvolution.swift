import Autograd
import Tensors

// The transposed convolution of every layer of the fast path, forward and backward. Forward
// is one GEMM into the column matrix D = Wᵀ · x (the gather that sums D into the output is
// fused with the activation that follows, in the layer's own file); backward, from the
// columns of ∂L/∂a, two GEMMs: ∂L/∂W = x · Dᵀ and ∂L/∂x = W · D. Each GEMM takes the operand
// layout the layer's plan chose for its size (GeneratorBuffers.swift), and is split over the
// thread team (Tensors/ThreadTeam.swift) or run by OpenBLAS's threads, as the options say.

extension Generator {
  /// The column matrix D = Wᵀ · x of k4 s2 p1 layer `l` in the "rows" layout, by the GEMM
  /// shape the plan chose.
  func columnsForward(_ l: Int, _ b: GeneratorBuffers, _ x: UnsafePointer<Float>) {
    let p = b.plans[l]
    let (columns, pixels) = (b.columns.pointer, b.pixels.pointer)
    convolutions[l].weight.value.withUnsafeBufferPointer { w in
      let w = w.baseAddress!
      if p.forwardThroughPixels {
        // Dᵀ = xᵀ · W, then transposed: the better GEMM shape when H·W is small.
        multiply(
          b, transposeA: true, m: p.inputPlane, n: p.columnRows, k: p.inputChannels, a: x,
          lda: p.inputPlane, b: w, ldb: p.columnRows, c: pixels, ldc: p.columnRows)
        transpose(pixels, rows: p.inputPlane, columns: p.columnRows, into: columns)
      } else {
        multiply(
          b, transposeA: true, m: p.columnRows, n: p.inputPlane, k: p.inputChannels, a: w,
          lda: p.columnRows, b: x, ldb: p.inputPlane, c: columns, ldc: p.inputPlane)
      }
    }
  }

  /// The transposed convolution of layer `l` by the general route of chapter 3: GEMM, then
  /// col2im (or, for a 1×1 input without padding, the GEMM alone: its one column is the
  /// output). The first layer always runs this way; the others when the options turn the
  /// specialised kernels off.
  func transposedConvolutionGeneral(
    _ l: Int, _ b: GeneratorBuffers, _ input: UnsafePointer<Float>,
    into output: UnsafeMutablePointer<Float>
  ) {
    let p = b.plans[l]
    convolutions[l].weight.value.withUnsafeBufferPointer { w in
      if p.inputPlane == 1 && p.padding == 0 {
        multiply(
          b, transposeA: true, m: p.columnRows, n: 1, k: p.inputChannels, a: w.baseAddress!,
          lda: p.columnRows, b: input, ldb: 1, c: output, ldc: 1)
        return
      }
      let columns = b.columns.pointer
      multiply(
        b, transposeA: true, m: p.columnRows, n: p.inputPlane, k: p.inputChannels,
        a: w.baseAddress!, lda: p.columnRows, b: input, ldb: p.inputPlane, c: columns,
        ldc: p.inputPlane)
      output.update(repeating: 0, count: p.outputCount)
      col2im(columns, p.geometry, addingInto: output)
    }
  }

  /// ∂L/∂W of layer `l` into the weight's gradient and, for l > 0, ∂L/∂x into the gradient
  /// buffer, from the layer's columns (or, for a 1×1 input, ∂L/∂a itself).
  func convolutionBackward(_ l: Int, _ b: GeneratorBuffers, _ x: UnsafePointer<Float>) {
    let p = b.plans[l]
    let (gradient, columns, pixels) = (b.gradient.pointer, b.columns.pointer, b.pixels.pointer)
    let weight = convolutions[l].weight
    writeGradient(of: weight) { dW in
      if p.inputPlane == 1 && p.padding == 0 {
        // ∂L/∂W = x ⊗ ∂L/∂a: the column matrix is ∂L/∂a itself. The input (z) needs no
        // gradient.
        multiply(
          b, m: p.inputChannels, n: p.columnRows, k: 1, a: x, lda: 1, b: gradient,
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
              b, alone: alone, m: p.inputChannels, n: p.columnRows, k: p.inputPlane, a: x,
              lda: p.inputPlane, b: pixels, ldb: p.columnRows, c: dW, ldc: p.columnRows)
          } else {
            multiply(
              b, alone: alone, transposeB: true, m: p.inputChannels, n: p.columnRows,
              k: p.inputPlane, a: x, lda: p.inputPlane, b: columns, ldb: p.inputPlane, c: dW,
              ldc: p.columnRows)
          }
        }
        // ∂L/∂x = W · D, overwriting ∂L/∂a, which the columns now hold.
        func inputGradient(alone: Bool) {
          if p.inputGradientFromPixels {
            multiply(
              b, alone: alone, transposeB: true, m: p.inputChannels, n: p.inputPlane,
              k: p.columnRows, a: w, lda: p.columnRows, b: pixels, ldb: p.columnRows,
              c: gradient, ldc: p.inputPlane)
          } else {
            multiply(
              b, alone: alone, m: p.inputChannels, n: p.inputPlane, k: p.columnRows, a: w,
              lda: p.columnRows, b: columns, ldb: p.inputPlane, c: gradient, ldc: p.inputPlane)
          }
        }
        if b.options.teamGEMMs && p.gradientsSideBySide && ThreadTeam.shared.size >= 2 {
          // Two GEMMs of a small image, each whole on its own core: fewer, larger GEMMs.
          // Measured faster on 2 cores only (AMD EPYC, Intel Xeon); with more, the members
          // beyond the second wait here, a layout not measured on such machines.
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

  /// The column matrices of layer `l` from ∂L/∂a in the gradient buffer, for `channels`:
  /// the transpose of the forward gather (or of col2im, by im2col, on the general route).
  func scatterColumns(_ l: Int, _ b: GeneratorBuffers, channels: Range<Int>) {
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

  /// A GEMM as the options say: split over the thread team, or by OpenBLAS's threads; on
  /// this thread alone when `alone` (the caller is already one member of a team task).
  @inline(__always)
  private func multiply(
    _ buffers: GeneratorBuffers, alone: Bool = false, transposeA: Bool = false,
    transposeB: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if buffers.options.teamGEMMs && !alone {
      parallelGEMM(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
        b: b, ldb: ldb, c: c, ldc: ldc)
    } else {
      gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
        b: b, ldb: ldb, c: c, ldc: ldc)
    }
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
