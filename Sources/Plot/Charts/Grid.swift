/// Charts side by side: panels fill a grid row by row, each drawn in its own cell, under an
/// optional overall title.
public struct Grid: Chart {
  public var columns: Int
  public var panels: [any Chart]
  public var title: String

  public init(columns: Int, panels: [any Chart], title: String = "") {
    precondition(columns > 0, "a grid needs at least one column")
    self.columns = columns
    self.panels = panels
    self.title = title
  }

  /// The number of rows the panels fill.
  public var rows: Int { (panels.count + columns - 1) / columns }

  /// The cell of panel `index` inside `frame`: the space under the title split evenly, the
  /// last column and row taking the pixels left over.
  public func cell(_ index: Int, in frame: Rect) -> Rect {
    let area = frame.inset(top: titleHeight)
    let row = index / columns
    let column = index % columns
    let left = area.x + column * area.width / columns
    let right = area.x + (column + 1) * area.width / columns
    let top = area.y + row * area.height / max(rows, 1)
    let bottom = area.y + (row + 1) * area.height / max(rows, 1)
    return Rect(x: left, y: top, width: right - left, height: bottom - top)
  }

  /// The overall title's font, drawn twice the size of the panels' titles (regular: bold
  /// doubled is too heavy).
  static let titleFont = Font.regular

  /// Rows taken by the overall title.
  var titleHeight: Int {
    title.isEmpty ? 0 : Style.padding + Style.textHeight(Grid.titleFont, scale: 2) + 2
  }

  public func draw(on canvas: inout Bitmap, in frame: Rect) {
    if !title.isEmpty {
      canvas.draw(
        text: title, at: frame.x + frame.width / 2, frame.y + Style.padding,
        anchor: TextAnchor(.center, .top), font: Grid.titleFont, scale: 2)
    }
    for (index, panel) in panels.enumerated() {
      panel.draw(on: &canvas, in: cell(index, in: frame))
    }
  }
}
