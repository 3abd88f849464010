/// The book cut into pages: the title and what stands before the first `## ` heading make
/// the front page, and every `## ` heading (the preface, each chapter, the limits, the
/// references, any appendix) starts a page of its own that runs to the next one.

/// One page of the rendered book.
public struct BookPage: Equatable, Sendable {
  /// The `## ` heading's Markdown text, e.g. "Chapter 1: Audio in and out".
  public let title: String
  /// The page's file name: what stands before the title's colon, as an anchor
  /// ("chapter-1.html", "preface.html", "appendix-a.html").
  public let file: String
  /// The page's Markdown, from its `## ` line up to the next one.
  public let markdown: String
  /// The page's headings with their anchors, counted over the whole book; the first is the
  /// page's `## ` heading.
  public let headings: [BookHeading]
}

/// The book as a front page and its pages, in the order of book.md.
public struct BookOutline: Equatable, Sendable {
  /// The `# ` title's text.
  public let title: String
  /// The Markdown between the title and the first `## ` heading.
  public let front: String
  /// The headings of `front`.
  public let frontHeadings: [BookHeading]
  public let pages: [BookPage]

  /// Cuts `markdown` at every `## ` heading outside code blocks.
  public init(markdown: String) {
    var title = ""
    var front: [Substring] = []
    var sections: [(title: String, lines: [Substring])] = []
    var inCode = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") { inCode.toggle() }
      if !inCode, line.hasPrefix("## ") {
        sections.append((String(line.dropFirst(3).trimmingWhitespace()), [line]))
      } else if !inCode, sections.isEmpty, title.isEmpty, line.hasPrefix("# ") {
        title = String(line.dropFirst(2).trimmingWhitespace())
      } else if sections.isEmpty {
        front.append(line)
      } else {
        sections[sections.count - 1].lines.append(line)
      }
    }
    var files: Set<String> = ["index.html"]
    self.title = title
    self.front = front.joined(separator: "\n")
    // Each part takes as many headings of the whole book's list as it has itself.
    var headings = bookHeadings(in: markdown).dropFirst(title.isEmpty ? 0 : 1)
    func take(_ count: Int) -> [BookHeading] {
      defer { headings = headings.dropFirst(count) }
      return Array(headings.prefix(count))
    }
    self.frontHeadings = take(bookHeadings(in: self.front).count)
    self.pages = sections.map { section in
      let slug = anchorSlug(section.title.split(separator: ":").first ?? "")
      let stem = slug.isEmpty ? "page" : slug
      var file = "\(stem).html"
      var count = 1
      while files.contains(file) {
        count += 1
        file = "\(stem)-\(count).html"
      }
      files.insert(file)
      let markdown = section.lines.joined(separator: "\n")
      return BookPage(
        title: section.title, file: file, markdown: markdown,
        headings: take(bookHeadings(in: markdown).count))
    }
  }
}
