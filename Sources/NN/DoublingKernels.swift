// The column scatter and gather of the generator's up-sampling layer, the transposed
// convolution with a 4×4 kernel, stride 2 and padding 1, written for that one geometry.
//
// Output row oy = 2·iy − 1 + ki receives kernel row ki of input row iy, so every output
// row has exactly two contributing input rows, one per parity ("phase") of oy:
//
//   oy = 2Y      ki = 1 from iy = Y,   ki = 3 from iy = Y − 1
//   oy = 2Y + 1  ki = 2 from iy = Y,   ki = 0 from iy = Y + 1
//
// and the same along x. So each output value is the sum of exactly 4 column entries (2 at
// the border): a gather that writes every output value once, instead of the general
// col2im's 16 strided scatter-adds per channel. The backward scatter (im2col of ∂L/∂a) is
// the same map read the other way: each column row is every other value of one output row.
//
// Columns come in two layouts, for whichever GEMM shape is faster:
//   rows    D[(o·16 + ki·4 + kj), iy·W + ix]        ([Cout·16, H·W])
//   pixels  Dᵀ[iy·W + ix, (o·16 + ki·4 + kj)]       ([H·W, Cout·16])

/// The input row and kernel row of the two contributions to output row `oy` (of an input
/// `height` rows tall); a row index of −1 marks a contribution that falls off the border.
@inline(__always)
func contributingRows(_ oy: Int, height: Int) -> ((row: Int, tap: Int), (row: Int, tap: Int)) {
  let y = oy >> 1
  if oy & 1 == 0 {
    return ((y, 1), (y >= 1 ? y - 1 : -1, 3))
  } else {
    return ((y, 2), (y + 1 < height ? y + 1 : -1, 0))
  }
}

// book: doubling-gather
/// One output channel of the k4 s2 p1 transposed convolution from its column rows:
/// out[oy, ox] = Σ over the (at most) 4 taps (ki, kj) that reach (oy, ox) of
/// D[ki·4 + kj][iy, ix], with iy = (oy + 1 − ki)/2 and ix = (ox + 1 − kj)/2.
///
/// - Parameters:
///   - rows: the channel's 16 column rows `[16, height · width]` (layout "rows").
///   - zeros: `width` zeros, read in place of a row that falls off the border.
///   - out: `[2·height, 2·width]`.
///   - outputRows: the range of oy to write (all of 0..<2·height unless split over threads).
@inline(__always)
func doublingGather(
  rows: UnsafePointer<Float>, height: Int, width: Int, zeros: UnsafePointer<Float>,
  into out: UnsafeMutablePointer<Float>, outputRows: Range<Int>
) {
  let plane = height * width
  for oy in outputRows {
    let (first, second) = contributingRows(oy, height: height)
    // Row iy of tap (ki, kj), or zeros off the border.
    func tapRow(_ r: (row: Int, tap: Int), _ kj: Int) -> UnsafePointer<Float> {
      r.row < 0 ? zeros : rows + (r.tap * 4 + kj) * plane + r.row * width
    }
    // Even outputs 2X take kj = 1 from X and kj = 3 from X − 1; odd outputs 2X + 1 take
    // kj = 2 from X and kj = 0 from X + 1.
    let (a1, a3, a2, a0) = (tapRow(first, 1), tapRow(first, 3), tapRow(first, 2), tapRow(first, 0))
    let (b1, b3, b2, b0) = (
      tapRow(second, 1), tapRow(second, 3), tapRow(second, 2), tapRow(second, 0)
    )
    let line = out + oy * 2 * width
    let last = width - 1
    line[0] = a1[0] + b1[0]
    line[2 * last + 1] = a2[last] + b2[last]
    if width > 1 {
      line[1] = a2[0] + b2[0] + a0[1] + b0[1]
      line[2 * last] = a1[last] + b1[last] + a3[last - 1] + b3[last - 1]
    }
    if width > 2 {
      for x in 1..<last {
        line[2 * x] = (a1[x] + b1[x]) + (a3[x - 1] + b3[x - 1])
        line[2 * x + 1] = (a2[x] + b2[x]) + (a0[x + 1] + b0[x + 1])
      }
    }
  }
}
// book: end

/// The backward scatter of one channel: its 16 column rows from ∂L/∂a of that channel,
/// D[ki·4 + kj][iy, ix] = da[2·iy − 1 + ki, 2·ix − 1 + kj], 0 off the border.
///
/// - Parameters:
///   - plane: one channel of ∂L/∂a, `[2·height, 2·width]`.
///   - rows: where to write `[16, height · width]` (layout "rows"), or nil.
///   - pixels: where to write this channel's 16 columns of Dᵀ (layout "pixels": value
///     (ki, kj) of input position p at `pixels[p · pixelStride + ki·4 + kj]`), or nil.
///   - inputRows: the range of iy to write (all of 0..<height unless split over threads).
@inline(__always)
func doublingScatter(
  _ plane: UnsafePointer<Float>, height: Int, width: Int,
  rows: UnsafeMutablePointer<Float>?, pixels: UnsafeMutablePointer<Float>?, pixelStride: Int,
  inputRows: Range<Int>
) {
  let inputPlane = height * width
  let outputWidth = 2 * width
  let last = width - 1
  for iy in inputRows {
    for ki in 0..<4 {
      let r = 2 * iy - 1 + ki
      let valid = r >= 0 && r < 2 * height
      let source = plane + (valid ? r : 0) * outputWidth
      if let rows {
        // kj = 0, 1, 2, 3 read output columns 2ix − 1, 2ix, 2ix + 1, 2ix + 2.
        let d0 = rows + (ki * 4) * inputPlane + iy * width
        let (d1, d2, d3) = (d0 + inputPlane, d0 + 2 * inputPlane, d0 + 3 * inputPlane)
        if valid {
          d0[0] = 0
          d3[last] = 0
          for x in 0..<width {
            d1[x] = source[2 * x]
            d2[x] = source[2 * x + 1]
          }
          for x in 1..<width { d0[x] = source[2 * x - 1] }
          for x in 0..<last { d3[x] = source[2 * x + 2] }
        } else {
          for x in 0..<width { (d0[x], d1[x], d2[x], d3[x]) = (0, 0, 0, 0) }
        }
      }
      if let pixels {
        for x in 0..<width {
          let target = pixels + (iy * width + x) * pixelStride + ki * 4
          if !valid {
            (target[0], target[1], target[2], target[3]) = (0, 0, 0, 0)
            continue
          }
          target[0] = x > 0 ? source[2 * x - 1] : 0
          target[1] = source[2 * x]
          target[2] = source[2 * x + 1]
          target[3] = x < last ? source[2 * x + 2] : 0
        }
      }
    }
  }
}

/// Transposes `rows` × `columns` values from `source` (row-major) into `target`
/// (`[columns, rows]`), in cache-sized tiles.
@inline(__always)
func transpose(
  _ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>
) {
  let tile = 32
  for i0 in stride(from: 0, to: rows, by: tile) {
    for j0 in stride(from: 0, to: columns, by: tile) {
      for i in i0..<min(i0 + tile, rows) {
        for j in j0..<min(j0 + tile, columns) {
          target[j * rows + i] = source[i * columns + j]
        }
      }
    }
  }
}
