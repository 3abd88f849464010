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
@inline(never)
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
    // Even outputs 2x take kj = 1 from x and kj = 3 from x − 1; odd outputs 2x + 1 take
    // kj = 2 from x and kj = 0 from x + 1. Summing the two input rows first halves the work.
    let line = out + oy * 2 * width
    let (a1, a3, a2, a0) = (tapRow(first, 1), tapRow(first, 3), tapRow(first, 2), tapRow(first, 0))
    let (b1, b3, b2, b0) = (
      tapRow(second, 1), tapRow(second, 3), tapRow(second, 2), tapRow(second, 0)
    )
    @inline(__always) func even(_ x: Int) -> Float {
      (a1[x] + b1[x]) + (x > 0 ? a3[x - 1] + b3[x - 1] : 0)
    }
    @inline(__always) func odd(_ x: Int) -> Float {
      (a2[x] + b2[x]) + (x + 1 < width ? a0[x + 1] + b0[x + 1] : 0)
    }
    line[0] = even(0)
    line[1] = odd(0)
    // The interior four at a time: two SIMD4 sums interleaved into eight outputs.
    var x = 1
    while x + 4 < width {
      let e = (load4(a1 + x) + load4(b1 + x)) + (load4(a3 + x - 1) + load4(b3 + x - 1))
      let o = (load4(a2 + x) + load4(b2 + x)) + (load4(a0 + x + 1) + load4(b0 + x + 1))
      var pair = SIMD8<Float>()
      pair.evenHalf = e
      pair.oddHalf = o
      UnsafeMutableRawPointer(line + 2 * x).storeBytes(of: pair, as: SIMD8<Float>.self)
      x += 4
    }
    while x < width {
      line[2 * x] = even(x)
      line[2 * x + 1] = odd(x)
      x += 1
    }
  }
}
// book: end

/// Four Floats from `p`, which need not be aligned.
@inline(__always)
func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

/// The backward scatter of one channel into the "rows" layout: its 16 column rows from
/// ∂L/∂a of that channel, D[ki·4 + kj][iy, ix] = da[2·iy − 1 + ki, 2·ix − 1 + kj], 0 off
/// the border.
///
/// - Parameters:
///   - plane: one channel of ∂L/∂a, `[2·height, 2·width]`.
///   - rows: where to write `[16, height · width]`.
///   - inputRows: the range of iy to write (all of 0..<height unless split over threads).
@inline(never)
func doublingScatterRows(
  _ plane: UnsafePointer<Float>, height: Int, width: Int, into rows: UnsafeMutablePointer<Float>,
  inputRows: Range<Int>
) {
  let inputPlane = height * width
  for iy in inputRows {
    for ki in 0..<4 {
      // kj = 0, 1, 2, 3 read output columns 2ix − 1, 2ix, 2ix + 1, 2ix + 2.
      let d0 = rows + (ki * 4) * inputPlane + iy * width
      let (d1, d2, d3) = (d0 + inputPlane, d0 + 2 * inputPlane, d0 + 3 * inputPlane)
      let r = 2 * iy - 1 + ki
      guard r >= 0 && r < 2 * height else {
        d0.update(repeating: 0, count: width)
        d1.update(repeating: 0, count: width)
        d2.update(repeating: 0, count: width)
        d3.update(repeating: 0, count: width)
        continue
      }
      let source = plane + r * 2 * width
      // kj = 1 and 2: the even and odd values of the row, four pairs at a time.
      var x = 0
      while x + 4 <= width {
        let pair = UnsafeRawPointer(source + 2 * x).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(d1 + x).storeBytes(of: pair.evenHalf, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(d2 + x).storeBytes(of: pair.oddHalf, as: SIMD4<Float>.self)
        x += 4
      }
      while x < width {
        d1[x] = source[2 * x]
        d2[x] = source[2 * x + 1]
        x += 1
      }
      // kj = 0 is kj = 2 shifted right by one column, kj = 3 is kj = 1 shifted left (copied
      // here, four at a time, rather than by memmove: the rows are short).
      d0[0] = 0
      d3[width - 1] = 0
      x = 0
      while x + 4 <= width - 1 {
        UnsafeMutableRawPointer(d0 + 1 + x).storeBytes(of: load4(d2 + x), as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(d3 + x).storeBytes(of: load4(d1 + 1 + x), as: SIMD4<Float>.self)
        x += 4
      }
      while x < width - 1 {
        d0[1 + x] = d2[x]
        d3[x] = d1[1 + x]
        x += 1
      }
    }
  }
}

/// The backward scatter of one channel into the "pixels" layout: the 16 values (ki, kj) of
/// input position p go to `pixels[p · pixelStride + ki·4 + kj]`.
///
/// - Parameters:
///   - plane: one channel of ∂L/∂a, `[2·height, 2·width]`.
///   - pixels: this channel's first column of Dᵀ.
///   - inputRows: the range of iy to write.
@inline(never)
func doublingScatterPixels(
  _ plane: UnsafePointer<Float>, height: Int, width: Int,
  into pixels: UnsafeMutablePointer<Float>, pixelStride: Int, inputRows: Range<Int>
) {
  let last = width - 1
  for iy in inputRows {
    // The four output rows 2iy − 1 ... 2iy + 2 that kernel rows ki = 0...3 read, or nil
    // off the border.
    @inline(__always) func sourceRow(_ ki: Int) -> UnsafePointer<Float>? {
      let r = 2 * iy - 1 + ki
      return r >= 0 && r < 2 * height ? plane + r * 2 * width : nil
    }
    let rows = (sourceRow(0), sourceRow(1), sourceRow(2), sourceRow(3))
    // The four taps kj = 0...3 of column ix read output columns 2ix − 1 ... 2ix + 2: four
    // consecutive values, one SIMD4, except at the two borders.
    @inline(__always) func taps(_ source: UnsafePointer<Float>?, _ x: Int) -> SIMD4<Float> {
      guard let source else { return SIMD4<Float>() }
      if x > 0 && x < last { return load4(source + 2 * x - 1) }
      return SIMD4<Float>(
        x > 0 ? source[2 * x - 1] : 0, source[2 * x], source[2 * x + 1],
        x < last ? source[2 * x + 2] : 0)
    }
    // The 16 values of a pixel fill one 64-byte line: write them together.
    var target = pixels + iy * width * pixelStride
    for x in 0..<width {
      let raw = UnsafeMutableRawPointer(target)
      raw.storeBytes(of: taps(rows.0, x), as: SIMD4<Float>.self)
      raw.storeBytes(of: taps(rows.1, x), toByteOffset: 16, as: SIMD4<Float>.self)
      raw.storeBytes(of: taps(rows.2, x), toByteOffset: 32, as: SIMD4<Float>.self)
      raw.storeBytes(of: taps(rows.3, x), toByteOffset: 48, as: SIMD4<Float>.self)
      target += pixelStride
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
