/// Grouped bars: one group per category along x, one bar per series within each group.
///
/// ```swift
/// var chart = BarChart(title: "SNR gain", groups: ["white", "babble", "street"], yLabel: "dB")
/// chart.series("spectral subtraction", values: [3.1, 1.2, -0.4])
/// chart.series("prior", values: [5.0, 2.2, 1.1], items: [[4, 6], [1, 3.4], [0.2, 2]])
/// ```
/// Bars grow from zero: negative values hang below a zero line. Non-finite values leave
/// a gap. A bar that is a mean can carry the values it averages, drawn as dots across it, so
/// the spread shows beside the mean.
public struct BarChart: Chart {
  public var title: String
  public var groups: [String]
  public var yLabel: String
  /// A key of the series in the corner the bars leave most empty.
  public var showsLegend: Bool = true
  /// The values shown; nil for the bars' and dots' extent (with zero) rounded out to whole
  /// ticks.
  public var yRange: ClosedRange<Double>? = nil

  struct Series {
    var label: String
    var values: [Double]
    /// For each group, the values behind its bar (empty when there are none).
    var items: [[Double]]
    var color: Color
    var hatched: Bool
  }

  var seriesList: [Series] = []

  public init(title: String = "", groups: [String], yLabel: String = "") {
    self.title = title
    self.groups = groups
    self.yLabel = yLabel
  }

  /// One bar per group, in the order of `groups`, coloured `color` or the next palette colour.
  /// - Parameters:
  ///   - items: for each group, the values the bar summarises, drawn as dark dots spread
  ///     evenly across the bar; nil for a bar alone.
  ///   - hatched: white diagonal stripes over the colour, for a bar that is not a method (a
  ///     control) and must not be read as one.
  public mutating func series(
    _ label: String, values: [Double], items: [[Double]]? = nil, color: Color? = nil,
    hatched: Bool = false
  ) {
    precondition(
      values.count == groups.count,
      "series \(label): \(values.count) values for \(groups.count) groups")
    let items = items ?? Array(repeating: [], count: groups.count)
    precondition(
      items.count == groups.count,
      "series \(label): items for \(items.count) groups, not \(groups.count)")
    seriesList.append(
      Series(
        label: label, values: values, items: items,
        color: color ?? Color.palette(seriesList.count), hatched: hatched))
  }

  /// The y values shown: `yRange`, or zero and every finite value and dot, rounded out to
  /// ticks, with no margin below zero when nothing is negative (bars stand on the frame).
  func resolvedYRange() -> ClosedRange<Double> {
    if let yRange { return yRange }
    let all = seriesList.flatMap { $0.values + $0.items.joined() }.filter { $0.isFinite }
    guard let nice = AxisScale.linear.niceRange(containing: all + [0]) else { return 0...1 }
    let low = (all.min() ?? 0) >= 0 ? 0 : nice.lowerBound
    let high = (all.max() ?? 0) <= 0 ? 0 : nice.upperBound
    return low < high ? low...high : nice
  }

  /// Whether pixel (x, y) of a hatched bar is on a stripe: 2 pixels of every 6 along the
  /// diagonal, rising to the right.
  static func isOnStripe(x: Int, y: Int) -> Bool {
    ((x + y) % 6 + 6) % 6 < 2
  }

  /// The horizontal centre of dot k of n on a bar spanning [left, left + width): the dots
  /// divide the bar into n + 1 equal parts.
  static func dotCentre(_ k: Int, of n: Int, left: Double, width: Double) -> Double {
    left + width * Double(k + 1) / Double(n + 1)
  }

  /// Group i is centred at x = i + 0.5; its bars share the middle 80 % of the unit.
  public func draw(on canvas: inout Bitmap, in frame: Rect) {
    var axes = Axes(title: title)
    axes.x = AxisSpec(
      range: 0...Double(max(groups.count, 1)),
      categories: groups.enumerated().map { (Double($0.offset) + 0.5, $0.element) })
    axes.y = AxisSpec(range: resolvedYRange(), label: yLabel)
    let layout = axes.layout(in: frame)
    let plot = layout.plot
    axes.drawGrid(layout, on: &canvas)
    let yMap = PixelMap.vertical(axes.y, plot)
    let zero = min(max(yMap.position(0), Double(plot.y)), Double(plot.maxY))
    // Edges in continuous x pixels: group g spans [plot.x + g * unit, plot.x + (g + 1) * unit).
    let unit = Double(plot.width) / Double(max(groups.count, 1))
    let barWidth = 0.8 * unit / Double(max(seriesList.count, 1))
    var occupied: [Point] = []
    var dots = CoverageMask(clip: plot)
    var halos = CoverageMask(clip: plot)
    for (s, series) in seriesList.enumerated() {
      for (g, value) in series.values.enumerated() {
        let left = Double(plot.x) + Double(g) * unit + 0.1 * unit + Double(s) * barWidth
        let shown = series.items[g].filter(\.isFinite)
        for (k, item) in shown.enumerated() {
          let centre = Point(
            x: Self.dotCentre(k, of: shown.count, left: left, width: barWidth),
            y: yMap.position(item))
          dots.addDisc(center: centre, radius: 2.5)
          halos.addDisc(center: centre, radius: 3.5)
          occupied.append(centre)
        }
        guard value.isFinite else { continue }
        let end = min(max(yMap.position(value), Double(plot.y)), Double(plot.maxY))
        // Whole pixels, one pixel of white between neighbouring bars.
        let x0 = Int(left.rounded())
        let x1 = max(x0 + 1, Int((left + barWidth).rounded()) - 1)
        let y0 = Int(min(zero, end).rounded())
        let y1 = max(y0 + 1, Int(max(zero, end).rounded()))
        let bar = Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0).intersection(plot)
        canvas.fillBar(bar, with: series.color, hatched: series.hatched)
        for x in stride(from: bar.x, to: bar.maxX, by: 3) {
          for y in stride(from: bar.y, to: bar.maxY, by: 3) {
            occupied.append(Point(x: Double(x), y: Double(y)))
          }
        }
      }
    }
    if yMap.position(0) > Double(plot.y), yMap.position(0) < Double(plot.maxY - 1) {
      canvas.fill(Rect(x: plot.x, y: Int(zero), width: plot.width, height: 1), with: .black)
    }
    halos.paint(on: &canvas, color: .white)
    dots.paint(on: &canvas, color: Color(gray: 24))
    axes.drawFrame(layout, in: frame, on: &canvas)
    if showsLegend && !seriesList.isEmpty {
      let legend = Legend(
        entries: seriesList.map {
          Legend.Entry(label: $0.label, color: $0.color, swatch: .bar(hatched: $0.hatched))
        })
      legend.draw(in: legend.placement(in: plot, avoiding: occupied), on: &canvas)
    }
  }
}

extension Bitmap {
  /// Fills `rect` with `color`, with white stripes over it when `hatched`.
  mutating func fillBar(_ rect: Rect, with color: Color, hatched: Bool) {
    fill(rect, with: color)
    guard hatched else { return }
    let clipped = rect.intersection(bounds)
    for y in clipped.y..<clipped.maxY {
      for x in clipped.x..<clipped.maxX where BarChart.isOnStripe(x: x, y: y) {
        self[x, y] = .white
      }
    }
  }
}
