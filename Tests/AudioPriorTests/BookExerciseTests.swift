import BookKit
import Foundation
import Testing

/// Writes `files` (path relative to the root, text) into `root`.
private func write(_ files: [String: String], into root: String) throws {
  for (path, text) in files {
    let url = URL(fileURLWithPath: root).appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
}

/// The text of every file of the handout a student reads: Sources/, Tests/, book.md and
/// README.md, by path.
private func handoutTexts(in root: String) throws -> [String: String] {
  var texts: [String: String] = [:]
  for entry in ["Sources", "Tests"] {
    for file in try FileManager.default.subpathsOfDirectory(atPath: root + "/" + entry) {
      let path = entry + "/" + file
      if let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8) {
        texts[path] = text
      }
    }
  }
  for file in ["book.md", "README.md"] {
    texts[file] = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
  }
  return texts
}

/// The lines of each solution's body (between its markers), trimmed, that give the solution
/// away: longer than 20 characters (`}` or `return y` are everywhere and prove nothing) and
/// found nowhere else in the package's Sources/, Tests/ or README.md (a line such as
/// `for c in 0..<channels {` that other code shares is no answer either).
private func solutionBodyLines(of project: BookProject) throws -> [(name: String, line: String)] {
  var body: [(name: String, line: String)] = []
  var elsewhere: Set<String> = []
  let files = project.sourceFiles()
  let tests = try FileManager.default.subpathsOfDirectory(
    atPath: project.root.appendingPathComponent("Tests").path
  ).filter { $0.hasSuffix(".swift") }.map { "Tests/" + $0 }
  let solutions = Dictionary(uniqueKeysWithValues: try project.solutions())
  for file in files + tests + ["README.md"] {
    let text = try String(contentsOf: project.root.appendingPathComponent(file), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var inside = Set<Int>()
    for region in solutions[file] ?? [] {
      for index in region.lines.lowerBound..<(region.lines.upperBound - 1) {
        let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
        if trimmed.count > 20 { body.append((region.name, trimmed)) }
      }
      inside.formUnion((region.lines.lowerBound - 1)...(region.lines.upperBound - 1))
    }
    for (index, line) in lines.enumerated() where !inside.contains(index) {
      elsewhere.insert(line.trimmingCharacters(in: .whitespaces))
    }
  }
  return body.filter { !elsewhere.contains($0.line) }
}

/// The lines of `body` that some file of the handout at `root` contains, with where.
private func leakedLines(
  of body: [(name: String, line: String)], into root: String
) throws -> [String] {
  let texts = try handoutTexts(in: root)
  return body.compactMap { name, line in
    texts.first(where: { $0.value.contains(line) }).map { "\(name): \(line) in \($0.key)" }
  }
}

@Suite("Book: the exercise copy")
struct BookExerciseTests {
  @Test func solutionBecomesFatalErrorWithTheHintAndItsCheckpoint() throws {
    let source = """
      func twice(_ x: Int) -> Int {
        // BEGIN SOLUTION twice: multiply by "two"
        let y = x + x
        return y
        // END SOLUTION
      }
      """
    let expected = """
      func twice(_ x: Int) -> Int {
        // Exercise twice, checked by `swift test --filter Chapter09`:
        // multiply by "two"
        fatalError("Exercise twice: multiply by \\"two\\"")
      }
      """
    let exercise = try exerciseVersion(of: source, file: "T.swift") { region in
      #expect(region.name == "twice" && region.hint == "multiply by \"two\"")
      return "swift test --filter Chapter09"
    }
    #expect(exercise == expected)
    #expect(try exerciseVersion(of: source, file: "T.swift") { _ in nil } == source)
  }

  @Test func markerMayNameItsChapter() throws {
    let regions = try solutionRegions(
      in: "// BEGIN SOLUTION a-b (chapter 3): h: with a colon\n// END SOLUTION", file: "T.swift")
    #expect(regions.map(\.name) == ["a-b"])
    #expect(regions.map(\.chapter) == [3])
    #expect(regions.map(\.hint) == ["h: with a colon"])
  }

  @Test(arguments: [
    ("// BEGIN SOLUTION a: h\n// BEGIN SOLUTION b: h\n// END SOLUTION", "inside"),
    ("// BEGIN SOLUTION a: h\nlet x = 1", "never ended"),
    ("// END SOLUTION", "without a BEGIN"),
    ("// BEGIN SOLUTION nameonly\n// END SOLUTION", "name: hint"),
    ("// BEGIN SOLUTION a (ch 3): h\n// END SOLUTION", "(chapter N)"),
    ("// BEGIN SOLUTION (chapter 3): h\n// END SOLUTION", "needs a name"),
  ])
  func malformedSolutionsAreRejected(source: String, message: String) {
    #expect {
      try solutionRegions(in: source, file: "T.swift")
    } throws: { error in
      (error as? BookError)?.description.contains(message) == true
    }
  }

  /// A tiny package: `shown` sits in an excerpt of chapter 2, `unshown` names chapter 1.
  /// The chapter-2 copy removes `shown` only, and its book shows the placeholder.
  @Test func chapterCopyRemovesOnlyThatChaptersSolutions() throws {
    let source = """
      // book: f
      func f() -> Int {
        // BEGIN SOLUTION shown: return the answer
        return 6 * 7 * 1 * 1 * 1
        // END SOLUTION
      }
      // book: end
      func g() -> Int {
        // BEGIN SOLUTION unshown (chapter 1): return one
        return 1 + 0 + 0 + 0 + 0 + 0
        // END SOLUTION
      }
      """
    let book = """
      ## Preface
      ## Chapter 1: one
      ## Chapter 2: two
      <!-- excerpt: Sources/M/A.swift#f -->
      ```swift
      \(try sourceRegions(in: source, file: "A.swift")["f"]!.code)
      ```
      ## References
      """
    try withTemporaryDirectory { root in
      try write(["Sources/M/A.swift": source, "book.md": book], into: root)
      let project = try BookProject(root: URL(fileURLWithPath: root))
      #expect(try project.exerciseChapters() == ["shown": 2, "unshown": 1])
      let copy = URL(fileURLWithPath: root + "/copy")
      #expect(try project.writeExerciseCopy(to: copy, chapter: 2) == 1)
      let copied = try String(contentsOfFile: root + "/copy/Sources/M/A.swift", encoding: .utf8)
      #expect(!copied.contains("6 * 7") && copied.contains("1 + 0 + 0"))
      let studentBook = try String(contentsOfFile: root + "/copy/book.md", encoding: .utf8)
      #expect(studentBook.contains("fatalError(\"Exercise shown: return the answer\")"))
      #expect(studentBook.contains("checked by `swift test --filter Chapter02`"))
      #expect(!studentBook.contains("6 * 7"))
      #expect(try BookProject(root: copy).problems().isEmpty)
      #expect(throws: BookError.self) { try project.writeExerciseCopy(to: copy, chapter: 5) }
    }
  }

  @Test(arguments: [
    ("// BEGIN SOLUTION s: h", "shown in no chapter"),
    ("// BEGIN SOLUTION s (chapter 4): h", "which the book does not have"),
  ])
  func regionWithoutAChapterIsRejected(marker: String, message: String) throws {
    try withTemporaryDirectory { root in
      try write(
        ["Sources/M/A.swift": "\(marker)\n// END SOLUTION", "book.md": "## Chapter 1: one"],
        into: root)
      #expect {
        try BookProject(root: URL(fileURLWithPath: root)).exerciseChapters()
      } throws: { error in
        (error as? BookError)?.description.contains(message) == true
      }
    }
  }

  /// The package's own solutions parse, their names are unique, each belongs to exactly one
  /// of the book's chapters, and every chapter has at least four, so that its checkpoint
  /// grades more than one idea.
  @Test func everyPackageSolutionBelongsToOneChapter() throws {
    let project = try BookProject(root: packageRoot)
    let names = try project.solutions().flatMap { $0.regions.map(\.name) }
    let chapters = try project.exerciseChapters()
    #expect(Set(chapters.keys) == Set(names))
    let bookChapters = project.chapters()
    #expect(chapters.values.allSatisfy { bookChapters.contains($0) }, "\(chapters)")
    for chapter in bookChapters {
      let count = chapters.values.filter { $0 == chapter }.count
      #expect(count >= 4, "chapter \(chapter) has \(count) exercises")
    }
  }

  /// The handout with every chapter's exercises: no line of a solution's body appears in any
  /// file a student reads, the student's book shows each exercise an excerpt contains as its
  /// placeholder, and the book check passes there.
  @Test func handoutShowsNoSolutionBody() throws {
    let project = try BookProject(root: packageRoot)
    let body = try solutionBodyLines(of: project)
    let solutions = try project.solutions().flatMap(\.regions)
    // Most solutions have a line of their own to look for.
    #expect(Set(body.map(\.name)).count * 10 >= solutions.count * 9)
    let shown = solutions.filter { $0.chapter == nil }
    try withTemporaryDirectory { root in
      try project.writeExerciseCopy(to: URL(fileURLWithPath: root))
      let leaks = try leakedLines(of: body, into: root)
      #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
      let book = try String(contentsOfFile: root + "/book.md", encoding: .utf8)
      let unshown = shown.filter { !book.contains("fatalError(\"Exercise \($0.name): ") }
      #expect(unshown.isEmpty, "the student's book lacks \(unshown.map(\.name))")
      let problems = try BookProject(root: URL(fileURLWithPath: root)).problems()
      #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
  }

  /// Chapter 3's handout hides chapter 3's solutions and keeps every other chapter's.
  @Test func chapterHandoutHidesOnlyItsOwnSolutions() throws {
    let project = try BookProject(root: packageRoot)
    let chapters = try project.exerciseChapters()
    let body = try solutionBodyLines(of: project)
    try withTemporaryDirectory { root in
      try project.writeExerciseCopy(to: URL(fileURLWithPath: root), chapter: 3)
      let leaks = try leakedLines(of: body.filter { chapters[$0.name] == 3 }, into: root)
      #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
      let others = body.filter { chapters[$0.name] != 3 }
      let kept = try leakedLines(of: others, into: root)
      #expect(kept.count == others.count)
    }
  }
}
