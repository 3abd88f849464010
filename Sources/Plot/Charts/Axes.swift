import Foundation

/// One axis of a chart: how values map to pixels, where ticks go and what they say.
struct AxisSpec {
  var scale: AxisScale = .linear
  var range: ClosedRange<Double> = 0...1
  var label: String = ""
  /// Named positions instead of numeric ticks (the groups of a bar chart).
  var categories: [(position: Double, name: String)]? = nil
}

/// A tick: where it is, in data units, and its label (nil for an unlabelled minor tick).
struct Tick {
  var value: Double
  var label: String?
}

/// Maps data values along one axis to continuous pixel coordinates.
///
/// The first value of the range lands on the centre of the plot area's first pixel and the
/// last on the centre of its last, so ticks at the ends sit on the frame.
struct PixelMap {
  var scale: AxisScale
  var range: ClosedRange<Double>
  /// Pixel coordinate (of a centre) for the start of the range, and the signed distance
  /// to the end of the range.
  var start: Double
  var length: Double

  /// The horizontal map over `plot`: left to right.
  static func horizontal(_ axis: AxisSpec, _ plot: Rect) -> PixelMap {
    PixelMap(
      scale: axis.scale, range: axis.range, start: Double(plot.x) + 0.5,
      length: Double(plot.width - 1))
  }

  /// The vertical map over `plot`: bottom to top.
  static func vertical(_ axis: AxisSpec, _ plot: Rect) -> PixelMap {
    PixelMap(
      scale: axis.scale, range: axis.range, start: Double(plot.maxY) - 0.5,
      length: -Double(plot.height - 1))
  }

  /// The continuous pixel coordinate of `value`; NaN where the scale cannot show it.
  func position(_ value: Double) -> Double {
    start + scale.fraction(of: value, in: range) * length
  }

  /// The pixel row or column containing `value`, if it can be shown.
  func pixel(_ value: Double) -> Int? {
    let p = position(value)
    guard p.isFinite, abs(p) < 1e9 else { return nil }
    return Int(p.rounded(.down))
  }
}

/// The frame of a chart with axes: titles, tick labels, ticks, grid lines and the box
/// around the plot area. Charts lay it out first, then draw their data inside `plot`.
struct Axes {
  var title = ""
  var x = AxisSpec()
  var y = AxisSpec()
  var showsGrid = true
  /// False for a bare image: no ticks, tick labels or axis titles.
  var showsTicks = true
  /// Space kept free to the right of the plot area (a colour bar), in pixels.
  var rightReserve = 0

  /// The plot area and ticks for a chart drawn in `frame`.
  struct Layout {
    var plot: Rect
    var xTicks: [Tick]
    var yTicks: [Tick]
  }

  /// Where the title's text sits above the plot area, in pixels from `frame.y`.
  var titleHeight: Int {
    title.isEmpty ? 0 : Style.textHeight(Style.titleFont, scale: Style.titleScale) + Style.titleGap
  }

  func layout(in frame: Rect) -> Layout {
    let text = Style.textHeight()
    let inner = frame.inset(by: Style.padding)
    // Rows first: they do not depend on the widths of any label.
    var top = titleHeight + (showsTicks ? text / 2 : 0)
    var bottom = 0
    if showsTicks {
      bottom = Style.tickLength + Style.tickLabelGap + text
      if !x.label.isEmpty { bottom += Style.titleGap + text }
    }
    top = max(top, 1)
    let plotHeight = max(1, inner.height - top - bottom)
    let yTicks = showsTicks ? Axes.ticks(for: y, length: plotHeight, vertical: true) : []
    var left = 1
    if showsTicks {
      let widest = yTicks.compactMap { $0.label }.map { Style.labelFont.width(of: $0) }.max() ?? 0
      left = Style.tickLength + Style.tickLabelGap + widest
      if !y.label.isEmpty { left += Style.titleGap + text }
    }
    var right = 1 + rightReserve
    var plot = Rect(x: inner.x + left, y: inner.y + top, width: 1, height: plotHeight)
    var xTicks: [Tick] = []
    // Columns: the first and last x tick labels may stick out sideways; if one would leave
    // the frame, narrow the plot area by that much and place the ticks again.
    for _ in 0..<3 {
      plot.x = inner.x + left
      plot.width = max(1, inner.width - left - right)
      xTicks = showsTicks ? Axes.ticks(for: x, length: plot.width, vertical: false) : []
      let map = PixelMap.horizontal(x, plot)
      var overflowLeft = 0
      var overflowRight = 0
      for tick in xTicks {
        guard let label = tick.label, let column = map.pixel(tick.value) else { continue }
        let half = Style.labelFont.width(of: label) / 2
        overflowLeft = max(overflowLeft, inner.x - (column - half))
        overflowRight = max(overflowRight, column + half + 1 - (inner.maxX - rightReserve))
      }
      if overflowLeft <= 0 && overflowRight <= 0 { break }
      left += max(0, overflowLeft)
      right += max(0, overflowRight)
    }
    return Layout(plot: plot, xTicks: xTicks, yTicks: yTicks)
  }

  /// Ticks for `axis` along `length` pixels: as many as fit without labels crowding.
  static func ticks(for axis: AxisSpec, length: Int, vertical: Bool) -> [Tick] {
    if let categories = axis.categories {
      return categories.map { Tick(value: $0.position, label: $0.name) }
    }
    // About one tick per 32 rows or 64 columns, but no more than a reader can take in.
    var count = vertical ? min(max(length / 32, 2), 8) : min(max(length / 64, 2), 10)
    while true {
      let values = axis.scale.ticks(in: axis.range, count: count)
      let labels = Axes.labels(for: values, scale: axis.scale)
      let major = zip(values, labels).map { Tick(value: $0, label: $1) }
      if count <= 2 || vertical || !crowded(major, axis: axis, length: length) {
        guard axis.scale == .log else { return major }
        let minor = Ticks.logarithmicMinor(in: axis.range).filter { !values.contains($0) }
        return major + minor.map { Tick(value: $0, label: nil) }
      }
      count -= 1
    }
  }

