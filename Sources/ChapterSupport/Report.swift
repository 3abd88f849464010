import Foundation

/// A table printed with aligned columns, as the chapters report their measurements.
///
///     var table = Table(["n", "time (ms)", "GFLOP/s"])
///     table.add(["512", "1.20", "223.7"])
///     table.print()
public struct Table {
  public let header: [String]
  public private(set) var rows: [[String]] = []

  public init(_ header: [String]) { self.header = header }

  public mutating func add(_ row: [String]) {
    precondition(
      row.count == header.count, "a row has \(row.count) cells, the header \(header.count)")
    rows.append(row)
  }

  /// The table as text: columns right-aligned, the first left-aligned, a rule under the header.
  public var text: String {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return c == 0 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
  }

  public func print() { Swift.print(text) }
}

/// Formats a number with a fixed count of decimals: `fixed(3.14159, 2)` is "3.14".
public func fixed(_ value: Double, _ decimals: Int) -> String {
  String(format: "%.\(decimals)f", value)
}

/// Formats a number with a fixed count of decimals: `fixed(Float(3.14159), 2)` is "3.14".
public func fixed(_ value: Float, _ decimals: Int) -> String {
  fixed(Double(value), decimals)
}

/// Prints a chapter section heading, underlined.
public func section(_ title: String) {
  Swift.print("\n\(title)\n\(String(repeating: "=", count: title.count))")
}
