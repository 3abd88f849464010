// Convolution as matrix multiplication: im2col copies every patch a kernel sees into one
// column of a matrix, so that convolving with all output channels at once is one GEMM;
// col2im is its adjoint, adding each column back onto the patch it came from.
// K. Chellapilla, S. Puri, P. Simard, "High Performance Convolutional Neural Networks for
// Document Processing", IWFHR 2006.

/// The output length of a convolution along one axis: ⌊(n + 2·padding − kernel) / stride⌋ + 1.
///
/// A 64-wide input with kernel 4, stride 2, padding 1 gives 32.
public func convOutputSize(_ inputSize: Int, kernelSize: Int, stride: Int, padding: Int) -> Int {
  (inputSize + 2 * padding - kernelSize) / stride + 1
}

/// The output length of a transposed convolution along one axis:
/// (n − 1)·stride − 2·padding + kernel + outputPadding.
///
/// A 32-wide input with kernel 4, stride 2, padding 1 gives 64. `outputPadding` (less than
/// the stride) picks among the input sizes that a strided convolution maps to the same size.
public func convTransposeOutputSize(
  _ inputSize: Int, kernelSize: Int, stride: Int, padding: Int, outputPadding: Int = 0
) -> Int {
  (inputSize - 1) * stride - 2 * padding + kernelSize + outputPadding
}

/// The geometry of a convolution over one image `[channels, height, width]`: what im2col and
/// col2im need. The column matrix has `channels · kernelHeight · kernelWidth` rows, one per
/// kernel tap, and `outputHeight · outputWidth` columns, one per output position.
public struct ConvGeometry: Equatable, Sendable {
  public var channels: Int
  public var height: Int
  public var width: Int
  public var kernelHeight: Int
  public var kernelWidth: Int
  public var stride: Int
  public var padding: Int

  public init(
    channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
    stride: Int, padding: Int
  ) {
    check(
      stride >= 1 && padding >= 0 && kernelHeight >= 1 && kernelWidth >= 1,
      "convolution: kernel \(kernelHeight)×\(kernelWidth), stride \(stride), padding \(padding)")
    (self.channels, self.height, self.width) = (channels, height, width)
    (self.kernelHeight, self.kernelWidth) = (kernelHeight, kernelWidth)
    (self.stride, self.padding) = (stride, padding)
    check(
      outputHeight >= 1 && outputWidth >= 1,
      "convolution: a \(kernelHeight)×\(kernelWidth) kernel with padding \(padding) does not "
        + "fit a \(height)×\(width) image")
  }

  public var outputHeight: Int {
    convOutputSize(height, kernelSize: kernelHeight, stride: stride, padding: padding)
  }
  public var outputWidth: Int {
    convOutputSize(width, kernelSize: kernelWidth, stride: stride, padding: padding)
  }
  /// Rows of the column matrix: `channels · kernelHeight · kernelWidth`.
  public var columnRows: Int { channels * kernelHeight * kernelWidth }
  /// Columns of the column matrix: `outputHeight · outputWidth`.
  public var columnCount: Int { outputHeight * outputWidth }

  /// The output positions `o` along an axis of length `size` at which kernel tap `tap`
  /// reads inside the image, 0 ≤ o·stride − padding + tap < size, as a range of `o`.
  @inline(__always)
  func validOutputs(tap: Int, size: Int, outputs: Int) -> Range<Int> {
    // Smallest o with o·s ≥ padding − tap, and one past the largest with o·s ≤ size − 1 +
    // padding − tap; written without negative division, which rounds towards zero.
    let low = padding - tap <= 0 ? 0 : (padding - tap + stride - 1) / stride
    let last = size - 1 + padding - tap
    let high = last < 0 ? 0 : min(outputs, last / stride + 1)
    return min(low, high)..<high
  }
}

