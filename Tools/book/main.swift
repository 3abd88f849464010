// The book's tooling: `book excerpts` refreshes book.md's code blocks from Sources/;
// `book check` lists what is out of date; `book exercises` writes the classroom copy.
import ArgumentParser
import BookKit
import Foundation

struct Book: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Keeps book.md in step with the sources.",
    subcommands: [Excerpts.self, Check.self, Exercises.self])
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
  @Option(help: "The folder to write (replaced if it exists).") var output = "exercises"

  func run() throws {
    let project = try BookProject(root: URL(fileURLWithPath: root))
    let count = try project.writeExerciseCopy(to: URL(fileURLWithPath: output))
    print("\(output): the package with \(count) exercises to solve")
  }
}

Book.main()
