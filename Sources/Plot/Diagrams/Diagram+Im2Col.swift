import Foundation

extension Diagram {
  /// im2col on a small image: the channels as grids of their values, and the column matrix
  /// that `im2col` made of them, with one output position's patch and its column picked out.
  ///
  /// Row `(c · k + i) · k + j` of the matrix holds tap (i, j) of channel c for every output
  /// position, column `y · outW + x` everything output (y, x) sees (stride 1, no padding):
  /// a convolution is then one matrix product, weights `[Cout, C·k·k]` times this matrix.
  /// - Parameters:
  ///   - image: the values drawn in the grids, row-major.
  ///   - shape: the image's `[channels, height, width]`.
  ///   - columns: `[channels · k · k, outH · outW]` row-major, as `im2col` returned them.
  ///   - highlighted: the column (output position) whose patch is coloured.
  public static func im2col(
    image: [Float], shape: [Int], kernel k: Int, columns: [Float], highlighted: Int = 1
  ) -> Diagram {
    precondition(shape.count == 3, "an image of shape \(shape), not [channels, height, width]")
    let (channels, height, width) = (shape[0], shape[1], shape[2])
    let (outH, outW) = (height - k + 1, width - k + 1)
    let rows = channels * k * k
    let count = outH * outW
    precondition(image.count == channels * height * width, "image of \(image.count) values")
    precondition(columns.count == rows * count, "\(columns.count) values for \(rows) x \(count)")
    let cell = 44
    let gridGap = 36
    let left = 40
    let top = 90
    let matrixLeft = left + width * cell + 220
    var diagram = Diagram(
      width: matrixLeft + count * cell + 60, height: max(top + rows * cell, 0) + 110)
    let (hy, hx) = (highlighted / outW, highlighted % outW)
    let accent = Color.palette(1)
    let tint = accent.mixed(with: .white, 0.65)
    func label(_ value: Float) -> String { String(format: "%g", value) }

    diagram.text(
      "im2col: a \(channels) x \(height) x \(width) image, kernel \(k) x \(k), stride 1, no "
        + "padding -> a \(rows) x \(count) matrix", at: 20, 14,
      anchor: TextAnchor(.left, .top), font: .bold)
    // The image, one grid per channel, the highlighted output's patch tinted.
    for c in 0..<channels {
      let gridTop = top + c * (height * cell + gridGap)
      diagram.text(
        "channel \(c)", at: left + width * cell / 2, gridTop - 6,
        anchor: TextAnchor(.center, .bottom))
      for y in 0..<height {
        for x in 0..<width {
          let inPatch = (hy..<(hy + k)).contains(y) && (hx..<(hx + k)).contains(x)
          diagram.box(
            Rect(x: left + x * cell, y: gridTop + y * cell, width: cell + 1, height: cell + 1),
            fill: inPatch ? tint : .white, stroke: .darkGray,
            label: label(image[(c * height + y) * width + x]))
        }
      }
      diagram.box(
        Rect(
          x: left + hx * cell, y: gridTop + hy * cell, width: k * cell + 1, height: k * cell + 1),
        fill: .transparent, stroke: accent)
    }
    // The column matrix: rows are (channel, tap), columns are output positions.
    for column in 0..<count {
      diagram.text(
        "(\(column / outW),\(column % outW))", at: matrixLeft + column * cell + cell / 2,
        top - 6, anchor: TextAnchor(.center, .bottom),
        color: column == highlighted ? accent : .black)
    }
    diagram.text(
      "output position (y, x)", at: matrixLeft + count * cell / 2, top - 26,
      anchor: TextAnchor(.center, .bottom), color: .darkGray)
    for row in 0..<rows {
      let (c, i, j) = (row / (k * k), (row / k) % k, row % k)
      diagram.text(
        "c\(c) (\(i),\(j))", at: matrixLeft - 8, top + row * cell + cell / 2,
        anchor: TextAnchor(.right, .center))
      for column in 0..<count {
        diagram.box(
          Rect(
            x: matrixLeft + column * cell, y: top + row * cell, width: cell + 1, height: cell + 1),
          fill: column == highlighted ? tint : .white, stroke: .darkGray,
          label: label(columns[row * count + column]))
      }
    }
    diagram.box(
      Rect(
        x: matrixLeft + highlighted * cell, y: top, width: cell + 1, height: rows * cell + 1),
      fill: .transparent, stroke: accent)
    diagram.text(
      "row: channel, tap (i, j)", at: matrixLeft - 8, top + rows * cell + 12,
      anchor: TextAnchor(.right, .top), color: .darkGray)
    // From each channel's patch to the rows it fills.
    for c in 0..<channels {
      let gridTop = top + c * (height * cell + gridGap)
      let from = Point(
        x: Double(left + (hx + k) * cell + 8), y: Double(gridTop + (hy * cell) + k * cell / 2))
      let to = Point(
        x: Double(matrixLeft - 80), y: Double(top + (c * k * k) * cell + k * k * cell / 2))
      diagram.arrow(from: from, to: to, color: accent, width: 2)
    }
    diagram.text(
      "convolution = weights [Cout, \(rows)] x this matrix [\(rows), \(count)] "
        + "= output [Cout, \(count)], reshaped to [Cout, \(outH), \(outW)]",
      at: 20, top + rows * cell + 50, anchor: TextAnchor(.left, .top))
    return diagram
  }
}
