import Foundation

/// The book and the package it describes, read from the package root.
public struct BookProject {
  public let root: URL
  public let book: String

  public init(root: URL) throws {
    self.root = root
    let path = root.appendingPathComponent("book.md")
    guard let book = try? String(contentsOf: path, encoding: .utf8) else {
      throw BookError("\(path.path): cannot read the book")
    }
    self.book = book
  }

  /// The regions of one source file, relative to the root.
  public func regions(inFile path: String) throws -> [String: SourceRegion] {
    let url = root.appendingPathComponent(path)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw BookError("book.md names \(path), which cannot be read")
    }
    return try sourceRegions(in: text, file: path)
  }

  /// Every Swift file under Sources/, relative to the root, sorted.
  public func sourceFiles() -> [String] {
    let sources = root.appendingPathComponent("Sources")
    let walker = FileManager.default.enumerator(atPath: sources.path)
    var files: [String] = []
    while let file = walker?.nextObject() as? String {
      if file.hasSuffix(".swift") { files.append("Sources/" + file) }
    }
    return files.sorted()
  }

  /// Looks up a region by path and name, with an error naming both when there is none.
  public func region(_ path: String, _ name: String) throws -> SourceRegion {
    guard let region = try regions(inFile: path)[name] else {
      throw BookError("book.md shows \(path)#\(name), but \(path) has no region \(name)")
    }
    return region
  }

  /// Everything wrong with the book: excerpts that differ from their source, names that
  /// no source defines, source regions the book never shows, figures and sounds that do not
  /// exist.
  public func problems() throws -> [String] {
    var problems: [String] = []
    let excerpts = try bookExcerpts(in: book)
    for excerpt in excerpts {
      do {
        let region = try region(excerpt.path, excerpt.name)
        if region.code != excerpt.code {
          problems.append("\(excerpt.path)#\(excerpt.name) differs from book.md; run `make book`")
        }
      } catch let error as BookError {
        problems.append(error.description)
      }
    }
    let shown = Set(excerpts.map { "\($0.path)#\($0.name)" })
    for file in sourceFiles() {
      for name in try regions(inFile: file).keys.sorted() where !shown.contains("\(file)#\(name)") {
        problems.append("\(file)#\(name) is marked for the book but book.md never shows it")
      }
    }
    for figure in referencedFigures(in: book) {
      if !FileManager.default.fileExists(atPath: root.appendingPathComponent(figure).path) {
        problems.append("book.md shows \(figure), which does not exist; run `make figures`")
      }
    }
    return problems
  }
}
