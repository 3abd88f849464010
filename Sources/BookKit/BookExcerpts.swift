import Foundation

/// One `<!-- excerpt: Sources/Module/File.swift#NAME -->` marker in the book and the fenced
/// code block that follows it.
public struct BookExcerpt: Equatable, Sendable {
  public let path: String
  public let name: String
  /// The code between the fences, as the book has it now.
  public let code: String
  /// Line indices (0-based) of the opening and closing fences.
  let fences: (open: Int, close: Int)

  public static func == (a: BookExcerpt, b: BookExcerpt) -> Bool {
    a.path == b.path && a.name == b.name && a.code == b.code && a.fences == b.fences
  }
}

let excerptPrefix = "<!-- excerpt: "

/// Every excerpt marker of the book, in order, with the code block under it.
public func bookExcerpts(in book: String) throws -> [BookExcerpt] {
  let lines = book.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  var excerpts: [BookExcerpt] = []
  var index = 0
  while index < lines.count {
    let line = lines[index].trimmingCharacters(in: .whitespaces)
    defer { index += 1 }
    guard line.hasPrefix(excerptPrefix), line.hasSuffix("-->") else { continue }
    let reference = line.dropFirst(excerptPrefix.count).dropLast(3)
      .trimmingCharacters(in: .whitespaces)
    let parts = reference.split(separator: "#", maxSplits: 1).map(String.init)
    guard parts.count == 2 else {
      throw BookError("book.md:\(index + 1): excerpt '\(reference)' is not PATH#NAME")
    }
    let open = index + 1
    guard open < lines.count, lines[open].hasPrefix("```") else {
      throw BookError("book.md:\(index + 1): excerpt \(reference) is not followed by ```")
    }
    guard let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else {
      throw BookError("book.md:\(open + 1): the code block of \(reference) is never closed")
    }
    let code = lines[(open + 1)..<close].joined(separator: "\n")
    excerpts.append(
      BookExcerpt(path: parts[0], name: parts[1], code: code, fences: (open, close)))
    index = close
  }
  return excerpts
}

/// The book with every excerpt's code block replaced by the current source region.
///
/// - Parameter regions: looks up a region by source path and name; throws when unknown.
public func refreshedBook(
  _ book: String, regions: (String, String) throws -> SourceRegion
) throws -> String {
  var lines = book.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  // Replace from the end so that earlier line indices stay valid.
  for excerpt in try bookExcerpts(in: book).reversed() {
    let code = try regions(excerpt.path, excerpt.name).code
    lines.replaceSubrange(
      (excerpt.fences.open + 1)..<excerpt.fences.close,
      with: code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
  }
  return lines.joined(separator: "\n")
}

/// The figure and sound paths the book shows, from Markdown images
/// `![caption](figures/NAME.png)` and links `[a clip](figures/NAME.wav)`.
public func referencedFigures(in book: String) -> [String] {
  var figures: [String] = []
  var rest = Substring(book)
  while let start = rest.range(of: "](figures/") {
    let after = rest[start.upperBound...]
    guard let end = after.firstIndex(of: ")") else { break }
    figures.append("figures/" + after[..<end])
    rest = after[end...]
  }
  return figures
}
