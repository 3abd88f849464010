import BookKit
import Foundation
import Testing

/// The package root, found from this file's path (Tests/AudioPriorTests/BookTests.swift).
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("Book: excerpts and figures")
struct BookTests {
  @Test func regionsAreFoundAndDedented() throws {
    let source = """
      struct A {
        // book: double
        func double(_ x: Int) -> Int {
          2 * x
        }
        // book: end
      }
      """
    let regions = try sourceRegions(in: source, file: "A.swift")
    #expect(regions.keys.sorted() == ["double"])
    #expect(regions["double"]?.code == "func double(_ x: Int) -> Int {\n  2 * x\n}")
    #expect(regions["double"]?.lines == 2...6)
  }

  @Test(arguments: [
    ("// book: a\n// book: b\n// book: end\n// book: end", "opens inside"),
    ("// book: a\nlet x = 1", "never ended"),
    ("// book: end", "without a region"),
    ("// book: a\n// book: end\n// book: a\n// book: end", "used twice"),
  ])
  func malformedRegionsAreRejected(source: String, message: String) {
    #expect {
      try sourceRegions(in: source, file: "A.swift")
    } throws: { error in
      (error as? BookError)?.description.contains(message) == true
    }
  }

  @Test func refreshReplacesOnlyTheCodeBlocks() throws {
    let book = """
      # Title
      <!-- excerpt: Sources/M/A.swift#f -->
      ```swift
      old code
      that spans lines
      ```
      prose after
      """
    let expected = """
      # Title
      <!-- excerpt: Sources/M/A.swift#f -->
      ```swift
      func f() {}
      ```
      prose after
      """
    let refreshed = try refreshedBook(book) { path, name in
      #expect(path == "Sources/M/A.swift" && name == "f")
      return SourceRegion(name: name, code: "func f() {}", lines: 1...3)
    }
    #expect(refreshed == expected)
  }

  @Test func figureAndSoundReferencesAreListed() {
    let book = "see ![waves](figures/01-a.png), ![x](figures/02-b.png), [hear](figures/02-c.wav)."
    #expect(
      referencedFigures(in: book) == ["figures/01-a.png", "figures/02-b.png", "figures/02-c.wav"])
  }

  /// The real book: every excerpt matches its source, every marked region is shown,
  /// every figure exists.
  @Test func bookIsInStepWithSourcesAndFigures() throws {
    let problems = try BookProject(root: packageRoot).problems()
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }
}