// book: im2col
/// Copies every kernel-sized patch of `image` (`[channels, height, width]`) into a column of
/// `columns` (`[channels · kh · kw, outputHeight · outputWidth]`):
/// columns[(c·kh + i)·kw + j, y·outputWidth + x] = image[c, y·s − p + i, x·s − p + j],
/// and 0 where that position falls in the padding.
public func im2col(
  _ image: UnsafePointer<Float>, _ g: ConvGeometry, into columns: UnsafeMutablePointer<Float>
) {
  // BEGIN SOLUTION im2col: one row per (channel, kernel row, kernel column); zero in padding
  let (outH, outW) = (g.outputHeight, g.outputWidth)
  for c in 0..<g.channels {
    for i in 0..<g.kernelHeight {
      let validY = g.validOutputs(tap: i, size: g.height, outputs: outH)
      for j in 0..<g.kernelWidth {
        let validX = g.validOutputs(tap: j, size: g.width, outputs: outW)
        let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * outH * outW
        for y in 0..<outH {
          let target = row + y * outW
          guard validY.contains(y) else {
            target.update(repeating: 0, count: outW)
            continue
          }
          // The first image value this row reads; then every stride-th value.
          var source =
            image + (c * g.height + y * g.stride - g.padding + i) * g.width
            + validX.lowerBound * g.stride - g.padding + j
          for x in 0..<validX.lowerBound { target[x] = 0 }
          for x in validX {
            target[x] = source.pointee
            source += g.stride
          }
          for x in validX.upperBound..<outW { target[x] = 0 }
        }
      }
    }
  }
  // END SOLUTION
}
// book: end

// book: col2im
/// The adjoint of `im2col`: adds every column of `columns` back onto the patch of `image`
/// it was copied from, so overlapping patches sum:
/// image[c, y·s − p + i, x·s − p + j] += columns[(c·kh + i)·kw + j, y·outputWidth + x].
/// Values that fall in the padding are dropped.
public func col2im(
  _ columns: UnsafePointer<Float>, _ g: ConvGeometry, addingInto image: UnsafeMutablePointer<Float>
) {
  // BEGIN SOLUTION col2im: the adjoint: each column value adds onto the pixel it came from
  let (outH, outW) = (g.outputHeight, g.outputWidth)
  for c in 0..<g.channels {
    for i in 0..<g.kernelHeight {
      let validY = g.validOutputs(tap: i, size: g.height, outputs: outH)
      for j in 0..<g.kernelWidth {
        let validX = g.validOutputs(tap: j, size: g.width, outputs: outW)
        let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * outH * outW
        for y in validY {
          let source = row + y * outW
          var target =
            image + (c * g.height + y * g.stride - g.padding + i) * g.width
            + validX.lowerBound * g.stride - g.padding + j
          for x in validX {
            target.pointee += source[x]
            target += g.stride
          }
        }
      }
    }
  }
  // END SOLUTION
}
// book: end

/// `im2col` of one image held in a tensor.
/// - Parameter image: `[channels, height, width]`.
/// - Returns: `[channels · kernelHeight · kernelWidth, outputHeight · outputWidth]`.
public func im2col(
  _ image: Tensor, kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
  check(image.rank == 3, "im2col: image \(image.shape) is not [channels, height, width]")
  let g = ConvGeometry(
    channels: image.shape[0], height: image.shape[1], width: image.shape[2],
    kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding)
  let columns = Tensor(uninitializedShape: [g.columnRows, g.columnCount])
  let target = columns.storage.pointer
  image.withUnsafeBufferPointer { im2col($0.baseAddress!, g, into: target) }
  return columns
}

/// `col2im` into a new zero image.
/// - Parameter columns: `[g.columnRows, g.columnCount]`.
/// - Returns: `[g.channels, g.height, g.width]`.
public func col2im(_ columns: Tensor, _ g: ConvGeometry) -> Tensor {
  check(
    columns.shape == [g.columnRows, g.columnCount],
    "col2im: columns \(columns.shape) do not match \([g.columnRows, g.columnCount]) of \(g)")
  let image = Tensor.zeros([g.channels, g.height, g.width])
  let target = image.storage.pointer
  columns.withUnsafeBufferPointer { col2im($0.baseAddress!, g, addingInto: target) }
  return image
}
