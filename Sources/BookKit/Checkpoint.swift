import Foundation

// A chapter's graded checkpoint. `swift test --filter Chapter03` stops at the first unsolved
// exercise, whose fatalError ends the process and every test after it; the checkpoint instead
// runs each exercise's tests (those tagged with it) in a process of their own, so that every
// exercise is graded, then the chapter's other tests in one more.

/// One row of a checkpoint: an exercise (or the chapter's untagged tests), its tests and
/// which of them passed.
public struct CheckpointRow: Sendable {
  /// The exercise's name; nil for the row of the chapter's tests that check no one exercise.
  public let exercise: String?
  public let hint: String
  public let tests: [ListedTest]
  /// The identifiers of the tests that passed.
  public let passed: Set<String>
  /// Whether the tests' process stopped before they all ended.
  public let stopped: Bool
  /// The exercises whose placeholder's `fatalError` stopped it.
  public let stoppedBy: [String]

  public init(
    exercise: String?, hint: String, tests: [ListedTest], passed: Set<String>,
    stopped: Bool = false, stoppedBy: [String] = []
  ) {
    self.exercise = exercise
    self.hint = hint
    self.tests = tests
    self.passed = passed
    self.stopped = stopped
    self.stoppedBy = stoppedBy
  }

  /// Whether every test of the row passed (and there is one).
  public var isSolved: Bool { !tests.isEmpty && tests.allSatisfy { passed.contains($0.id) } }
}

/// An exercise as the checkpoint grades it.
public struct Exercise: Codable, Equatable, Sendable {
  public let name: String
  public let chapter: Int
  public let hint: String

  public init(name: String, chapter: Int, hint: String) {
    self.name = name
    self.chapter = chapter
    self.hint = hint
  }
}

extension BookProject {
  /// The file of a handout that lists its exercises, since the markers of those removed are
  /// gone from its sources (and the student's code replaces their placeholders).
  static let exerciseListFile = "exercises.json"

  /// Every exercise in the order of their files and lines: from the handout's list when the
  /// root has one, else from the solution markers.
  public func exerciseList() throws -> [Exercise] {
    let list = root.appendingPathComponent(Self.exerciseListFile)
    if let data = FileManager.default.contents(atPath: list.path) {
      do {
        return try JSONDecoder().decode([Exercise].self, from: data)
      } catch {
        throw BookError("\(list.path): not a list of exercises: \(error)")
      }
    }
    let chapters = try exerciseChapters()
    return try solutions().flatMap(\.regions).compactMap { region in
      chapters[region.name].map { Exercise(name: region.name, chapter: $0, hint: region.hint) }
    }
  }

  /// Grades chapter `n` in the package `runner` builds and runs (this one, or a copy): for
  /// each exercise, the chapter's tests tagged with it in one process; then the chapter's
  /// tests that no exercise tags in one more.
  ///
  /// - Parameters:
  ///   - only: the exercises to grade, all of the chapter's when nil (then the untagged
  ///     row too).
  ///   - build: whether to build the package and its tests first.
  ///   - progress: called with each row's name before its tests run.
  /// - Throws: `BookError` when the build or the listing fails, or when an exercise has no
  ///   tagged test in its chapter.
  public func checkpoint(
    chapter n: Int, only: Set<String>? = nil, runner: TestRunner, build: Bool = true,
    progress: (String) -> Void = { _ in }
  ) throws -> [CheckpointRow] {
    let all = try exerciseList()
    guard all.contains(where: { $0.chapter == n }) else {
      throw BookError("chapter \(n) has no exercises")
    }
    let exercises = all.filter { $0.chapter == n && (only?.contains($0.name) ?? true) }
    if build { try runner.build() }
    let tests = try runner.listTests().filter { $0.belongs(toChapter: n) }
    var rows: [CheckpointRow] = []
    for exercise in exercises {
      let tag = exerciseTag(exercise.name)
      let tagged = tests.filter { $0.tags.contains(tag) }
      guard !tagged.isEmpty else {
        throw BookError("exercise \(exercise.name): no test of chapter \(n) carries .\(tag)")
      }
      progress("the tests of \(exercise.name)")
      let run = try runner.runApart(tagged)
      rows.append(
        CheckpointRow(
          exercise: exercise.name, hint: exercise.hint, tests: tagged, passed: run.passed,
          stopped: run.stopped, stoppedBy: run.stoppedBy))
    }
    if only == nil {
      let tags = Set(all.map { exerciseTag($0.name) })
      let others = tests.filter { $0.tags.isDisjoint(with: tags) }
      progress("the chapter's other tests")
      let run = try runner.runApart(others)
      rows.append(
        CheckpointRow(
          exercise: nil, hint: "they use the exercises: they pass once those are solved",
          tests: others, passed: run.passed, stopped: run.stopped, stoppedBy: run.stoppedBy))
    }
    return rows
  }
}

extension TestRunner {
  /// Runs `tests` in one process and, when a crash stopped it, each test that did not pass
  /// again in a process of its own, so that a crash fails only the test that crashed.
  public func runApart(_ tests: [ListedTest]) throws -> TestRun {
    let together = try run(tests)
    guard together.stopped, tests.count > 1 else { return together }
    var passed = together.passed
    var stoppedBy = Set(together.stoppedBy)
    for test in tests where !passed.contains(test.id) {
      let alone = try run([test])
      passed.formUnion(alone.passed)
      stoppedBy.formUnion(alone.stoppedBy)
    }
    return TestRun(passed: passed, stopped: true, stoppedBy: stoppedBy.sorted())
  }
}

/// The checkpoint as a table: each exercise, each of its tests passed or failed, and under
/// an unsolved exercise its hint (and whether a test stopped the process).
///
///     Chapter 2 checkpoint: 5 of 6 exercises solved
///
///     exercise       result       tests
///     hann-window    solved       ✔ periodicHannMatchesTorchValues()
///     ...
public func checkpointReport(chapter n: Int, rows: [CheckpointRow]) -> String {
  let graded = rows.filter { $0.exercise != nil }
  let solved = graded.filter(\.isSolved).count
  var lines = ["Chapter \(n) checkpoint: \(solved) of \(graded.count) exercises solved", ""]
  let nameWidth = max(rows.map { ($0.exercise ?? "other tests").count }.max() ?? 0, 8) + 2
  let resultWidth = 13
  func cell(_ text: String, _ width: Int) -> String {
    text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0)
  }
  lines.append(cell("exercise", nameWidth) + cell("result", resultWidth) + "tests")
  for row in rows where !row.tests.isEmpty {
    let result =
      row.isSolved
      ? (row.exercise == nil ? "passed" : "solved")
      : "\(row.passed.count) of \(row.tests.count) pass"
    for (index, test) in row.tests.enumerated() {
      let mark = row.passed.contains(test.id) ? "✔" : "✘"
      let left =
        index == 0
        ? cell(row.exercise ?? "other tests", nameWidth) + cell(result, resultWidth)
        : String(repeating: " ", count: nameWidth + resultWidth)
      lines.append(left + mark + " " + test.name)
    }
    let indent = String(repeating: " ", count: nameWidth)
    if !row.isSolved {
      if !row.stoppedBy.isEmpty {
        let names = row.stoppedBy.joined(separator: ", ")
        lines.append(indent + "stopped by the fatalError of \(names), still to write")
      } else if row.stopped {
        lines.append(indent + "a test crashed the process (a trap)")
      }
      lines.append(indent + (row.exercise == nil ? "" : "hint: ") + row.hint)
    }
  }
  return lines.joined(separator: "\n")
}
