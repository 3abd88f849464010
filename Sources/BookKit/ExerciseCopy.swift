import Foundation

/// One `// BEGIN SOLUTION name: hint` … `// END SOLUTION` region of a source file.
///
/// A region that no excerpt of the book shows names its chapter in the marker,
/// `// BEGIN SOLUTION name (chapter N): hint`; the others take the chapter that shows them.
public struct SolutionRegion: Equatable, Sendable {
  public let name: String
  public let hint: String
  /// The chapter the marker names, if it names one.
  public let chapter: Int?
  /// 1-based line numbers of the BEGIN and END markers.
  public let lines: ClosedRange<Int>
}

let beginMarker = "// BEGIN SOLUTION "
let endMarker = "// END SOLUTION"

/// The solution regions of one source file, in order.
public func solutionRegions(in text: String, file: String) throws -> [SolutionRegion] {
  var regions: [SolutionRegion] = []
  var open: (name: String, hint: String, chapter: Int?, line: Int)?
  for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    if trimmed.hasPrefix(beginMarker) {
      if let region = open {
        throw BookError("\(file):\(index + 1): a solution opens inside \(region.name)")
      }
      let rest = trimmed.dropFirst(beginMarker.count)
      guard let colon = rest.firstIndex(of: ":") else {
        throw BookError("\(file):\(index + 1): write `// BEGIN SOLUTION name: hint`")
      }
      var name = rest[..<colon].trimmingCharacters(in: .whitespaces)
      let hint = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      var chapter: Int?
      if let paren = name.firstIndex(of: "(") {
        let words = name[paren...].dropFirst().split(separator: " ")
        guard name.hasSuffix(")"), words.count == 2, words[0] == "chapter",
          let number = Int(words[1].dropLast())
        else {
          throw BookError(
            "\(file):\(index + 1): write `// BEGIN SOLUTION name (chapter N): hint`")
        }
        chapter = number
        name = name[..<paren].trimmingCharacters(in: .whitespaces)
      }
      if name.isEmpty || hint.isEmpty {
        throw BookError("\(file):\(index + 1): a solution needs a name and a hint")
      }
      open = (name, hint, chapter, index + 1)
    } else if trimmed.hasPrefix(endMarker) {
      guard let region = open else {
        throw BookError("\(file):\(index + 1): `// END SOLUTION` without a BEGIN")
      }
      regions.append(
        SolutionRegion(
          name: region.name, hint: region.hint, chapter: region.chapter,
          lines: region.line...(index + 1)))
      open = nil
    }
  }
  if let region = open {
    throw BookError("\(file):\(region.line): solution \(region.name) is never ended")
  }
  return regions
}

/// The exercise version of a source file: each solution region to remove, markers included,
/// becomes what the student starts from, at the marker's indentation:
///
///     // Exercise name, checked by `swift test --filter Chapter02`:
///     // hint
///     fatalError("Exercise name: hint")
///
/// - Parameter checkpoint: the command whose tests check a region, or nil for a region that
///   stays solved (markers and all).
public func exerciseVersion(
  of text: String, file: String, checkpoint: (SolutionRegion) -> String?
) throws -> String {
  let regions = try solutionRegions(in: text, file: file)
  var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  // Replace from the end so that earlier line numbers stay valid.
  for region in regions.reversed() {
    guard let command = checkpoint(region) else { continue }
    let marker = lines[region.lines.lowerBound - 1]
    let indent = marker.prefix(while: { $0 == " " })
    let message = "Exercise \(region.name): \(region.hint)"
      .replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    lines.replaceSubrange(
      (region.lines.lowerBound - 1)...(region.lines.upperBound - 1),
      with: [
        "\(indent)// Exercise \(region.name), checked by `\(command)`:",
        "\(indent)// \(region.hint)",
        "\(indent)fatalError(\"\(message)\")",
      ])
  }
  return lines.joined(separator: "\n")
}
