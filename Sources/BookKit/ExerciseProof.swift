import Foundation

// Each exercise proven tested: in a copy of the package with only that one solution removed,
// at least one of its chapter's tests tagged with it must fail. A solution whose removal no
// test notices would be an exercise the checkpoint cannot grade. One folder is rewritten for
// every exercise in turn, in the order of their files, so that each build recompiles only
// the file that changed since the one before.

/// What removing one solution did to its tests.
public struct ExerciseProof: Sendable {
  public let exercise: String
  public let chapter: Int
  /// Its chapter's tests tagged with it, and the ones that still passed without it.
  public let tests: [ListedTest]
  public let passed: Set<String>
  /// Seconds spent writing and building the copy, and running the tests.
  public let buildSeconds: Double
  public let testSeconds: Double

  /// Whether some test failed without the solution.
  public var isProven: Bool { passed.count < tests.count }
}

extension BookProject {
  /// `count` of `names`, the same for a whole day and the next ones the day after: day d
  /// takes the names from index d · count on, wrapping round, so that every name is taken
  /// within ⌈names / count⌉ days.
  public static func rotatingSubset(of names: [String], count: Int, day: Int) -> [String] {
    guard !names.isEmpty, count > 0 else { return [] }
    let start = (day * count) % names.count
    return (0..<min(count, names.count)).map { names[(start + $0) % names.count] }
  }

  /// The solutions of the source files `files` (paths relative to the root).
  public func exerciseNames(inFiles files: Set<String>) throws -> [String] {
    try solutions().filter { files.contains($0.file) }.flatMap(\.regions).map(\.name)
  }

  /// Writes into `folder` the package with only solution `name` removed, builds it, and runs
  /// its chapter's tests tagged with it.
  public func prove(_ name: String, in folder: URL) throws -> ExerciseProof {
    let start = Date()
    try writeExerciseCopy(to: folder, only: name)
    guard let chapter = try exerciseChapters()[name] else {
      throw BookError("no solution is named \(name)")
    }
    let runner = TestRunner(folder: folder)
    try runner.build()
    let built = Date()
    let row = try checkpoint(chapter: chapter, only: [name], runner: runner, build: false)[0]
    return ExerciseProof(
      exercise: name, chapter: chapter, tests: row.tests, passed: row.passed,
      buildSeconds: built.timeIntervalSince(start), testSeconds: Date().timeIntervalSince(built))
  }
}