  /// Labels for tick values: decimals from the spacing of linear ticks, plain or scientific
  /// for log ticks.
  static func labels(for values: [Double], scale: AxisScale) -> [String] {
    // A log axis too narrow for 1-2-5 ticks falls back to linear ones, labelled as such.
    let oneTwoFive = { (value: Double) -> Bool in
      guard value > 0, value.isFinite else { return false }
      let mantissa = value / Ticks.decade(Int((log10(value) + 1e-9).rounded(.down)))
      return [1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 }
    }
    switch scale {
    case .log where values.allSatisfy(oneTwoFive):
      return values.map { Ticks.logLabel($0) }
    case .log, .linear:
      let step = values.count > 1 ? values[1] - values[0] : max(abs(values.first ?? 1), 1e-300)
      let largest = values.map { abs($0) }.max() ?? 0
      return values.map { Ticks.label($0, step: step, largest: largest) }
    }
  }

  /// Whether neighbouring horizontal tick labels would come closer than `labelSpacing`.
  static func crowded(_ ticks: [Tick], axis: AxisSpec, length: Int) -> Bool {
    let map = PixelMap(scale: axis.scale, range: axis.range, start: 0, length: Double(length))
    for (a, b) in zip(ticks, ticks.dropFirst()) {
      let widths =
        Style.labelFont.width(of: a.label ?? "") + Style.labelFont.width(of: b.label ?? "")
      if abs(map.position(b.value) - map.position(a.value))
        < Double(widths / 2 + Style.labelSpacing)
      {
        return true
      }
    }
    return false
  }

  /// Grid lines at the major ticks, under the data.
  func drawGrid(_ layout: Layout, on canvas: inout Bitmap) {
    guard showsGrid, showsTicks else { return }
    let plot = layout.plot
    let xMap = PixelMap.horizontal(x, plot)
    let yMap = PixelMap.vertical(y, plot)
    for tick in layout.xTicks where tick.label != nil && x.categories == nil {
      if let column = xMap.pixel(tick.value), column > plot.x, column < plot.maxX - 1 {
        canvas.fill(Rect(x: column, y: plot.y, width: 1, height: plot.height), with: .faintGray)
      }
    }
    for tick in layout.yTicks where tick.label != nil {
      if let row = yMap.pixel(tick.value), row > plot.y, row < plot.maxY - 1 {
        canvas.fill(Rect(x: plot.x, y: row, width: plot.width, height: 1), with: .faintGray)
      }
    }
  }

  /// The box around the plot area, the ticks, their labels and the titles, over the data.
  func drawFrame(_ layout: Layout, in frame: Rect, on canvas: inout Bitmap) {
    let plot = layout.plot
    let inner = frame.inset(by: Style.padding)
    canvas.stroke(plot, with: .black)
    if !title.isEmpty {
      // Centred over the plot area when it fits there, else over the whole frame.
      let width = Style.titleFont.width(of: title, scale: Style.titleScale)
      let centre = width <= plot.width ? plot.x + plot.width / 2 : inner.x + inner.width / 2
      canvas.draw(
        text: title, at: centre, inner.y, anchor: TextAnchor(.center, .top),
        font: Style.titleFont, scale: Style.titleScale)
    }
    guard showsTicks else { return }
    let xMap = PixelMap.horizontal(x, plot)
    let yMap = PixelMap.vertical(y, plot)
    let tickLabelTop = plot.maxY + Style.tickLength + Style.tickLabelGap
    for tick in layout.xTicks {
      guard let column = xMap.pixel(tick.value), column >= plot.x, column < plot.maxX else {
        continue
      }
      let length = tick.label == nil ? Style.minorTickLength : Style.tickLength
      canvas.fill(Rect(x: column, y: plot.maxY, width: 1, height: length), with: .black)
      if let label = tick.label {
        canvas.draw(
          text: label, at: column, tickLabelTop, anchor: TextAnchor(.center, .top),
          color: .black)
      }
    }
    var widest = 0
    for tick in layout.yTicks {
      guard let row = yMap.pixel(tick.value), row >= plot.y, row < plot.maxY else { continue }
      let length = tick.label == nil ? Style.minorTickLength : Style.tickLength
      canvas.fill(Rect(x: plot.x - length, y: row, width: length, height: 1), with: .black)
      if let label = tick.label {
        canvas.draw(
          text: label, at: plot.x - Style.tickLength - Style.tickLabelGap, row,
          anchor: TextAnchor(.right, .center), color: .black)
        widest = max(widest, Style.labelFont.width(of: label))
      }
    }
    let text = Style.textHeight()
    if !x.label.isEmpty {
      canvas.draw(
        text: x.label, at: plot.x + plot.width / 2, tickLabelTop + text + Style.titleGap,
        anchor: TextAnchor(.center, .top))
    }
    if !y.label.isEmpty {
      let column = plot.x - Style.tickLength - Style.tickLabelGap - widest - Style.titleGap - text
      canvas.draw(
        text: y.label, at: max(inner.x, column), plot.y + plot.height / 2,
        anchor: TextAnchor(.center, .top), direction: .upward)
    }
  }
}
