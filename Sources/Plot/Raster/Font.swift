/// A fixed-width bitmap font for printable ASCII, drawn at whole-number scales.
///
/// Every character occupies a cell of `cellWidth × cellHeight` pixels (times the scale); the
/// baseline is `ascent` rows below the cell's top. Characters outside ASCII 32...126 are
/// drawn as a close ASCII look-alike (`−` as `-`, `×` as `x`, `µ` as `u`) or as `?`.
public struct Font: Sendable, Equatable {
  /// Regular 6 × 13 glyphs: tick labels, axis titles, legends.
  public static let regular = Font(rows: Font.regularRows, trailingGap: 1)
  /// Bold 6 × 13 glyphs: chart titles.
  public static let bold = Font(rows: Font.boldRows, trailingGap: 0)

  /// Width of one character cell at scale 1.
  public let cellWidth = 6
  /// Height of one character cell at scale 1, descenders included.
  public let cellHeight = 13
  /// Rows from the cell's top to the baseline.
  public let ascent = 11
  /// Rows from the cell's top to the top of a capital letter.
  public let capTop = 2

  /// 13 bytes per character from code 32, each byte one row, most significant bit leftmost.
  let rows: [UInt8]
  /// Blank columns at the right of every cell that separate it from the next one; the
  /// measured width of a text leaves out those of its last character.
  let trailingGap: Int

  /// The width in pixels of `text` drawn at `scale`: from the left edge of its first cell to
  /// the last column its final character may ink (the gap after it is not counted).
  public func width(of text: String, scale: Int = 1) -> Int {
    let count = text.count
    return count == 0 ? 0 : (count * cellWidth - trailingGap) * scale
  }

  /// The height in pixels of one line of text at `scale`, descenders included.
  public func height(scale: Int = 1) -> Int {
    cellHeight * scale
  }

  /// Whether pixel `(column, row)` of the cell of `character` is inked.
  public func isInked(_ character: Character, column: Int, row: Int) -> Bool {
    guard column >= 0 && column < cellWidth && row >= 0 && row < cellHeight else {
      return false
    }
    let byte = rows[Font.glyphIndex(character) * cellHeight + row]
    return byte & (0x80 >> UInt8(column)) != 0
  }

  /// The glyph number (0 for space) that draws `character`.
  static func glyphIndex(_ character: Character) -> Int {
    let replacements: [Character: Character] = [
      "−": "-", "–": "-", "—": "-", "×": "x", "·": ".", "µ": "u", "μ": "u", "’": "'",
      "‘": "'", "“": "\"", "”": "\"", "…": ".", "≤": "<", "≥": ">", "±": "+",
    ]
    let shown = replacements[character] ?? character
    guard let ascii = shown.asciiValue, ascii >= 32, ascii <= 126 else {
      return Int(Character("?").asciiValue!) - 32
    }
    return Int(ascii) - 32
  }
}
