// The book's tooling: `book excerpts` refreshes book.md's code blocks from Sources/;
// `book check` lists what is out of date; `book exercises` writes the classroom copy;
// `book html` renders the book as a website and `book site-check` checks its links.
import ArgumentParser
import BookKit
import BookSite
import Foundation

struct Book: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Keeps book.md in step with the sources.",
    subcommands: [Excerpts.self, Check.self, Exercises.self, HTML.self, SiteCheck.self])
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

  func run() throws {
    let project = try BookProject(root: URL(fileURLWithPath: root))
    let count = try project.writeExerciseCopy(to: URL(fileURLWithPath: output), chapter: chapter)
    let scope = chapter.map { "chapter \($0)'s" } ?? "every chapter's"
    print("\(output): the package with \(count) exercises to solve (\(scope))")
  }
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
