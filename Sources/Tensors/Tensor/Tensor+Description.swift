import Foundation

extension Tensor: CustomStringConvertible {
  /// The shape and the values as nested brackets, NumPy style. Tensors with more than
  /// 1000 values show the first and last three entries of each axis around `...`.
  ///
  ///     Tensor [2, 3]
  ///     [[1, 2, 3],
  ///      [4, 5, 6]]
  public var description: String {
    let abbreviate = count > 1000
    let strides = contiguousStrides(shape)
    let p = storage.pointer
    func format(_ x: Float) -> String {
      String(format: "%.4g", Double(x))
    }
    // The entries shown along an axis of `size`: all of them, or 3 + gap + 3.
    func shown(_ size: Int) -> [Int?] {
      abbreviate && size > 6 ? [0, 1, 2, nil, size - 3, size - 2, size - 1] : (0..<size).map { $0 }
    }
    func render(axis: Int, offset: Int) -> String {
      if axis == rank { return withExtendedLifetime(self) { format(p[offset]) } }
      let indent = String(repeating: " ", count: axis + 1)
      let separator =
        axis == rank - 1
        ? ", " : ",\n" + String(repeating: "\n", count: max(0, rank - axis - 2)) + indent
      let items = shown(shape[axis]).map { index in
        index.map { render(axis: axis + 1, offset: offset + $0 * strides[axis]) } ?? "..."
      }
      return "[" + items.joined(separator: separator) + "]"
    }
    return "Tensor \(shape)\n" + render(axis: 0, offset: 0)
  }
}
