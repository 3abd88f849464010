import Foundation

/// A named region of a source file, between `// book: NAME` and `// book: end`.
public struct SourceRegion: Equatable, Sendable {
  public let name: String
  /// The region's lines with their common indentation removed, joined by newlines.
  public let code: String
  /// 1-based line numbers of the `// book: NAME` and `// book: end` markers.
  public let lines: ClosedRange<Int>

  public init(name: String, code: String, lines: ClosedRange<Int>) {
    self.name = name
    self.code = code
    self.lines = lines
  }
}

/// The errors the book tooling reports; each names the file and what is wrong.
public struct BookError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// The `// book: NAME` … `// book: end` regions of one source file, by name.
///
/// Regions do not nest; a name appears once per file.
public func sourceRegions(in text: String, file: String) throws -> [String: SourceRegion] {
  var regions: [String: SourceRegion] = [:]
  var open: (name: String, line: Int, lines: [Substring])?
  for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("// book:") else {
      open?.lines.append(line)
      continue
    }
    let name = trimmed.dropFirst("// book:".count).trimmingCharacters(in: .whitespaces)
    if name == "end" {
      guard let region = open else {
        throw BookError("\(file):\(index + 1): `// book: end` without a region to end")
      }
      regions[region.name] = SourceRegion(
        name: region.name, code: dedent(region.lines), lines: region.line...(index + 1))
      open = nil
    } else {
      if let region = open {
        throw BookError("\(file):\(index + 1): region \(name) opens inside \(region.name)")
      }
      if name.isEmpty || regions[name] != nil {
        throw BookError("\(file):\(index + 1): region name '\(name)' is empty or used twice")
      }
      open = (name, index + 1, [])
    }
  }
  if let region = open {
    throw BookError("\(file):\(region.line): region \(region.name) is never ended")
  }
  return regions
}

/// Removes the indentation common to all non-blank lines.
func dedent(_ lines: [Substring]) -> String {
  let indents = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map {
    $0.prefix(while: { $0 == " " }).count
  }
  let common = indents.min() ?? 0
  return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(common)) }
    .joined(separator: "\n")
}
