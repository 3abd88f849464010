/// Curves, points and reference lines over numeric x and y axes, with a legend.
///
/// ```swift
/// var plot = LinePlot(title: "Fit", xLabel: "iteration", yLabel: "loss")
/// plot.yScale = .log
/// plot.line(x: steps, y: losses, label: "MSE")
/// plot.horizontalLine(at: 0.01, label: "noise floor")
/// try plot.write(to: "figures/06-loss.png", width: 720, height: 420)
/// ```
/// Series without a colour take the next colour of `Color.palette`. Non-finite points (and
/// on a log axis points that are not positive) break a line rather than end the plot.
public struct LinePlot: Chart {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var xScale: AxisScale = .linear
  public var yScale: AxisScale = .linear
  /// The x values shown; nil for the data's extent rounded out to whole ticks.
  public var xRange: ClosedRange<Double>? = nil
  /// The y values shown; nil for the data's extent rounded out to whole ticks.
  public var yRange: ClosedRange<Double>? = nil
  /// A key of the labelled series, in the corner of the plot the data leaves most empty.
  public var showsLegend: Bool = true
  /// Faint lines across the plot at the major ticks.
  public var showsGrid: Bool = true

  enum Element {
    case line(x: [Double], y: [Double], dashed: Bool)
    case points(x: [Double], y: [Double])
    case horizontal(Double)
    case vertical(Double)
    case mark(x: Double, y: Double)
  }

  var elements: [(element: Element, label: String?, color: Color)] = []
  private var nextColor = 0

  public init(title: String = "", xLabel: String = "", yLabel: String = "") {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// A curve through the points `(x[i], y[i])`, two pixels wide, solid or dashed.
  public mutating func line<T: BinaryFloatingPoint>(
    x: [T], y: [T], label: String? = nil, color: Color? = nil, dashed: Bool = false
  ) {
    precondition(x.count == y.count, "line: \(x.count) x values, \(y.count) y values")
    add(.line(x: x.map { Double($0) }, y: y.map { Double($0) }, dashed: dashed), label, color)
  }

  /// Small filled markers at the points `(x[i], y[i])`, unconnected.
  public mutating func points<T: BinaryFloatingPoint>(
    x: [T], y: [T], label: String? = nil, color: Color? = nil
  ) {
    precondition(x.count == y.count, "points: \(x.count) x values, \(y.count) y values")
    add(.points(x: x.map { Double($0) }, y: y.map { Double($0) }), label, color)
  }

  /// A dashed line across the whole plot at height `y` (a reference level).
  public mutating func horizontalLine(at y: Double, label: String? = nil, color: Color? = nil) {
    add(.horizontal(y), label, color)
  }

  /// A dashed line from bottom to top at `x` (a reference position).
  public mutating func verticalLine(at x: Double, label: String? = nil, color: Color? = nil) {
    add(.vertical(x), label, color)
  }

  /// One emphasised point, such as a curve's best iteration: a ring around it, and `label`
  /// written beside it. Black unless `color` is given; takes no palette colour.
  public mutating func mark<T: BinaryFloatingPoint>(
    x: T, y: T, label: String? = nil, color: Color? = nil
  ) {
    elements.append((.mark(x: Double(x), y: Double(y)), label, color ?? .black))
  }

  private mutating func add(_ element: Element, _ label: String?, _ color: Color?) {
    let resolved = color ?? Color.palette(nextColor)
    if color == nil { nextColor += 1 }
    elements.append((element, label, resolved))
  }

  /// The ranges the axes show: the given ones, or the data's extent rounded out to ticks.
  func resolvedRanges() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
    var xs: [Double] = []
    var ys: [Double] = []
    for (element, _, _) in elements {
      switch element {
      case .line(let x, let y, _), .points(let x, let y):
        // Only points that will be drawn decide the range.
        for (a, b) in zip(x, y) where shows(a, b) {
          xs.append(a)
          ys.append(b)
        }
      case .horizontal(let y): ys.append(y)
      case .vertical(let x): xs.append(x)
      case .mark(let x, let y):
        xs.append(x)
        ys.append(y)
      }
    }
    let fallback: ClosedRange<Double> = 1...10
    let x = xRange ?? xScale.niceRange(containing: xs) ?? (xScale == .log ? fallback : 0...1)
    let y = yRange ?? yScale.niceRange(containing: ys) ?? (yScale == .log ? fallback : 0...1)
    return (x, y)
  }

  /// Whether `(x, y)` has a position on both axes.
  private func shows(_ x: Double, _ y: Double) -> Bool {
    x.isFinite && y.isFinite && (xScale == .linear || x > 0) && (yScale == .linear || y > 0)
  }

