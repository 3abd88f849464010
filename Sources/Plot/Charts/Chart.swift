/// Anything that draws itself into a rectangle of a bitmap: a line plot, a heat map, a bar
/// chart, or a grid of them.
public protocol Chart {
  /// Draws the chart, titles and labels included, inside `frame` of `canvas` (which it may
  /// assume is already cleared to the background colour).
  func draw(on canvas: inout Bitmap, in frame: Rect)
}

extension Chart {
  /// The chart drawn alone on a white image of `width × height` pixels.
  public func render(width: Int, height: Int) -> Bitmap {
    var canvas = Bitmap(width: width, height: height, fill: .white)
    draw(on: &canvas, in: canvas.bounds)
    return canvas
  }

  /// Renders the chart and writes it as an RGB PNG (temporary file, then renamed).
  /// - Throws: `PlotError` naming `path` and the cause.
  public func write(to path: String, width: Int, height: Int) throws {
    try render(width: width, height: height).writePNG(to: path)
  }
}

/// Sizes shared by every chart, in pixels at 100 %.
enum Style {
  /// Space left free around a chart's frame.
  static let padding = 8
  /// Length of a major tick mark outside the plot area; minor ticks are shorter.
  static let tickLength = 5
  static let minorTickLength = 3
  /// From a tick mark's end to its label.
  static let tickLabelGap = 3
  /// Between tick labels and the axis title, and below a chart title.
  static let titleGap = 7
  /// The smallest free space between two neighbouring tick labels.
  static let labelSpacing = 14
  /// Width of data lines, of reference lines, and the dash pattern of both.
  static let lineWidth = 2.0
  static let referenceWidth = 1.5
  static let dash = (on: 7.0, off: 4.0)
  /// Radius of point markers and of the ring of an emphasised mark.
  static let pointRadius = 3.5
  static let markRadius = 7.0

  static let labelFont = Font.regular
  static let titleFont = Font.bold
  static let titleScale = 1
  /// Height of a line of text laid out by `draw(text:at:anchor:)`: capital top to descender
  /// bottom.
  static func textHeight(_ font: Font = labelFont, scale: Int = 1) -> Int {
    (font.cellHeight - font.capTop) * scale
  }
}

extension Bitmap {
  /// Text with a one-pixel white halo, readable over lines and markers.
  mutating func drawHaloText(
    _ text: String, at x: Int, _ y: Int, anchor: TextAnchor, color: Color
  ) {
    for dy in -1...1 {
      for dx in -1...1 where dx != 0 || dy != 0 {
        draw(text: text, at: x + dx, y + dy, anchor: anchor, color: .white)
      }
    }
    draw(text: text, at: x, y, anchor: anchor, color: color)
  }
}
