/// The anchors of the book's headings, made as GitHub makes them, so that a link such as
/// `[chapter 3](#chapter-3-tensors-and-fast-matrix-multiplication)` works both in book.md on a
/// code host and in the rendered book.

/// A heading of the book: its level (`##` is 2), its Markdown text and its anchor.
public struct BookHeading: Equatable, Sendable {
  public let level: Int
  public let text: String
  public let anchor: String
}

/// The anchor GitHub gives a heading: the plain text in lower case, everything but letters,
/// digits, spaces, `-` and `_` removed, spaces turned into `-`
/// ("Chapter 1: Audio in and out" → `chapter-1-audio-in-and-out`).
public func anchorSlug(_ headingText: some StringProtocol) -> String {
  var slug = ""
  for character in plainText(ofInlineMarkdown: headingText).lowercased() {
    if character == " " {
      slug.append("-")
    } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
      slug.append(character)
    }
  }
  return slug
}

/// Every heading of `markdown` outside code blocks, in order, each with its anchor. A slug
/// seen before gets `-1`, `-2`, … as on GitHub, counted over the whole document.
public func bookHeadings(in markdown: String) -> [BookHeading] {
  var headings: [BookHeading] = []
  var seen: [String: Int] = [:]
  for line in linesOutsideCodeBlocks(markdown) {
    let level = line.prefix { $0 == "#" }.count
    guard (1...6).contains(level), line.dropFirst(level).first == " " else { continue }
    let text = line.dropFirst(level + 1).trimmingWhitespace()
    let slug = anchorSlug(text)
    let anchor = seen[slug].map { "\(slug)-\($0)" } ?? slug
    seen[slug, default: 0] += 1
    headings.append(BookHeading(level: level, text: String(text), anchor: anchor))
  }
  return headings
}

/// The lines of `markdown` that lie outside fenced code blocks (```).
func linesOutsideCodeBlocks(_ markdown: String) -> [Substring] {
  var lines: [Substring] = []
  var inCode = false
  for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
    if line.hasPrefix("```") {
      inCode.toggle()
    } else if !inCode {
      lines.append(line)
    }
  }
  return lines
}

extension Substring {
  /// The text without leading and trailing spaces and line breaks.
  func trimmingWhitespace() -> Substring {
    let start = firstIndex { !$0.isWhitespace } ?? endIndex
    let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
    return self[start..<end]
  }
}
