/// A walk over an index space in row-major order for two operands that read it through
/// their own strides (0 along an axis an operand is broadcast on), and a contiguous third.
///
/// Broadcasting, reductions and permutations all reduce to this walk: the outer axes are
/// stepped with an odometer and the innermost axis is a plain strided loop that the caller
/// writes, so the per-element work has no index arithmetic beyond one multiply-add.
struct StridedLoop {
  /// The index space after merging axes that can be walked as one.
  private(set) var shape: [Int]
  private(set) var stridesA: [Int]
  private(set) var stridesB: [Int]

  /// Merges neighbouring axes that both operands traverse contiguously with respect to each
  /// other (e.g. `[1, C, H, W]` against `[1, C, 1, 1]` becomes `[C, H·W]`), and drops axes
  /// of size 1, so that the inner loop is as long as possible.
  init(shape: [Int], stridesA: [Int], stridesB: [Int]) {
    var mergedShape: [Int] = []
    var mergedA: [Int] = []
    var mergedB: [Int] = []
    for axis in shape.indices where shape[axis] != 1 {
      if let last = mergedShape.indices.last,
        mergedA[last] == stridesA[axis] * shape[axis],
        mergedB[last] == stridesB[axis] * shape[axis]
      {
        // The outer axis continues exactly where the inner one ends, for both operands.
        mergedShape[last] *= shape[axis]
        mergedA[last] = stridesA[axis]
        mergedB[last] = stridesB[axis]
      } else {
        mergedShape.append(shape[axis])
        mergedA.append(stridesA[axis])
        mergedB.append(stridesB[axis])
      }
    }
    if mergedShape.isEmpty {
      // A single element (or an empty tensor): one row of length 1.
      mergedShape = [shape.contains(0) ? 0 : 1]
      mergedA = [0]
      mergedB = [0]
    }
    self.shape = mergedShape
    self.stridesA = mergedA
    self.stridesB = mergedB
  }

  /// The length of the innermost axis, walked by the caller.
  var rowLength: Int { shape[shape.count - 1] }
  /// Operand A's stride along the innermost axis.
  var rowStrideA: Int { stridesA[stridesA.count - 1] }
  /// Operand B's stride along the innermost axis.
  var rowStrideB: Int { stridesB[stridesB.count - 1] }

  /// Calls `body(offsetA, offsetB, offsetContiguous)` once per innermost row, with each
  /// operand's offset of the row's first element; rows come in row-major order, so the
  /// contiguous offset advances by `rowLength` each time.
  @inline(__always)
  func forEachRow(_ body: (Int, Int, Int) -> Void) {
    let outerRank = shape.count - 1
    var rows = 1
    for axis in 0..<outerRank { rows *= shape[axis] }
    if rowLength == 0 { return }
    var index = [Int](repeating: 0, count: outerRank)
    var offsetA = 0
    var offsetB = 0
    var offsetContiguous = 0
    for _ in 0..<rows {
      body(offsetA, offsetB, offsetContiguous)
      offsetContiguous += rowLength
      // Step the odometer: increment the innermost outer axis, carrying into the next.
      var axis = outerRank - 1
      while axis >= 0 {
        index[axis] += 1
        offsetA += stridesA[axis]
        offsetB += stridesB[axis]
        if index[axis] < shape[axis] { break }
        offsetA -= stridesA[axis] * shape[axis]
        offsetB -= stridesB[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
  }
}
