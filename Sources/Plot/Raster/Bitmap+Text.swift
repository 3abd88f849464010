/// Which way a line of text runs.
public enum TextDirection: Sendable {
  /// Left to right.
  case horizontal
  /// Bottom to top, rotated a quarter turn counter-clockwise (a y-axis title).
  case upward
}

/// Where a text's anchor point sits on the text, horizontally and vertically.
public struct TextAnchor: Sendable, Equatable {
  public enum Horizontal: Sendable { case left, center, right }
  /// `top`: the top of the capitals; `center`: half-way down the capitals; `bottom`: the
  /// bottom of the descenders.
  public enum Vertical: Sendable { case top, center, bottom }

  public var horizontal: Horizontal
  public var vertical: Vertical

  public init(_ horizontal: Horizontal, _ vertical: Vertical) {
    self.horizontal = horizontal
    self.vertical = vertical
  }
}

extension Bitmap {
  /// Draws one line of `text` with the top-left corner of its first character cell at
  /// `(x, y)`, each font pixel a `scale × scale` block; pixels outside the image are skipped.
  ///
  /// Horizontal text covers `font.width(of: text, scale:)` columns and
  /// `font.height(scale:)` rows. Upward text covers the same box turned: `font.height` columns
  /// and `font.width` rows, starting at the bottom, with `(x, y)` its top-left corner.
  public mutating func draw(
    text: String, x: Int, y: Int, color: Color = .black, font: Font = .regular,
    scale: Int = 1, direction: TextDirection = .horizontal
  ) {
    let length = font.width(of: text, scale: scale)
    for (index, character) in text.enumerated() where character != " " {
      for row in 0..<font.cellHeight {
        for column in 0..<font.cellWidth
        where font.isInked(character, column: column, row: row) {
          // (u, v): the block's offset along and across the line, in output pixels.
          let u = (index * font.cellWidth + column) * scale
          let v = row * scale
          for dy in 0..<scale {
            for dx in 0..<scale {
              switch direction {
              case .horizontal:
                blend(x: x + u + dx, y: y + v + dy, color)
              case .upward:
                blend(x: x + v + dy, y: y + length - 1 - (u + dx), color)
              }
            }
          }
        }
      }
    }
  }

  /// Draws `text` so that the point `anchor` of it lands on `(x, y)`, and returns the box
  /// it was laid out in (the capital letters' top to the descenders' bottom).
  @discardableResult
  public mutating func draw(
    text: String, at x: Int, _ y: Int, anchor: TextAnchor, color: Color = .black,
    font: Font = .regular, scale: Int = 1, direction: TextDirection = .horizontal
  ) -> Rect {
    let box = Bitmap.textBox(
      text, at: x, y, anchor: anchor, font: font, scale: scale, direction: direction)
    let top = font.capTop * scale
    switch direction {
    case .horizontal:
      draw(text: text, x: box.x, y: box.y - top, color: color, font: font, scale: scale)
    case .upward:
      draw(
        text: text, x: box.x - top, y: box.y, color: color, font: font, scale: scale,
        direction: .upward)
    }
    return box
  }

  /// The box `draw(text:at:anchor:…)` would lay `text` out in, without drawing it. For
  /// upward text the anchor is read in the text's own frame (`left` is its start, at the
  /// bottom; `top` is the tops of its capitals, on the left).
  public static func textBox(
    _ text: String, at x: Int, _ y: Int, anchor: TextAnchor, font: Font = .regular,
    scale: Int = 1, direction: TextDirection = .horizontal
  ) -> Rect {
    let along = font.width(of: text, scale: scale)
    let across = (font.cellHeight - font.capTop) * scale
    let capHeight = (font.ascent - font.capTop) * scale
    let start: Int
    switch anchor.horizontal {
    case .left: start = 0
    case .center: start = along / 2
    case .right: start = along
    }
    let down: Int
    switch anchor.vertical {
    case .top: down = 0
    case .center: down = capHeight / 2
    case .bottom: down = across
    }
    switch direction {
    case .horizontal:
      return Rect(x: x - start, y: y - down, width: along, height: across)
    case .upward:
      return Rect(x: x - down, y: y - (along - start), width: across, height: along)
    }
  }
}
