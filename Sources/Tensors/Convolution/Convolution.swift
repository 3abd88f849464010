// 2-D convolution and transposed convolution (layout NCHW) as im2col / col2im and GEMM,
// and the gradients that reverse-mode differentiation needs. Three kernels do all the work:
//
//   convolve            y(ₙ) ⟵ W · im2col(x(ₙ))            conv forward; convT input gradient
//   convolveTransposed  y(ₙ) += col2im(Wᵀ · x(ₙ))          convT forward; conv input gradient
//   weightGradient      dW += gy(ₙ) · im2col(x(ₙ))ᵀ         both weight gradients
//
// A transposed convolution is the adjoint of a convolution with the same weight tensor:
// a conv weight is [out, in, kh, kw], a conv-transpose weight [in, out, kh, kw] (PyTorch's
// ConvTranspose2d), so the one tensor serves both directions.
// V. Dumoulin, F. Visin, "A guide to convolution arithmetic for deep learning", 2016,
// <https://arxiv.org/abs/1603.07285>.

/// Reusable scratch memory for column matrices. Give each layer (or each thread) its own and
/// repeated convolutions allocate nothing once it has grown to the largest size needed.
public final class ConvolutionWorkspace {
  private var buffer: UnsafeMutablePointer<Float>?
  private var capacity = 0

  public init() {}

  /// At least `count` floats of scratch, valid until the next call.
  func columns(_ count: Int) -> UnsafeMutablePointer<Float> {
    if count > capacity || buffer == nil {
      buffer?.deallocate()
      buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
      capacity = count
    }
    return buffer!
  }

  deinit { buffer?.deallocate() }
}

extension ConvGeometry {
  /// A 1×1 kernel with stride 1 and no padding: the column matrix is the image itself.
  var isPointwise: Bool {
    kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0
  }
}

// book: convolve
/// For each image n: y(ₙ) = W · im2col(x(ₙ)) + beta · y(ₙ), with x `[batch, g.channels,
/// g.height, g.width]`, W `[rows, g.columnRows]`, y `[batch, rows, g.columnCount]`.
func convolve(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, weight: UnsafePointer<Float>,
  rows: Int, into y: UnsafeMutablePointer<Float>, beta: Float, workspace: ConvolutionWorkspace
) {
  let imageSize = g.channels * g.height * g.width
  for n in 0..<batch {
    let image = x + n * imageSize
    var columns = UnsafePointer(image)
    if !g.isPointwise {
      let scratch = workspace.columns(g.columnRows * g.columnCount)
      im2col(image, g, into: scratch)
      columns = UnsafePointer(scratch)
    }
    gemm(
      m: rows, n: g.columnCount, k: g.columnRows, a: weight, lda: g.columnRows,
      b: columns, ldb: g.columnCount, beta: beta, c: y + n * rows * g.columnCount,
      ldc: g.columnCount)
  }
}
// book: end

// book: convolve-transposed
/// For each image n: y(ₙ) += col2im(Wᵀ · x(ₙ)), with x `[batch, rows, g.columnCount]`,
/// W `[rows, g.columnRows]`, y `[batch, g.channels, g.height, g.width]`.
func convolveTransposed(
  _ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry, weight: UnsafePointer<Float>,
  rows: Int, addingInto y: UnsafeMutablePointer<Float>, workspace: ConvolutionWorkspace
) {
  let imageSize = g.channels * g.height * g.width
  for n in 0..<batch {
    let input = x + n * rows * g.columnCount
    let image = y + n * imageSize
    if g.isPointwise {
      // col2im of a 1×1, stride-1 kernel is the identity: accumulate in place.
      gemm(
        transposeA: true, m: g.columnRows, n: g.columnCount, k: rows, a: weight,
        lda: g.columnRows, b: input, ldb: g.columnCount, beta: 1, c: image, ldc: g.columnCount)
      continue
    }
    let columns = workspace.columns(g.columnRows * g.columnCount)
    gemm(
      transposeA: true, m: g.columnRows, n: g.columnCount, k: rows, a: weight,
      lda: g.columnRows, b: input, ldb: g.columnCount, c: columns, ldc: g.columnCount)
    col2im(columns, g, addingInto: image)
  }
}
// book: end

/// dW += Σₙ other(ₙ) · im2col(image(ₙ))ᵀ, with image `[batch, g.channels, g.height, g.width]`,
/// other `[batch, rows, g.columnCount]`, dW `[rows, g.columnRows]`.
func weightGradient(
  image: UnsafePointer<Float>, other: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
  rows: Int, addingInto dW: UnsafeMutablePointer<Float>, workspace: ConvolutionWorkspace
) {
  let imageSize = g.channels * g.height * g.width
  for n in 0..<batch {
    var columns = image + n * imageSize
    if !g.isPointwise {
      let scratch = workspace.columns(g.columnRows * g.columnCount)
      im2col(columns, g, into: scratch)
      columns = UnsafePointer(scratch)
    }
    gemm(
      transposeB: true, m: rows, n: g.columnRows, k: g.columnCount,
      a: other + n * rows * g.columnCount, lda: g.columnCount, b: columns, ldb: g.columnCount,
      beta: 1, c: dW, ldc: g.columnRows)
  }
}

/// The geometry of a convolution of `input` (`[N, C, H, W]`) with `weight`
/// (`[O, C, kh, kw]`), checked; names both shapes when they do not fit.
func convGeometry(
  input: [Int], weight: [Int], stride: Int, padding: Int, _ what: String
) -> ConvGeometry {
  check(
    input.count == 4 && weight.count == 4 && input[1] == weight[1],
    "\(what): input \(input) and weight \(weight) do not fit: want [N, C, H, W] and "
      + "[out, C, kh, kw]")
  return ConvGeometry(
    channels: input[1], height: input[2], width: input[3], kernelHeight: weight[2],
    kernelWidth: weight[3], stride: stride, padding: padding)
}

/// The geometry of a transposed convolution of `input` (`[N, Cin, H, W]`) with `weight`
/// (`[Cin, Cout, kh, kw]`) seen as the convolution it is the adjoint of: the "image" is the
/// transposed convolution's output `[Cout, outputHeight, outputWidth]`.
func convTransposeGeometry(
  input: [Int], weight: [Int], stride: Int, padding: Int, outputHeight: Int, outputWidth: Int,
  _ what: String
) -> ConvGeometry {
  check(
    input.count == 4 && weight.count == 4 && input[1] == weight[0],
    "\(what): input \(input) and weight \(weight) do not fit: want [N, Cin, H, W] and "
      + "[Cin, Cout, kh, kw]")
  let g = ConvGeometry(
    channels: weight[1], height: outputHeight, width: outputWidth, kernelHeight: weight[2],
    kernelWidth: weight[3], stride: stride, padding: padding)
  check(
    g.outputHeight == input[2] && g.outputWidth == input[3],
    "\(what): an output of \(outputHeight)×\(outputWidth) does not match input \(input) with "
      + "weight \(weight), stride \(stride), padding \(padding)")
  return g
}
