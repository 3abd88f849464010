import Foundation

/// One `// BEGIN SOLUTION name: hint` … `// END SOLUTION` region of a source file.
public struct SolutionRegion: Equatable, Sendable {
  public let name: String
  public let hint: String
  /// 1-based line numbers of the BEGIN and END markers.
  public let lines: ClosedRange<Int>
}

let beginMarker = "// BEGIN SOLUTION "
let endMarker = "// END SOLUTION"

/// The solution regions of one source file, in order.
public func solutionRegions(in text: String, file: String) throws -> [SolutionRegion] {
  var regions: [SolutionRegion] = []
  var open: (name: String, hint: String, line: Int)?
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
      let name = rest[..<colon].trimmingCharacters(in: .whitespaces)
      let hint = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      if name.isEmpty || hint.isEmpty {
        throw BookError("\(file):\(index + 1): a solution needs a name and a hint")
      }
      open = (name, hint, index + 1)
    } else if trimmed.hasPrefix(endMarker) {
      guard let region = open else {
        throw BookError("\(file):\(index + 1): `// END SOLUTION` without a BEGIN")
      }
      regions.append(SolutionRegion(name: region.name, hint: region.hint, lines: region.line...(index + 1)))
      open = nil
    }
  }
  if let region = open {
    throw BookError("\(file):\(region.line): solution \(region.name) is never ended")
  }
  return regions
}

/// The exercise version of a source file: each solution region, markers included, becomes
/// one line `fatalError("Exercise name: hint")` at the marker's indentation.
public func exerciseVersion(of text: String, file: String) throws -> String {
  let regions = try solutionRegions(in: text, file: file)
  var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  for region in regions.reversed() {
    let marker = lines[region.lines.lowerBound - 1]
    let indent = marker.prefix(while: { $0 == " " })
    let message = "Exercise \(region.name): \(region.hint)"
      .replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    lines.replaceSubrange(
      (region.lines.lowerBound - 1)...(region.lines.upperBound - 1),
      with: ["\(indent)fatalError(\"\(message)\")"])
  }
  return lines.joined(separator: "\n")
}
