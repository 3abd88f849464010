/// A matrix of values shown as coloured cells, with axes and a colour bar: a spectrogram.
///
/// `values` is row-major `[rows × columns]`; row 0 is drawn at the BOTTOM, so the low
/// frequencies of a spectrogram sit low, as in every textbook. Cells are stretched to the
/// plot area by nearest-neighbour sampling (no smoothing: what you see is the data).
public struct HeatMap: Chart {
  /// Row-major `[rows × columns]`.
  public var values: [Float]
  public let rows: Int
  public let columns: Int
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var colorbarLabel: String
  public var colormap: Colormap
  /// Data coordinates of the columns' extent: column c covers
  /// `lower + c × span / columns ... lower + (c + 1) × span / columns`.
  public var xRange: ClosedRange<Double>
  /// Data coordinates of the rows' extent, row 0 at the lower bound.
  public var yRange: ClosedRange<Double>
  /// Values mapped to the colormap's ends; nil for the smallest...largest finite value.
  /// Values outside show the end colours; NaN shows the first colour.
  public var valueRange: ClosedRange<Float>? = nil
  /// A colour bar to the right, with ticks and `colorbarLabel`.
  public var showsColorbar: Bool = true
  /// Ticks, tick labels and axis titles; false for compact panels in a grid.
  public var showsAxes: Bool = true

  public init(
    values: [Float], rows: Int, columns: Int, title: String = "", xLabel: String = "",
    yLabel: String = "", colorbarLabel: String = "", colormap: Colormap = .magma
  ) {
    precondition(
      rows > 0 && columns > 0 && values.count == rows * columns,
      "heat map of \(rows) x \(columns) needs \(rows * columns) values, got \(values.count)")
    self.values = values
    self.rows = rows
    self.columns = columns
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.colorbarLabel = colorbarLabel
    self.colormap = colormap
    self.xRange = 0...Double(columns)
    self.yRange = 0...Double(rows)
  }

  /// The values mapped to the colormap's ends: `valueRange`, or the extent of the finite
  /// values (0...1 if there are none).
  public var resolvedValueRange: ClosedRange<Double> {
    if let valueRange { return Double(valueRange.lowerBound)...Double(valueRange.upperBound) }
    var low = Float.infinity
    var high = -Float.infinity
    for value in values where value.isFinite {
      low = min(low, value)
      high = max(high, value)
    }
    guard low <= high else { return 0...1 }
    return Double(low)...Double(high)
  }

  public func draw(on canvas: inout Bitmap, in frame: Rect) {
    let valueRange = resolvedValueRange
    var axes = Axes(title: title)
    axes.x = AxisSpec(range: xRange, label: xLabel)
    axes.y = AxisSpec(range: yRange, label: yLabel)
    axes.showsGrid = false
    axes.showsTicks = showsAxes
    var colorbar = Colorbar(colormap: colormap, range: valueRange, label: colorbarLabel)
    if showsColorbar {
      // The bar is as tall as the plot area, which does not depend on the widths: lay out
      // once to learn the height, then reserve the bar's width.
      colorbar.height = axes.layout(in: frame).plot.height
      axes.rightReserve = colorbar.width
    }
    let layout = axes.layout(in: frame)
    drawCells(in: layout.plot, range: valueRange, on: &canvas)
    axes.drawFrame(layout, in: frame, on: &canvas)
    if showsColorbar {
      colorbar.draw(beside: layout.plot, on: &canvas)
    }
  }

  /// Fills `plot` with the cells, each pixel showing the cell under its centre.
  func drawCells(in plot: Rect, range: ClosedRange<Double>, on canvas: inout Bitmap) {
    let table = colormap.table
    let span = range.upperBound - range.lowerBound
    let clipped = plot.intersection(canvas.bounds)
    guard !clipped.isEmpty else { return }
    // Which cell column each pixel column shows, and which cell row each pixel row shows
    // (pixel rows run downwards, cell rows upwards).
    let columnOf = (clipped.x..<clipped.maxX).map { x in
      min(columns - 1, (2 * (x - plot.x) + 1) * columns / (2 * plot.width))
    }
    for y in clipped.y..<clipped.maxY {
      let fromBottom = plot.maxY - 1 - y
      let row = min(rows - 1, (2 * fromBottom + 1) * rows / (2 * plot.height))
      for (i, column) in columnOf.enumerated() {
        let value = Double(values[row * columns + column])
        let t = span > 0 ? (value - range.lowerBound) / span : (value.isNaN ? value : 0.5)
        canvas[clipped.x + i, y] = table[Colormap.index(t, count: table.count)]
      }
    }
  }
}

/// A vertical bar of a colormap's colours with value ticks and a title, beside a plot.
struct Colorbar {
  var colormap: Colormap
  var range: ClosedRange<Double>
  var label: String
  /// The height of the bar, which is also the plot area's.
  var height = 200

  static let gap = 12
  static let barWidth = 14

  /// Ticks along the bar, as many as fit its height.
  var ticks: [Tick] {
    Axes.ticks(for: AxisSpec(range: range), length: height, vertical: true)
  }

  /// Everything right of the plot area: gap, bar, ticks, labels and the rotated title.
  var width: Int {
    let widest = ticks.compactMap { $0.label }.map { Style.labelFont.width(of: $0) }.max() ?? 0
    var width = Colorbar.gap + Colorbar.barWidth + Style.tickLength + Style.tickLabelGap + widest
    if !label.isEmpty { width += Style.titleGap + Style.textHeight() }
    return width
  }

  func draw(beside plot: Rect, on canvas: inout Bitmap) {
    let bar = Rect(
      x: plot.maxX + Colorbar.gap, y: plot.y, width: Colorbar.barWidth, height: plot.height)
    let table = colormap.table
    for y in bar.y..<bar.maxY {
      // The top row shows the largest value, the bottom row the smallest.
      let t = bar.height > 1 ? Double(bar.maxY - 1 - y) / Double(bar.height - 1) : 0.5
      canvas.fill(
        Rect(x: bar.x, y: y, width: bar.width, height: 1),
        with: table[Colormap.index(t, count: table.count)])
    }
    canvas.stroke(bar, with: .black)
    let map = PixelMap.vertical(AxisSpec(range: range), bar)
    var widest = 0
    for tick in ticks {
      guard let row = map.pixel(tick.value), row >= bar.y, row < bar.maxY, let text = tick.label
      else { continue }
      canvas.fill(Rect(x: bar.maxX, y: row, width: Style.tickLength, height: 1), with: .black)
      canvas.draw(
        text: text, at: bar.maxX + Style.tickLength + Style.tickLabelGap, row,
        anchor: TextAnchor(.left, .center))
      widest = max(widest, Style.labelFont.width(of: text))
    }
    if !label.isEmpty {
      canvas.draw(
        text: label, at: bar.maxX + Style.tickLength + Style.tickLabelGap + widest + Style.titleGap,
        bar.y + bar.height / 2, anchor: TextAnchor(.center, .top), direction: .upward)
    }
  }
}
