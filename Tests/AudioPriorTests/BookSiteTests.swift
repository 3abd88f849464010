import BookSite
import Foundation
import Testing

/// A small book with the parts the real one has: a title, front matter, a preface, chapters
/// with sections, a code block holding a line that looks like a heading, a figure, a sound,
/// a table and links between chapters.
private let sampleBook = """
  # The Book

  *An introduction.*

  ## Preface

  Read [the second chapter](#chapter-2-sound) and [its section](#a-section).

  ## Chapter 1: Pictures

  ![A figure with `code` in its caption](figures/01-a.png)

  ```sh
  ## not a heading: a comment in a shell block
  ```

  ### Try it

  ## Chapter 2: Sound

  Listen to [the clip](figures/02-b.wav).

  ### A section

  | a | b |
  | --- | --- |
  | 1 | 2 |

  ### Try it

  Back to [the figure's chapter](#chapter-1-pictures), [this section](#a-section), and to
  the [second *Try it*](#try-it-1).
  """

@Suite("Book site: pages, anchors, links, highlighting")
struct BookSiteTests {
  @Test func thereIsOnePagePerLevelTwoHeading() {
    let outline = BookOutline(markdown: sampleBook)
    #expect(outline.title == "The Book")
    #expect(outline.pages.map(\.title) == ["Preface", "Chapter 1: Pictures", "Chapter 2: Sound"])
    #expect(outline.pages.map(\.file) == ["preface.html", "chapter-1.html", "chapter-2.html"])
    #expect(outline.pages[1].markdown.hasPrefix("## Chapter 1: Pictures\n"))
    #expect(outline.pages[1].markdown.contains("## not a heading"))
    #expect(outline.front.trimmingCharacters(in: .whitespacesAndNewlines) == "*An introduction.*")
  }

  /// Anchors as GitHub makes them for book.md, duplicates numbered over the whole file.
  @Test(arguments: [
    ("Chapter 1: Audio in and out", "chapter-1-audio-in-and-out"),
    (
      "Transposed convolution, the generator's layer", "transposed-convolution-the-generators-layer"
    ),
    (
      "The phase: Griffin–Lim, and why the denoiser keeps the noisy phase",
      "the-phase-griffinlim-and-why-the-denoiser-keeps-the-noisy-phase"
    ),
    ("`Tensor` and **GEMM**", "tensor-and-gemm"),
    ("Is it the seed, the learning rate?", "is-it-the-seed-the-learning-rate"),
  ])
  func headingAnchorsAreGitHubs(heading: String, anchor: String) {
    #expect(anchorSlug(heading) == anchor)
  }

