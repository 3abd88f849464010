import BookKit
import Foundation
import Testing

/// Every `.tags(…)` list of the test files of chapter `n`, as the tag names it holds.
private func tagsUsed(inChapter n: Int) throws -> Set<String> {
  let folder = packageRoot.appendingPathComponent("Tests/AudioPriorTests")
  var used: Set<String> = []
  for file in try FileManager.default.contentsOfDirectory(atPath: folder.path)
  where file.hasPrefix(checkpointName(chapter: n)) && file.hasSuffix(".swift") {
    let text = try String(
      contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    for list in text.matches(of: /\.tags\(([^)]*)\)/) {
      for tag in list.1.split(separator: ",") {
        used.insert(String(tag.trimmingCharacters(in: .whitespaces).dropFirst()))
      }
    }
  }
  return used
}

/// Two suites and three tests in the form `swift test list` writes them, the suite's tag
/// listed on the suite only.
private let listing = #"""
  {"kind":"test","payload":{"_tags":[".betaGamma"],"id":"T.three()\/T.swift:8:2","kind":"function","name":"three()"},"version":"6.3.0"}
  {"kind":"test","payload":{"_tags":[".alpha"],"id":"T.S","kind":"suite","name":"S"},"version":"6.3.0"}
  {"kind":"test","payload":{"id":"T.S\/one()\/T.swift:5:4","kind":"function","name":"one()"},"version":"6.3.0"}
  {"kind":"test","payload":{"_tags":[".betaGamma"],"id":"T.S\/Inner\/two(x:)\/T.swift:7:4","kind":"function","name":"two(x:)"},"version":"6.3.0"}
  {"kind":"test","payload":{"id":"T.S\/Inner","kind":"suite","name":"Inner"},"version":"6.3.0"}
  {"kind":"test","payload":{"id":"T.SS\/four()\/T.swift:9:4","kind":"function","name":"four()"},"version":"6.3.0"}
  """#

@Suite("Book: exercise tags and checkpoints")
struct BookExerciseTagTests {
  /// ExerciseTags.swift declares exactly one tag per solution in Sources/, and some test of
  /// the solution's chapter carries it: a solution no test names fails here.
  @Test func everySolutionHasATagThatATestOfItsChapterCarries() throws {
    let project = try BookProject(root: packageRoot)
    let exercises = try project.exerciseList()
    let declarations = try String(
      contentsOf: packageRoot.appendingPathComponent("Tests/AudioPriorTests/ExerciseTags.swift"),
      encoding: .utf8)
    let declared = declarations.matches(of: /@Tag static var (\w+): Self/).map { String($0.1) }
    #expect(declared.count == Set(declared).count, "a tag is declared twice")
    let expected = Set(exercises.map { exerciseTag($0.name) })
    #expect(
      Set(declared).subtracting(expected).isEmpty,
      "tags that name no solution: \(Set(declared).subtracting(expected).sorted())")
    #expect(
      expected.subtracting(declared).isEmpty,
      "solutions without a tag: \(expected.subtracting(declared).sorted())")
    for chapter in Set(exercises.map(\.chapter)).sorted() {
      let used = try tagsUsed(inChapter: chapter)
      let untested = exercises.filter {
        $0.chapter == chapter && !used.contains(exerciseTag($0.name))
      }
      #expect(
        untested.isEmpty,
        "chapter \(chapter): no test carries the tag of \(untested.map(\.name))")
    }
  }

  @Test(arguments: [
    ("hann-window", "hannWindow"), ("si-sdr", "siSdr"), ("im2col", "im2col"),
    ("gemm-micro-kernel", "gemmMicroKernel"),
  ])
  func exerciseTagIsTheNameInLowerCamelCase(name: String, tag: String) {
    #expect(exerciseTag(name) == tag)
  }

  /// A test carries its own tags and those of every suite around it, and only those: `T.SS`
  /// begins with `T.S` but is another suite.
  @Test func listedTestsCarryTheTagsOfTheirSuites() throws {
    let tests = try listedTests(fromEventStream: listing)
    let tags = Dictionary(uniqueKeysWithValues: tests.map { ($0.name, $0.tags) })
    #expect(
      tags == [
        "three()": ["betaGamma"], "one()": ["alpha"],
        "two(x:)": ["alpha", "betaGamma"], "four()": [],
      ])
    #expect(throws: BookError.self) { try listedTests(fromEventStream: "not json") }
  }

  /// The filter, as a regular expression, finds each named identifier and no other.
  @Test func testFilterMatchesExactlyTheNamedTests() throws {
    let ids = try listedTests(fromEventStream: listing).map(\.id)
    let chosen = [ids[0], ids[2]]
    let filter = try NSRegularExpression(pattern: testFilter(matching: chosen))
    for id in ids {
      let found = filter.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil
      #expect(found == chosen.contains(id), "\(id)")
    }
  }

  @Test func testsBelongToTheChapterTheirSuiteNames() {
    let test = ListedTest(
      id: "AudioPriorTests.Chapter02SpectralTests/parsevalHolds()/F.swift:1:1",
      name: "parsevalHolds()", tags: [])
    #expect(test.belongs(toChapter: 2) && !test.belongs(toChapter: 3))
  }

  /// The report counts solved exercises, marks each test, and gives the hint of each
  /// unsolved exercise only, saying when a test stopped the process.
  @Test func reportMarksEachTestAndHintsAtEachUnsolvedExercise() {
    let one = ListedTest(id: "T.S/one()", name: "one()", tags: ["a"])
    let two = ListedTest(id: "T.S/two()", name: "two()", tags: ["b"])
    let three = ListedTest(id: "T.S/three()", name: "three()", tags: [])
    let report = checkpointReport(
      chapter: 2,
      rows: [
        CheckpointRow(exercise: "a", hint: "hint of a", tests: [one], passed: [one.id]),
        CheckpointRow(
          exercise: "b", hint: "hint of b", tests: [two], passed: [], stopped: true,
          stoppedBy: ["c"]),
        CheckpointRow(exercise: nil, hint: "", tests: [three], passed: [three.id]),
      ])
    let lines = report.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(lines.first == "Chapter 2 checkpoint: 1 of 2 exercises solved")
    #expect(lines.contains { $0.hasPrefix("a ") && $0.hasSuffix("✔ one()") })
    #expect(
      lines.contains { $0.hasPrefix("b ") && $0.contains("0 of 1 pass") && $0.hasSuffix("✘ two()") }
    )
    #expect(lines.contains("hint: hint of b") && !lines.contains("hint: hint of a"))
    #expect(lines.filter { $0 == "stopped by the fatalError of c, still to write" }.count == 1)
    #expect(lines.contains { $0.hasPrefix("other tests") && $0.hasSuffix("✔ three()") })
  }

  /// Every name comes round within ⌈names / count⌉ days, `count` a day.
  @Test(arguments: [1, 3, 7]) func rotatingSubsetsCoverEveryNameInTurn(count: Int) {
    let names = (0..<37).map { "e\($0)" }
    let days = (names.count + count - 1) / count
    var seen: Set<String> = []
    for day in 1000..<(1000 + days) {
      let subset = BookProject.rotatingSubset(of: names, count: count, day: day)
      #expect(subset.count == count)
      seen.formUnion(subset)
    }
    #expect(seen == Set(names))
  }

  /// `only` removes one solution; the copy lists every exercise with its chapter and hint,
  /// so its checkpoint knows them though the removed one's markers are gone.
  @Test func oneSolutionCopyRemovesOnlyItAndListsEveryExercise() throws {
    let source = """
      func f() -> Int {
        // BEGIN SOLUTION first (chapter 1): return six times seven
        return 6 * 7 * 1 * 1 * 1
        // END SOLUTION
      }
      func g() -> Int {
        // BEGIN SOLUTION second (chapter 1): return one
        return 1 + 0 + 0 + 0 + 0 + 0
        // END SOLUTION
      }
      """
    try withTemporaryDirectory { root in
      let sourceFile = URL(fileURLWithPath: root + "/Sources/M/A.swift")
      try FileManager.default.createDirectory(
        at: sourceFile.deletingLastPathComponent(), withIntermediateDirectories: true)
      try source.write(to: sourceFile, atomically: true, encoding: .utf8)
      try "## Chapter 1: one".write(
        toFile: root + "/book.md", atomically: true, encoding: .utf8)
      let project = try BookProject(root: URL(fileURLWithPath: root))
      let copy = URL(fileURLWithPath: root + "/copy")
      #expect(try project.writeExerciseCopy(to: copy, only: "second") == 1)
      let copied = try String(contentsOfFile: root + "/copy/Sources/M/A.swift", encoding: .utf8)
      #expect(copied.contains("6 * 7") && !copied.contains("1 + 0 + 0"))
      #expect(
        try BookProject(root: copy).exerciseList() == [
          Exercise(name: "first", chapter: 1, hint: "return six times seven"),
          Exercise(name: "second", chapter: 1, hint: "return one"),
        ])
      #expect(throws: BookError.self) { try project.writeExerciseCopy(to: copy, only: "third") }
    }
  }
}
