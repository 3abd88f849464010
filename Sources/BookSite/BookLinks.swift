/// Where a link of book.md leads in the rendered book. In book.md every link to another
/// part of the book is an anchor of the one file (`#chapter-3-tensors-and-fast-matrix-…`);
/// in the site that part is on another page, so the link must name the page too.

/// The pages of the book's anchors, and what a link target becomes on a given page.
public struct BookLinks: Sendable {
  /// The page file each heading's anchor is on.
  let pageOfAnchor: [String: String]
  /// The anchors of the `## ` headings: a link to one opens its page at the top.
  let pageAnchors: Set<String>

  public init(outline: BookOutline) {
    var pageOfAnchor: [String: String] = [:]
    for heading in outline.frontHeadings { pageOfAnchor[heading.anchor] = "index.html" }
    for page in outline.pages {
      for heading in page.headings { pageOfAnchor[heading.anchor] = page.file }
    }
    self.pageOfAnchor = pageOfAnchor
    self.pageAnchors = Set(outline.pages.compactMap { $0.headings.first?.anchor })
  }

  /// What `target`, a link's URL in book.md, becomes on page `page`: `#anchor` and
  /// `book.md#anchor` lead to the page that holds the anchor; other targets stay. An anchor
  /// no heading has stays too, for the site check to report.
  public func href(for target: String, on page: String) -> String {
    let anchor: Substring
    if target.hasPrefix("#") {
      anchor = target.dropFirst()
    } else if target.hasPrefix("book.md#") {
      anchor = target.dropFirst("book.md#".count)
    } else {
      return target
    }
    guard let file = pageOfAnchor[String(anchor)] else { return "#" + anchor }
    if pageAnchors.contains(String(anchor)) { return file }
    return file == page ? "#\(anchor)" : "\(file)#\(anchor)"
  }
}

/// Whether a link target is a sound the page should play: a relative path to a WAV, FLAC,
/// Ogg or MP3 file.
public func isAudioLink(_ target: String) -> Bool {
  let path = target.lowercased()
  return !path.contains(":")
    && [".wav", ".flac", ".ogg", ".mp3"].contains { path.hasSuffix($0) }
}
