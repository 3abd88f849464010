/// The key of a chart: one row per labelled series, a swatch in its style and its label.
struct Legend {
  /// How a series looks, so its swatch can look the same.
  enum Swatch {
    case line(dashed: Bool)
    case points
    case bar(hatched: Bool)
  }

  struct Entry {
    var label: String
    var color: Color
    var swatch: Swatch
  }

  var entries: [Entry]

  static let inset = 8
  static let padding = 6
  static let rowHeight = 16
  static let swatchWidth = 26
  static let swatchGap = 6

  /// The legend's size in pixels.
  var size: (width: Int, height: Int) {
    let widest = entries.map { Style.labelFont.width(of: $0.label) }.max() ?? 0
    return (
      2 * Legend.padding + Legend.swatchWidth + Legend.swatchGap + widest,
      2 * Legend.padding + entries.count * Legend.rowHeight - 4
    )
  }

  /// The box for the legend in the corner of `plot` that covers the fewest of `occupied`
  /// (pixel positions of the data), trying top-right, top-left, bottom-right, bottom-left in
  /// that order so ties go to the conventional top-right.
  func placement(in plot: Rect, avoiding occupied: [Point]) -> Rect {
    let (width, height) = size
    let left = plot.x + Legend.inset
    let right = plot.maxX - Legend.inset - width
    let top = plot.y + Legend.inset
    let bottom = plot.maxY - Legend.inset - height
    let corners = [(right, top), (left, top), (right, bottom), (left, bottom)]
    var best = Rect(x: right, y: top, width: width, height: height)
    var bestCount = Int.max
    for (x, y) in corners {
      let box = Rect(x: x, y: y, width: width, height: height)
      // A margin of a few pixels: data just touching the legend's border also counts.
      let near = box.inset(by: -3)
      let count = occupied.filter {
        $0.x >= Double(near.x) && $0.x < Double(near.maxX) && $0.y >= Double(near.y)
          && $0.y < Double(near.maxY)
      }.count
      if count < bestCount {
        best = box
        bestCount = count
      }
    }
    return best
  }

  /// Draws the legend, white and framed, in `box`.
  func draw(in box: Rect, on canvas: inout Bitmap) {
    guard !entries.isEmpty else { return }
    canvas.fill(box, with: .white)
    canvas.stroke(box, with: .lightGray)
    for (row, entry) in entries.enumerated() {
      let middle = box.y + Legend.padding + row * Legend.rowHeight + 4
      let swatchLeft = Double(box.x + Legend.padding)
      var mask = CoverageMask(clip: box)
      let centre = Point(x: swatchLeft + Double(Legend.swatchWidth) / 2, y: Double(middle) + 0.5)
      switch entry.swatch {
      case .line(let dashed):
        mask.addPolyline(
          [
            Point(x: swatchLeft, y: centre.y),
            Point(x: swatchLeft + Double(Legend.swatchWidth), y: centre.y),
          ],
          width: Style.lineWidth, dash: dashed ? Style.dash : nil)
      case .points:
        mask.addDisc(center: centre, radius: Style.pointRadius)
      case .bar:
        break
      }
      mask.paint(on: &canvas, color: entry.color)
      if case .bar(let hatched) = entry.swatch {
        canvas.fillBar(
          Rect(x: Int(swatchLeft) + 4, y: middle - 5, width: Legend.swatchWidth - 8, height: 11),
          with: entry.color, hatched: hatched)
      }
      canvas.draw(
        text: entry.label, at: box.x + Legend.padding + Legend.swatchWidth + Legend.swatchGap,
        middle, anchor: TextAnchor(.left, .center))
    }
  }
}