  @Test func repeatedHeadingsAreNumberedOverTheWholeBook() {
    let anchors = BookOutline(markdown: sampleBook).pages.flatMap(\.headings).map(\.anchor)
    #expect(
      anchors == [
        "preface", "chapter-1-pictures", "try-it", "chapter-2-sound", "a-section", "try-it-1",
      ])
  }

  @Test func aLinkToAHeadingLeadsToThePageThatHoldsIt() {
    let site = BookSite(book: sampleBook)
    let preface = site.files["preface.html"] ?? ""
    let chapter2 = site.files["chapter-2.html"] ?? ""
    // A chapter's own heading opens its page; a section adds its anchor.
    #expect(preface.contains("<a href=\"chapter-2.html\">the second chapter</a>"))
    #expect(preface.contains("<a href=\"chapter-2.html#a-section\">its section</a>"))
    #expect(chapter2.contains("<h3 id=\"a-section\">A section</h3>"))
    #expect(chapter2.contains("<a href=\"chapter-1.html\">the figure's chapter</a>"))
    #expect(chapter2.contains("<a href=\"#a-section\">this section</a>"))
    #expect(chapter2.contains("<h3 id=\"try-it-1\">Try it</h3>"))
    #expect(chapter2.contains("href=\"#try-it-1\""))
  }

  @Test func pagesLinkToTheirNeighboursAndTheContents() {
    let site = BookSite(book: sampleBook)
    let chapter1 = site.files["chapter-1.html"] ?? ""
    #expect(chapter1.contains("rel=\"prev\" href=\"preface.html\">← Preface</a>"))
    #expect(chapter1.contains("rel=\"next\" href=\"chapter-2.html\">Chapter 2: Sound →</a>"))
    let index = site.files["index.html"] ?? ""
    #expect(index.contains("<a href=\"chapter-2.html#a-section\">A section</a>"))
    #expect(index.contains("rel=\"next\" href=\"preface.html\""))
    #expect(!(site.files["chapter-2.html"] ?? "").contains("rel=\"next\""))
  }

  @Test func soundsPlayFiguresShowAndTablesScroll() {
    let site = BookSite(book: sampleBook)
    let chapter2 = site.files["chapter-2.html"] ?? ""
    #expect(
      chapter2.contains(
        "the clip <audio controls preload=\"metadata\" src=\"figures/02-b.wav\"></audio>"))
    #expect(chapter2.contains("<div class=\"table\"><table>"))
    let chapter1 = site.files["chapter-1.html"] ?? ""
    #expect(
      chapter1.contains(
        "<img src=\"figures/01-a.png\" alt=\"A figure with code in its caption\">"
          + "<figcaption>A figure with <code>code</code> in its caption</figcaption>"))
    #expect(site.assets == ["figures/01-a.png", "figures/02-b.wav"])
  }

  /// The sample written to disk: every `href` and `src` names a file of the site, and every
  /// anchor an `id` of its page. A broken anchor and a missing file are both reported.
  @Test func everyRelativeLinkOfTheWrittenSiteResolves() throws {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("booksite-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let figures = root.appendingPathComponent("figures")
    try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
    for name in ["01-a.png", "02-b.wav"] {
      try Data([0]).write(to: figures.appendingPathComponent(name))
    }
    let folder = root.appendingPathComponent("site")
    try BookSite(book: sampleBook).write(to: folder, assetsFrom: root)
    let report = try checkSite(in: folder)
    #expect(report.pages == 4)
    #expect(report.problems.isEmpty, "\(report.problems)")
    // Each page: its style sheet, the contents link, its pager; plus the book's own links.
    #expect(report.targets >= 4 * 3 + 6)

    let broken = sampleBook.replacingOccurrences(of: "(#a-section)", with: "(#no-such)")
      .replacingOccurrences(of: "figures/02-b.wav", with: "figures/03-c.wav")
    #expect(throws: SiteError.self) {
      try BookSite(book: broken).write(to: folder, assetsFrom: root)
    }
    try FileManager.default.copyItem(
      at: figures.appendingPathComponent("02-b.wav"),
      to: figures.appendingPathComponent("03-c.wav"))
    try BookSite(book: broken).write(to: folder, assetsFrom: root)
    try FileManager.default.removeItem(at: folder.appendingPathComponent("figures/03-c.wav"))
    let problems = try checkSite(in: folder).problems
    #expect(problems.contains("preface.html: preface.html has no anchor #no-such"))
    #expect(problems.contains("chapter-2.html: figures/03-c.wav does not exist"))
  }

  @Test func aFolderThatIsNotASiteIsNeverReplaced() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("booksite-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data([1]).write(to: folder.appendingPathComponent("notes.txt"))
    #expect(throws: SiteError.self) {
      try BookSite(book: "# T\n## A\n").write(to: folder, assetsFrom: folder)
    }
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
  }

  @Test(arguments: [
    (
      "let x = \"a < b\" // why",
      "<span class=\"kw\">let</span> x = <span class=\"str\">&quot;a &lt; b&quot;</span> "
        + "<span class=\"com\">// why</span>"
    ),
    (
      "for i in 0..<12 { log10(1.5e-3) + 0x1F }",
      "<span class=\"kw\">for</span> i <span class=\"kw\">in</span> <span class=\"num\">0</span>"
        + "..&lt;<span class=\"num\">12</span> { log10(<span class=\"num\">1.5e-3</span>) + "
        + "<span class=\"num\">0x1F</span> }"
    ),
    (
      "@MainActor func f(_ t: Tensor) { $0 } /* a\nb */",
      "<span class=\"kw\">@MainActor</span> <span class=\"kw\">func</span> f(_ t: "
        + "<span class=\"ty\">Tensor</span>) { $0 } <span class=\"com\">/* a\nb */</span>"
    ),
    ("\"\\\"\" x2", "<span class=\"str\">&quot;\\&quot;&quot;</span> x2"),
  ])
  func swiftTokensAreMarkedExactly(code: String, html: String) {
    #expect(highlighted(code, language: "swift") == html)
  }

  @Test func shellCommentsAreMarkedAndOtherLanguagesOnlyEscaped() {
    #expect(
      highlighted("make figures   # once <all>", language: "sh")
        == "make figures   <span class=\"com\"># once &lt;all&gt;</span>")
    #expect(highlighted("a <b> & c", language: "text") == "a &lt;b&gt; &amp; c")
  }

  @Test func autolinksBecomeLinksOutsideCode() {
    let markdown = "See <https://a.org/x>, `<https://b.org>`.\n```\n/// <https://c.org>\n```"
    #expect(
      autolinksAsLinks(markdown)
        == "See [https://a.org/x](https://a.org/x), `<https://b.org>`.\n"
        + "```\n/// <https://c.org>\n```"
    )
  }

  /// Ink would end a paragraph at a wrapped line that starts with a code span or a minus
  /// sign; blocks that really start there (a list, a fence, a heading, a tag) stay apart.
  @Test func wrappedLinesStayInTheirParagraph() {
    let markdown = """
      The command is
      `denoise`, and the floor is
      -90 dB.

      - a list item
      - another
      <!-- excerpt: Sources/A.swift#a -->
      ```swift
      `x`
      ```
      """
    let expected = """
      The command is `denoise`, and the floor is -90 dB.

      - a list item
      - another
      <!-- excerpt: Sources/A.swift#a -->
      ```swift
      `x`
      ```
      """
    #expect(joiningCutParagraphs(markdown) == expected)
    let html = BookSite(book: "# T\n## A\n" + markdown).files["a.html"] ?? ""
    #expect(html.contains("<p>The command is <code>denoise</code>, and the floor is -90 dB.</p>"))
  }

  /// book.md's own table of contents serves a reader on a code host; the site's front page
  /// lists the pages itself, so it leaves the book's list out, and its links lead to pages.
  @Test func theBooksContentsGiveWayToTheSitesOnTheFrontPage() {
    let book = """
      # The Book

      *An introduction.*

      <!-- contents -->
      **Contents**

      - [Preface](#preface): why
      - [Chapter 1: Pictures](#chapter-1-pictures):
        what a picture is

      <!-- end contents -->

      ## Preface

      ## Chapter 1: Pictures

      ### Try it
      """
    let site = BookSite(book: book)
    let index = site.files["index.html"] ?? ""
    #expect(index.contains("<em>An introduction.</em>"))
    #expect(!index.contains("what a picture is") && !index.contains("<strong>Contents"))
    #expect(index.contains("<a href=\"chapter-1.html#try-it\">Try it</a>"))
    let links = BookLinks(outline: site.outline)
    #expect(links.href(for: "#chapter-1-pictures", on: "index.html") == "chapter-1.html")
  }

  /// The real book's table of contents names every `## ` heading, in order, by its text and
  /// its anchor, and each link leads to that heading's page of the site.
  @Test func theBooksContentsListEveryPageInOrder() throws {
    let book = try String(
      contentsOf: packageRoot.appendingPathComponent("book.md"), encoding: .utf8)
    guard let start = book.range(of: "<!-- contents -->"),
      let end = book.range(of: "<!-- end contents -->"), start.upperBound < end.lowerBound
    else {
      Issue.record("book.md has no <!-- contents --> … <!-- end contents --> block")
      return
    }
    let items = book[start.upperBound..<end.lowerBound].split(separator: "\n")
      .filter { $0.hasPrefix("- [") }
      .map { item -> (text: String, anchor: String) in
        let text = item.dropFirst(3).prefix { $0 != "]" }
        let anchor = item.drop { $0 != "(" }.dropFirst(2).prefix { $0 != ")" }
        return (String(text), String(anchor))
      }
    let outline = BookOutline(markdown: book)
    let pages = outline.pages.map { ($0.title, $0.headings[0].anchor) }
    #expect(items.map(\.text) == pages.map(\.0))
    #expect(items.map(\.anchor) == pages.map(\.1))
    let links = BookLinks(outline: outline)
    for (item, page) in zip(items, outline.pages) {
      #expect(links.href(for: "#" + item.anchor, on: "index.html") == page.file)
    }
  }
}
