// The book's tooling: `book excerpts` refreshes book.md's code blocks from Sources/;
// `book check` lists what is out of date.
import ArgumentParser
import BookKit
import Foundation

struct Book: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Keeps book.md in step with the sources.",
    subcommands: [Excerpts.self, Check.self])
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

Book.main()
