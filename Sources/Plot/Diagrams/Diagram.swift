import Foundation

/// A drawing made of boxes, lines, arrows, text and brackets, laid out in pixels: the book's
/// explanatory figures (framing, im2col, the layer stack, the crossfade).
///
/// ```swift
/// var diagram = Diagram(width: 400, height: 120)
/// diagram.box(Rect(x: 20, y: 40, width: 80, height: 40), fill: .faintGray, label: "input")
/// diagram.arrow(from: Point(x: 100, y: 60), to: Point(x: 180, y: 60))
/// try diagram.write(to: "figures/00-example.png")
/// ```
/// Coordinates are the pixels of the diagram's own `width × height` canvas (`x` right, `y`
/// down, `(0.5, 0.5)` the centre of the top-left pixel); drawn into a frame of a larger
/// image, everything moves with the frame's top-left corner. Elements are painted in the
/// order they were added, so later ones lie on top.
public struct Diagram: Chart {
  /// The size the diagram was laid out for, in pixels.
  public let width: Int
  public let height: Int

  /// One thing to paint.
  enum Element {
    case box(Rect, fill: Color, stroke: Color?)
    case line([Point], color: Color, width: Double, dashed: Bool)
    case text(String, x: Int, y: Int, anchor: TextAnchor, color: Color, font: Font)
  }

  private(set) var elements: [Element] = []

  public init(width: Int, height: Int) {
    precondition(width > 0 && height > 0, "a diagram of \(width) x \(height) pixels")
    self.width = width
    self.height = height
  }

  /// A rectangle filled with `fill` and outlined one pixel wide just inside its edge, with an
  /// optional label centred in it.
  public mutating func box(
    _ rect: Rect, fill: Color, stroke: Color? = .black, label: String? = nil
  ) {
    elements.append(.box(rect, fill: fill, stroke: stroke))
    if let label {
      text(
        label, at: rect.x + rect.width / 2, rect.y + rect.height / 2,
        anchor: TextAnchor(.center, .center))
    }
  }

  /// A polyline through `points`, anti-aliased, solid or dashed.
  public mutating func line(
    _ points: [Point], color: Color = .black, width: Double = 1.5, dashed: Bool = false
  ) {
    elements.append(.line(points, color: color, width: width, dashed: dashed))
  }

  /// A straight line from `start` to `end` with an open head at `end`: two barbs
  /// `head` pixels long, 25° either side of the shaft, so the tip is exactly `end`.
  public mutating func arrow(
    from start: Point, to end: Point, color: Color = .black, width: Double = 1.5,
    head: Double = 9
  ) {
    line([start, end], color: color, width: width)
    for barb in Diagram.arrowBarbs(from: start, to: end, length: head) {
      line([end, barb], color: color, width: width)
    }
  }

  /// The free ends of an arrow's two barbs: `length` back from `end` along the shaft, turned
  /// 25° to either side.
  static func arrowBarbs(from start: Point, to end: Point, length: Double) -> [Point] {
    let dx = start.x - end.x
    let dy = start.y - end.y
    let norm = (dx * dx + dy * dy).squareRoot()
    guard norm > 0 else { return [] }
    let (ux, uy) = (dx / norm, dy / norm)
    let angle = 25 * Double.pi / 180
    return [angle, -angle].map { a in
      let (c, s) = (cos(a), sin(a))
      return Point(x: end.x + length * (c * ux - s * uy), y: end.y + length * (s * ux + c * uy))
    }
  }

  /// One line of text whose point `anchor` lands on `(x, y)`.
  public mutating func text(
    _ string: String, at x: Int, _ y: Int, anchor: TextAnchor = TextAnchor(.center, .center),
    color: Color = .black, font: Font = .regular
  ) {
    elements.append(.text(string, x: x, y: y, anchor: anchor, color: color, font: font))
  }

