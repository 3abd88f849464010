/// The HTML around Ink's: each page's head, its navigation bar and its previous / next links,
/// and the front page's table of contents. Plain strings, no scripts, one local style sheet.

/// A whole page: `body` (already HTML) inside the book's frame.
///
/// - Parameters:
///   - title: the page's title as plain text, shown in the browser's tab.
///   - previous, next: the neighbouring pages as (file, plain title), nil at either end.
func pageHTML(
  title: String, bookTitle: String, body: String, previous: (String, String)?,
  next: (String, String)?
) -> String {
  var pager = ""
  if let (file, title) = previous {
    pager += "<a class=\"prev\" rel=\"prev\" href=\"\(file)\">← \(htmlEscaped(title))</a>"
  }
  if let (file, title) = next {
    pager += "<a class=\"next\" rel=\"next\" href=\"\(file)\">\(htmlEscaped(title)) →</a>"
  }
  let tabTitle = title == bookTitle ? title : "\(title) · \(bookTitle)"
  return """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(htmlEscaped(tabTitle))</title>
    <link rel="stylesheet" href="book.css">
    </head>
    <body>
    <header><a href="index.html">\(htmlEscaped(bookTitle))</a></header>
    <main>
    \(body)
    </main>
    <nav class="pager">\(pager)</nav>
    </body>
    </html>

    """
}

/// The front page's body: the title, the book's opening text and the table of contents,
/// every page with its `### ` sections.
func contentsHTML(outline: BookOutline, front: String) -> String {
  var items = ""
  for page in outline.pages {
    items +=
      "<li><a href=\"\(page.file)\">\(htmlEscaped(plainText(ofInlineMarkdown: page.title)))</a>"
    let sections = page.headings.filter { $0.level == 3 }
    if !sections.isEmpty {
      items += "\n<ul>\n"
      for section in sections {
        let text = htmlEscaped(plainText(ofInlineMarkdown: section.text))
        items += "<li><a href=\"\(page.file)#\(section.anchor)\">\(text)</a></li>\n"
      }
      items += "</ul>"
    }
    items += "</li>\n"
  }
  let anchor = anchorSlug(outline.title)
  return """
    <h1 id="\(anchor)">\(htmlEscaped(plainText(ofInlineMarkdown: outline.title)))</h1>
    \(front)
    <nav class="contents">
    <h2 id="contents">Contents</h2>
    <ol>
    \(items)</ol>
    </nav>
    """
}

/// The markers around book.md's own table of contents, which stands before the preface.
let bookContentsMarkers = (start: "<!-- contents -->", end: "<!-- end contents -->")

/// `markdown` without book.md's own table of contents (its lines from `<!-- contents -->` to
/// `<!-- end contents -->`): on a code host that list is how one finds a chapter, but the
/// site's front page lists every page itself, with its sections (`contentsHTML`).
func withoutBookContents(_ markdown: String) -> String {
  var kept: [Substring] = []
  var inContents = false
  for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
    let trimmed = line.trimmingWhitespace()
    if trimmed == bookContentsMarkers.start {
      inContents = true
    } else if trimmed == bookContentsMarkers.end {
      inContents = false
    } else if !inContents {
      kept.append(line)
    }
  }
  return kept.joined(separator: "\n")
}
