import ChapterSupport
import Foundation
import Testing

@Suite("Chapter programs: options and reports")
struct ChapterProgramTests {
  /// A chapter run writes into the book's figures/ only when told to with `--figures`:
  /// without it into output/ (a "Try it" run with other options than the book's), with
  /// `--quick` into a temporary folder.
  @Test func onlyAnExplicitFiguresFolderLeadsIntoTheBooksFigures() throws {
    #expect(try ChapterOptions.parse([]).figuresFolder == "output")
    let quick = try ChapterOptions.parse(["--quick"]).figuresFolder
    #expect(quick != "figures" && quick != "output" && quick.hasPrefix(NSTemporaryDirectory()))
    #expect(try ChapterOptions.parse(["--quick", "--figures", "out"]).figuresFolder == "out")
    #expect(try ChapterOptions.parse(["--figures", "figures"]).figuresFolder == "figures")
  }

  /// `figure(_:)` puts the file inside the chosen folder, making the folder, and touches
  /// nothing beside it.
  @Test func aFigurePathIsInsideItsFolderAndCreatesOnlyThatFolder() throws {
    let root = (NSTemporaryDirectory() as NSString)
      .appendingPathComponent("chapter-options-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let figures = (root as NSString).appendingPathComponent("figures")
    try FileManager.default.createDirectory(atPath: figures, withIntermediateDirectories: true)
    let output = (root as NSString).appendingPathComponent("output")
    let path = try ChapterOptions.parse(["--figures", output]).figure("07-comparison.png")
    #expect(path == output + "/07-comparison.png")
    #expect(FileManager.default.fileExists(atPath: output))
    #expect(try FileManager.default.contentsOfDirectory(atPath: figures).isEmpty)
  }

  /// `make figures` is the one command that rewrites the book's figures: it runs every
  /// chapter with `--figures $(FIGURES)`, and FIGURES is figures unless given.
  @Test func makeFiguresPassesTheBooksFiguresFolderToEveryChapter() throws {
    let makefile = try String(
      contentsOf: packageRoot.appendingPathComponent("Makefile"), encoding: .utf8)
    let lines = makefile.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.contains("FIGURES ?= figures"))
    guard let start = lines.firstIndex(of: "figures: release") else {
      Issue.record("Makefile has no `figures: release` target")
      return
    }
    let recipe = lines[(start + 1)...].prefix { $0.hasPrefix("\t") }
    let runs = recipe.filter { $0.contains(".build/release/$$c") }
    #expect(runs.count == 1 && runs.allSatisfy { $0.contains("--figures $(FIGURES)") })
  }

  /// The book's "Try it" commands say where a chapter's own run writes: output/, never the
  /// book's figures/ (which only `make figures` rewrites).
  @Test func tryItCommandsSayAChapterWritesIntoOutput() throws {
    let book = try String(
      contentsOf: packageRoot.appendingPathComponent("book.md"), encoding: .utf8)
    // Every command line that runs a chapter program (01-wav-io, 07-real-recordings, …).
    let chapterProgram = #" [0-9][0-9]-[a-z-]+ "#
    let runs = book.split(separator: "\n").filter {
      $0.hasPrefix("swift run") && $0.range(of: chapterProgram, options: .regularExpression) != nil
    }
    #expect(runs.count >= 7)
    for run in runs {
      #expect(!run.contains("figures/"), "\(run)")
    }
    #expect(runs.contains { $0.contains("output/01-") })
  }

  @Test func interleavedTimingRunsEachBodyOncePerRoundAfterAWarmUp() {
    var counts = [0, 0]
    let medians = interleavedMedianSeconds(rounds: 5, [{ counts[0] += 1 }, { counts[1] += 1 }])
    #expect(counts == [6, 6] && medians.count == 2 && medians.allSatisfy { $0 >= 0 })
  }
}