  /// A dimension line: a horizontal span from `x0` to `x1` at height `y` with short end
  /// ticks, and `label` centred above it (or below it when `labelBelow`).
  public mutating func bracket(
    from x0: Double, to x1: Double, at y: Double, label: String, color: Color = .black,
    labelBelow: Bool = false
  ) {
    let tick = 5.0
    line([Point(x: x0, y: y), Point(x: x1, y: y)], color: color, width: 1.5)
    line([Point(x: x0, y: y - tick), Point(x: x0, y: y + tick)], color: color, width: 1.5)
    line([Point(x: x1, y: y - tick), Point(x: x1, y: y + tick)], color: color, width: 1.5)
    let centre = Int(((x0 + x1) / 2).rounded())
    if labelBelow {
      text(label, at: centre, Int(y + tick) + 3, anchor: TextAnchor(.center, .top), color: color)
    } else {
      text(
        label, at: centre, Int(y - tick) - 3, anchor: TextAnchor(.center, .bottom), color: color)
    }
  }

  /// A horizontal ruler at height `y` from `x0` to `x1`: the line, a tick down at each of
  /// `ticks` with its label below, and `title` centred under the labels.
  public mutating func ruler(
    at y: Double, from x0: Double, to x1: Double, ticks: [(x: Double, label: String)],
    title: String = ""
  ) {
    line([Point(x: x0, y: y), Point(x: x1, y: y)], color: .black, width: 1)
    for tick in ticks {
      line([Point(x: tick.x, y: y), Point(x: tick.x, y: y + 5)], color: .black, width: 1)
      text(tick.label, at: Int(tick.x.rounded()), Int(y) + 8, anchor: TextAnchor(.center, .top))
    }
    if !title.isEmpty {
      text(
        title, at: Int(((x0 + x1) / 2).rounded()), Int(y) + 26, anchor: TextAnchor(.center, .top),
        color: .darkGray)
    }
  }

  /// Every text in the diagram, in the order it was added: what a reader can read off it.
  public var labels: [String] {
    elements.compactMap {
      if case .text(let string, _, _, _, _, _) = $0 { return string }
      return nil
    }
  }

  /// The four one-pixel edges just inside `rect`, as `Bitmap.stroke` draws them.
  static func edges(of rect: Rect) -> [Rect] {
    guard !rect.isEmpty else { return [] }
    return [
      Rect(x: rect.x, y: rect.y, width: rect.width, height: 1),
      Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1),
      Rect(x: rect.x, y: rect.y, width: 1, height: rect.height),
      Rect(x: rect.maxX - 1, y: rect.y, width: 1, height: rect.height),
    ]
  }

  /// Paints every element, shifted by the frame's top-left corner and clipped to the frame.
  public func draw(on canvas: inout Bitmap, in frame: Rect) {
    let clip = frame.intersection(canvas.bounds)
    let (ox, oy) = (frame.x, frame.y)
    for element in elements {
      switch element {
      case .box(let rect, let fill, let stroke):
        let placed = Rect(x: rect.x + ox, y: rect.y + oy, width: rect.width, height: rect.height)
        canvas.fill(placed.intersection(clip), with: fill)
        if let stroke {
          for edge in Diagram.edges(of: placed) {
            canvas.fill(edge.intersection(clip), with: stroke)
          }
        }
      case .line(let points, let color, let width, let dashed):
        var mask = CoverageMask(clip: clip)
        let shifted = points.map { Point(x: $0.x + Double(ox), y: $0.y + Double(oy)) }
        mask.addPolyline(shifted, width: width, dash: dashed ? Style.dash : nil)
        mask.paint(on: &canvas, color: color)
      case .text(let string, let x, let y, let anchor, let color, let font):
        canvas.draw(text: string, at: x + ox, y + oy, anchor: anchor, color: color, font: font)
      }
    }
  }

  /// The diagram alone on a white image of its own size.
  public func render() -> Bitmap {
    render(width: width, height: height)
  }

  /// Renders the diagram at its own size and writes it as an RGB PNG.
  /// - Throws: `PlotError` naming `path` and the cause.
  public func write(to path: String) throws {
    try render().writePNG(to: path)
  }
}
