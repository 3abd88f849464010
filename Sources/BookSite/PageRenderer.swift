import Foundation
import Ink

/// One page's Markdown as HTML: Ink parses it, and its modifiers give each heading its
/// anchor, turn links to sounds into players, lead in-book links to the right page, set
/// figures with their captions, colour code blocks and let wide tables scroll.
///
/// - Parameters:
///   - headings: the page's headings with their book-wide anchors, in order.
///   - file: the page's own file name, so that links within the page stay `#anchor`.
public func renderedPage(
  _ markdown: String, headings: [BookHeading], file: String, links: BookLinks
) -> String {
  // Ink hands a modifier one heading at a time: each takes the next anchor given for its
  // text, so that two headings with the same text keep the book's two anchors.
  var anchors: [String: [String]] = [:]
  for heading in headings { anchors[heading.text, default: []].append(heading.anchor) }
  let parser = MarkdownParser(modifiers: [
    Modifier(target: .headings) { html, markdown in
      let level = markdown.prefix { $0 == "#" }.count
      let text = String(markdown.dropFirst(level).trimmingWhitespace())
      let anchor = anchors[text]?.first ?? anchorSlug(text)
      anchors[text] = Array((anchors[text] ?? []).dropFirst())
      return "<h\(level) id=\"\(anchor)\">" + html.dropFirst("<hN>".count)
    },
    Modifier(target: .links) { html, _ in
      linkHTML(html, on: file, links: links)
    },
    Modifier(target: .images) { _, markdown in figureHTML(markdown) },
    Modifier(target: .codeBlocks) { _, markdown in codeBlockHTML(markdown) },
    Modifier(target: .tables) { html, _ in "<div class=\"table\">\(html)</div>" },
    Modifier(target: .html) { html, _ in excerptSourceHTML(html) ?? html },
  ])
  return parser.html(from: markdownForInk(markdown))
}

/// Ink's `<a href="URL">TEXT</a>` with its URL led to the right page, or, for a sound, the
/// text and a player.
func linkHTML(_ html: String, on page: String, links: BookLinks) -> String {
  let opening = "<a href=\""
  guard html.hasPrefix(opening), let close = html.range(of: "\">"), html.hasSuffix("</a>")
  else { return html }
  let target = String(html[html.index(html.startIndex, offsetBy: opening.count)...])
    .prefix { $0 != "\"" }
  let text = html[close.upperBound..<html.index(html.endIndex, offsetBy: -"</a>".count)]
  if isAudioLink(String(target)) {
    return "<span class=\"clip\">\(text) <audio controls preload=\"metadata\" "
      + "src=\"\(htmlEscaped(target))\"></audio></span>"
  }
  return "<a href=\"\(htmlEscaped(links.href(for: String(target), on: page)))\">\(text)</a>"
}

/// `![caption](src)` as a figure: the image, with the caption as its text alternative and,
/// set as Markdown, beneath it.
func figureHTML(_ markdown: Substring) -> String {
  guard let split = markdown.range(of: "](", options: .backwards), markdown.hasPrefix("![")
  else { return String(markdown) }
  let caption = markdown[markdown.index(markdown.startIndex, offsetBy: 2)..<split.lowerBound]
  let source = markdown[split.upperBound...].dropLast()
  let captionHTML = MarkdownParser().html(from: String(caption))
    .replacingOccurrences(of: "<p>", with: "").replacingOccurrences(of: "</p>", with: "")
  return "<figure><img src=\"\(htmlEscaped(source))\" alt=\""
    + "\(htmlEscaped(plainText(ofInlineMarkdown: caption)))\">"
    + "<figcaption>\(captionHTML)</figcaption></figure>"
}

/// A fenced code block, highlighted by its language (the first word after the fence).
func codeBlockHTML(_ markdown: Substring) -> String {
  var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
  let language = lines.first?.drop { $0 == "`" }.split(separator: " ").first ?? ""
  lines.removeFirst()
  if let last = lines.last, last.hasPrefix("```") { lines.removeLast() }
  let code = highlighted(lines.joined(separator: "\n"), language: String(language))
  let languageClass = language.isEmpty ? "" : " class=\"language-\(htmlEscaped(language))\""
  return "<pre><code\(languageClass)>\(code)</code></pre>"
}

/// A book excerpt marker, `<!-- excerpt: Sources/M/File.swift#name -->`, as the label that
/// names the source file above its code; nil for any other HTML.
func excerptSourceHTML(_ html: String) -> String? {
  let prefix = "<!-- excerpt: "
  guard html.hasPrefix(prefix), html.hasSuffix("-->") else { return nil }
  let reference = html.dropFirst(prefix.count).dropLast(3).trimmingWhitespace()
  let path = reference.split(separator: "#").first ?? reference
  return "<p class=\"source\">\(htmlEscaped(path))</p>"
}
