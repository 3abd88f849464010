extension Tensor {
  /// The same values read with a new shape of the same count; no copy is made.
  ///
  /// One size may be `-1`, meaning "whatever makes the count match":
  /// `t.reshaped([2, -1])` of a tensor with 12 values has shape `[2, 6]`.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var shape = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      var known = 1
      for (axis, size) in newShape.enumerated() where axis != inferred { known *= size }
      check(
        known > 0 && count % known == 0,
        "reshaped: shape \(self.shape) cannot be read as \(newShape)")
      shape[inferred] = count / known
    }
    check(
      elementCount(shape) == count,
      "reshaped: shape \(self.shape) (\(count) values) cannot be read as \(newShape)")
    var result = self
    result.shape = shape
    return result
  }

  /// The transpose of a matrix: `[m, n]` becomes `[n, m]`, copied into row-major order.
  public func transposed() -> Tensor {
    check(rank == 2, "transposed: shape \(shape) is not a matrix; use permuted(_:)")
    return permuted([1, 0])
  }

  /// The axes reordered: axis `i` of the result is axis `axes[i]` of this tensor, copied
  /// into row-major order. `x.permuted([0, 2, 3, 1])` turns NCHW into NHWC.
  public func permuted(_ axes: [Int]) -> Tensor {
    check(
      axes.sorted() == Array(0..<rank),
      "permuted: \(axes) is not a permutation of the axes of shape \(shape)")
    let strides = contiguousStrides(shape)
    let newShape = axes.map { shape[$0] }
    let readStrides = axes.map { strides[$0] }
    return gathered(shape: newShape, strides: readStrides)
  }

  /// This tensor repeated along its broadcast axes to fill `target`, by NumPy's rules.
  public func broadcast(to target: [Int]) -> Tensor {
    check(
      broadcastShape(shape, target) == target,
      "broadcast: shape \(shape) cannot be broadcast to \(target)")
    return gathered(shape: target, strides: broadcastStrides(of: shape, to: target))
  }

  /// A new contiguous tensor of `shape` whose element `i` is read from this tensor at the
  /// offset `Σ iₖ strides[k]`.
  func gathered(shape newShape: [Int], strides: [Int]) -> Tensor {
    let result = Tensor(uninitializedShape: newShape)
    let source = storage.pointer
    let target = result.storage.pointer
    let loop = StridedLoop(
      shape: newShape, stridesA: strides, stridesB: [Int](repeating: 0, count: newShape.count))
    let n = loop.rowLength
    let stride = loop.rowStrideA
    withExtendedLifetime(self) {
      loop.forEachRow { a, _, c in
        for j in 0..<n { target[c + j] = source[a + j * stride] }
      }
    }
    return result
  }
}
