import Foundation

/// The rendered book: every page as HTML, the style sheet, and the figures and sounds the
/// pages show, ready to be written into a folder (`book html --output site`).
public struct BookSite {
  /// File name (relative to the site) → HTML or CSS text.
  public let files: [String: String]
  /// The files the pages load or link that are not pages (`figures/NAME.png`,
  /// `figures/NAME.wav`), to be copied from the package root.
  public let assets: [String]
  public let outline: BookOutline

  public init(book markdown: String) {
    let outline = BookOutline(markdown: markdown)
    let links = BookLinks(outline: outline)
    let title = plainText(ofInlineMarkdown: outline.title)
    var files = ["book.css": bookStyleSheet]
    let front = renderedPage(
      withoutBookContents(outline.front), headings: outline.frontHeadings, file: "index.html",
      links: links)
    let neighbours =
      [("index.html", "Contents")]
      + outline.pages.map { ($0.file, plainText(ofInlineMarkdown: $0.title)) }
    files["index.html"] = pageHTML(
      title: title, bookTitle: title, body: contentsHTML(outline: outline, front: front),
      previous: nil, next: neighbours.count > 1 ? neighbours[1] : nil)
    for (index, page) in outline.pages.enumerated() {
      let body = renderedPage(
        page.markdown, headings: page.headings, file: page.file, links: links)
      files[page.file] = pageHTML(
        title: neighbours[index + 1].1, bookTitle: title, body: body,
        previous: neighbours[index],
        next: index + 2 < neighbours.count ? neighbours[index + 2] : nil)
    }
    self.files = files
    let targets = files.values.flatMap { relativeTargets(inHTML: $0).map(\.path) }
    self.assets = Set(targets).subtracting(files.keys).subtracting([""]).sorted()
    self.outline = outline
  }

  /// Writes the site into `folder`, copying its assets from `root`. A folder that exists is
  /// replaced only when it holds a site written before (its `book.css`), never a folder of
  /// something else.
  ///
  /// - Throws: `SiteError` when `folder` holds something else or an asset is missing.
  public func write(to folder: URL, assetsFrom root: URL) throws {
    let manager = FileManager.default
    if manager.fileExists(atPath: folder.path) {
      let contents = try manager.contentsOfDirectory(atPath: folder.path)
      guard contents.isEmpty || contents.contains("book.css") else {
        throw SiteError("\(folder.path) exists and is not a rendered book; choose another")
      }
      try manager.removeItem(at: folder)
    }
    for asset in assets {
      guard manager.fileExists(atPath: root.appendingPathComponent(asset).path) else {
        throw SiteError("book.md shows \(asset), which does not exist; run `make figures`")
      }
    }
    try manager.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    for asset in assets {
      try manager.createDirectory(
        at: folder.appendingPathComponent(asset).deletingLastPathComponent(),
        withIntermediateDirectories: true)
      try manager.copyItem(
        at: root.appendingPathComponent(asset), to: folder.appendingPathComponent(asset))
    }
  }
}

/// A problem with the site, said so that a person can act on it.
public struct SiteError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