  public func draw(on canvas: inout Bitmap, in frame: Rect) {
    let (xRange, yRange) = resolvedRanges()
    var axes = Axes(title: title)
    axes.x = AxisSpec(scale: xScale, range: xRange, label: xLabel)
    axes.y = AxisSpec(scale: yScale, range: yRange, label: yLabel)
    axes.showsGrid = showsGrid
    let layout = axes.layout(in: frame)
    let plot = layout.plot
    let xMap = PixelMap.horizontal(axes.x, plot)
    let yMap = PixelMap.vertical(axes.y, plot)
    axes.drawGrid(layout, on: &canvas)

    var occupied: [Point] = []
    var marks: [(Point, String?, Color)] = []
    for (element, label, color) in elements {
      var mask = CoverageMask(clip: plot)
      switch element {
      case .line(let x, let y, let dashed):
        for run in runs(x, y, xMap, yMap) {
          mask.addPolyline(run, width: Style.lineWidth, dash: dashed ? Style.dash : nil)
          occupied += LinePlot.samples(along: run)
        }
      case .points(let x, let y):
        for (a, b) in zip(x, y) where shows(a, b) {
          let point = Point(x: xMap.position(a), y: yMap.position(b))
          mask.addDisc(center: point, radius: Style.pointRadius)
          occupied.append(point)
        }
      case .horizontal(let value):
        let row = yMap.position(value)
        let run = [Point(x: Double(plot.x), y: row), Point(x: Double(plot.maxX), y: row)]
        mask.addPolyline(run, width: Style.referenceWidth, dash: Style.dash)
        occupied += LinePlot.samples(along: run)
      case .vertical(let value):
        let column = xMap.position(value)
        let run = [Point(x: column, y: Double(plot.y)), Point(x: column, y: Double(plot.maxY))]
        mask.addPolyline(run, width: Style.referenceWidth, dash: Style.dash)
        occupied += LinePlot.samples(along: run)
      case .mark(let x, let y):
        guard shows(x, y) else { continue }
        let point = Point(x: xMap.position(x), y: yMap.position(y))
        marks.append((point, label, color))
        occupied.append(point)
      }
      mask.paint(on: &canvas, color: color)
    }
    var labelBoxes: [Rect] = []
    for (point, label, color) in marks {
      if let box = drawMark(
        at: point, label: label, color: color, in: plot, avoiding: occupied,
        besides: labelBoxes, on: &canvas)
      {
        labelBoxes.append(box)
      }
    }
    axes.drawFrame(layout, in: frame, on: &canvas)
    if showsLegend {
      let legend = Legend(entries: legendEntries())
      if !legend.entries.isEmpty {
        legend.draw(in: legend.placement(in: plot, avoiding: occupied), on: &canvas)
      }
    }
  }

  /// The labelled series in the order they were added (marks are labelled in place).
  func legendEntries() -> [Legend.Entry] {
    elements.compactMap { element, label, color in
      guard let label, !label.isEmpty else { return nil }
      switch element {
      case .line(_, _, let dashed):
        return Legend.Entry(label: label, color: color, swatch: .line(dashed: dashed))
      case .points: return Legend.Entry(label: label, color: color, swatch: .points)
      case .horizontal, .vertical:
        return Legend.Entry(label: label, color: color, swatch: .line(dashed: true))
      case .mark: return nil
      }
    }
  }

  /// The pixel polylines of a curve: maximal runs of consecutive points both axes can show.
  private func runs(_ x: [Double], _ y: [Double], _ xMap: PixelMap, _ yMap: PixelMap)
    -> [[Point]]
  {
    var runs: [[Point]] = []
    var current: [Point] = []
    for (a, b) in zip(x, y) {
      if shows(a, b) {
        current.append(Point(x: xMap.position(a), y: yMap.position(b)))
      } else if !current.isEmpty {
        runs.append(current)
        current = []
      }
    }
    if !current.isEmpty { runs.append(current) }
    return runs
  }

  /// Points every few pixels along a polyline: what the legend should not cover.
  static func samples(along run: [Point]) -> [Point] {
    var result = run
    for (a, b) in zip(run, run.dropFirst()) {
      let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
      guard length.isFinite, length > 4 else { continue }
      let steps = min(Int(length / 4), 2000)
      for k in 1..<max(steps, 1) {
        let t = Double(k) / Double(steps)
        result.append(Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
      }
    }
    return result
  }

  /// Draws a mark and its label, placed at the corner (near or a line further out) that
  /// covers the fewest curve points and no label drawn before it.
  /// - Returns: the label's box, nil when there is no label.
  private func drawMark(
    at point: Point, label: String?, color: Color, in plot: Rect, avoiding occupied: [Point],
    besides labels: [Rect], on canvas: inout Bitmap
  ) -> Rect? {
    var mask = CoverageMask(clip: plot)
    mask.addRing(center: point, radius: Style.markRadius, width: 2)
    mask.addDisc(center: point, radius: 2)
    mask.paint(on: &canvas, color: color)
    guard let label, !label.isEmpty, point.isFinite else { return nil }
    let offset = Int(Style.markRadius) + 2
    let x = Int(point.x)
    let y = Int(point.y)
    var best: (anchor: TextAnchor, x: Int, y: Int, box: Rect)?
    var bestCount = Int.max
    for shift in [0, 14] {
      for (right, up) in [(true, true), (true, false), (false, true), (false, false)] {
        let anchor = TextAnchor(right ? .left : .right, up ? .bottom : .top)
        let ax = right ? x + offset : x - offset
        let ay = up ? y - offset + 3 - shift : y + offset - 3 + shift
        let box = Bitmap.textBox(label, at: ax, ay, anchor: anchor)
        guard box.intersection(plot.inset(by: 2)) == box else { continue }
        // Covering another label makes both unreadable; covering a curve only dims it.
        let covered = labels.contains { $0.inset(by: -2).intersects(box) } ? 10_000 : 0
        let count =
          covered + shift
          + occupied.filter {
            $0.x >= Double(box.x - 2) && $0.x < Double(box.maxX + 2)
              && $0.y >= Double(box.y - 2) && $0.y < Double(box.maxY + 2)
          }.count
        if count < bestCount {
          best = (anchor, ax, ay, box)
          bestCount = count
        }
      }
    }
    let fallback = TextAnchor(.left, .bottom)
    let chosen =
      best
      ?? (
        fallback, x + offset, y - offset + 3,
        Bitmap.textBox(label, at: x + offset, y - offset + 3, anchor: fallback)
      )
    canvas.drawHaloText(label, at: chosen.x, chosen.y, anchor: chosen.anchor, color: color)
    return chosen.box
  }
}
