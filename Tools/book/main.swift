// The book's tooling: `book excerpts` refreshes book.md's code blocks from Sources/;
// `book check` lists what is out of date; `book exercises` writes the classroom copy;
// `book checkpoint N` grades chapter N's exercises; `book exercises-check-each` proves each
// exercise tested; `book html` renders the book as a website and `book site-check` checks
// its links.
import ArgumentParser
import BookKit
import BookSite
import Foundation

struct Book: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Keeps book.md in step with the sources.",
    subcommands: [
      Excerpts.self, Check.self, Exercises.self, Checkpoint.self, ExercisesCheckEach.self,
      HTML.self, SiteCheck.self,
    ])
}

struct Excerpts: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Rewrites every excerpt code block of book.md from its marked source region.")

  @Option(help: "The package root.") var root = "."

  func run() throws {
    let project = try BookProject(root: URL(fileURLWithPath: root))
    let refreshed = try refreshedBook(project.book, regions: project.region)
    let path = project.root.appendingPathComponent("book.md")
    if refreshed != project.book {
      try refreshed.write(to: path, atomically: true, encoding: .utf8)
      print("book.md: excerpts rewritten from Sources/")
    } else {
      print("book.md: excerpts already match Sources/")
    }
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Lists excerpts that drifted, unknown regions, unused regions, missing figures.")

  @Option(help: "The package root.") var root = "."

  func run() throws {
    let problems = try BookProject(root: URL(fileURLWithPath: root)).problems()
    problems.forEach { print($0) }
    if !problems.isEmpty { throw ExitCode.failure }
    print("book.md: excerpts and figures are in step")
  }
}

struct Exercises: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Writes the exercise copy of the package: each solution becomes a fatalError.")

  @Option(help: "The package root.") var root = "."
  @Option(help: "The folder to write (its .build is kept).") var output = "exercises"
  @Option(help: "Remove only this chapter's solutions (default: every chapter's).")
  var chapter: Int?
  @Option(help: "Remove only this one solution, by name.") var only: String?

  func run() throws {
    let project = try BookProject(root: URL(fileURLWithPath: root))
    let count = try project.writeExerciseCopy(
      to: URL(fileURLWithPath: output), chapter: chapter, only: only)
    let scope = only ?? chapter.map { "chapter \($0)'s" } ?? "every chapter's"
    print("\(output): the package with \(count) exercises to solve (\(scope))")
  }
}

struct Checkpoint: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Grades a chapter: each exercise's tests in a process of their own, as a table.")

  @Argument(help: "The chapter.") var chapter: Int
  @Option(help: "The package root (the classroom copy, or the solved package).") var root = "."
  @Option(help: "Grade only this exercise (repeatable).") var exercise: [String] = []

  func run() throws {
    let folder = URL(fileURLWithPath: root)
    let project = try BookProject(root: folder)
    printProgress("checkpoint \(chapter): building the package and its tests")
    let rows = try project.checkpoint(
      chapter: chapter, only: exercise.isEmpty ? nil : Set(exercise),
      runner: TestRunner(folder: folder)
    ) { printProgress("checkpoint \(chapter): running \($0)") }
    print(checkpointReport(chapter: chapter, rows: rows))
    if !rows.allSatisfy(\.isSolved) { throw ExitCode.failure }
  }
}

struct ExercisesCheckEach: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exercises-check-each",
    abstract: "For each exercise, a copy without only its solution must fail a tagged test.")

  @Option(help: "The package root.") var root = "."
  @Option(help: "The folder to rewrite for each exercise (its .build is kept).")
  var output = "exercises"
  @Option(help: "Check only this exercise (repeatable).") var exercise: [String] = []
  @Option(help: "Check only this many exercises, a different set each day.") var rotate: Int?
  @Option(help: "Also check every exercise of the files changed since this git revision.")
  var changedSince: String?

  func run() throws {
    let project = try BookProject(root: URL(fileURLWithPath: root))
    let all = try project.exerciseList().map(\.name)
    var names = exercise.isEmpty ? all : exercise
    if let rotate {
      let day = Int(Date().timeIntervalSince1970 / 86_400)
      names = BookProject.rotatingSubset(of: all, count: rotate, day: day)
    }
    if let changedSince {
      let changed = try project.exerciseNames(inFiles: changedFiles(since: changedSince))
      names = all.filter { names.contains($0) || changed.contains($0) }
    }
    let start = Date()
    var unproven: [String] = []
    for (index, name) in names.enumerated() {
      let proof = try project.prove(name, in: URL(fileURLWithPath: output))
      let failing = proof.tests.filter { !proof.passed.contains($0.id) }.map(\.name)
      let verdict =
        proof.isProven
        ? "\(failing.count) of \(proof.tests.count) tagged tests fail without it"
        : "NOT TESTED: its \(proof.tests.count) tagged tests pass without it"
      // Written at once, not buffered: each line as it is known, though standard output is
      // a file or a pipe.
      FileHandle.standardOutput.write(
        Data(
          ("[\(index + 1)/\(names.count)] \(name) (chapter \(proof.chapter)): \(verdict) "
            + "(build \(Int(proof.buildSeconds)) s, tests \(Int(proof.testSeconds)) s)\n").utf8))
      if !proof.isProven { unproven.append(name) }
    }
    let minutes = Date().timeIntervalSince(start) / 60
    print(
      "exercises-check-each: \(names.count - unproven.count) of \(names.count) exercises "
        + "proven tested in \(String(format: "%.1f", minutes)) min"
        + (unproven.isEmpty ? "" : "; not tested: \(unproven.joined(separator: ", "))"))
    if !unproven.isEmpty { throw ExitCode.failure }
  }

  /// The files `git diff` names between `revision` and the work tree; none when git cannot
  /// tell (a copy without history), which leaves the other selections.
  func changedFiles(since revision: String) -> Set<String> {
    let git = Process()
    let pipe = Pipe()
    git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    git.arguments = ["git", "-C", root, "diff", "--name-only", revision, "--", "Sources"]
    git.standardOutput = pipe
    git.standardError = FileHandle.nullDevice
    guard (try? git.run()) != nil else { return [] }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    git.waitUntilExit()
    guard git.terminationStatus == 0 else { return [] }
    return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
  }
}

/// A line on standard error, so that standard output holds only the report.
func printProgress(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

struct HTML: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "html",
    abstract: "Renders book.md as a website: a page per chapter, the figures and the sounds.")

  @Option(help: "The package root.") var root = "."
  @Option(help: "The folder to write (replaced if it holds a site written before).")
  var output = "site"

  func run() throws {
    let project = try BookProject(root: URL(fileURLWithPath: root))
    let site = BookSite(book: project.book)
    try site.write(to: URL(fileURLWithPath: output), assetsFrom: project.root)
    print(
      "\(output): \(site.outline.pages.count + 1) pages (index.html and one per `## ` heading), "
        + "\(site.assets.count) figures and sounds; open \(output)/index.html")
  }
}

struct SiteCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "site-check",
    abstract: "Fails when a page of the site links or loads a file or an anchor it lacks.")

  @Option(help: "The site folder.") var site = "site"

  func run() throws {
    let report = try checkSite(in: URL(fileURLWithPath: site))
    report.problems.forEach { print($0) }
    if !report.problems.isEmpty || report.pages == 0 { throw ExitCode.failure }
    print("\(site): \(report.pages) pages, \(report.targets) links and sources, all resolve")
  }
}

Book.main()
