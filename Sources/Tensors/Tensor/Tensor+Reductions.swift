extension Tensor {
  /// The axes normalised to 0..<rank (−1 is the last axis), checked and de-duplicated.
  func normalizedAxes(_ axes: [Int], _ what: String) -> Set<Int> {
    var result = Set<Int>()
    for axis in axes {
      let normalized = axis < 0 ? axis + rank : axis
      check(
        normalized >= 0 && normalized < rank,
        "\(what): axis \(axis) does not exist in shape \(shape)")
      result.insert(normalized)
    }
    return result
  }

  /// The shape after reducing `axes`: size 1 there when `keepingDimensions`, else removed.
  func reducedShape(_ axes: Set<Int>, keepingDimensions: Bool) -> [Int] {
    keepingDimensions
      ? shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
      : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
  }

  /// Sums of the values over `axes`, accumulated in Double; `transform` is applied to each
  /// value first, given the value and the index of its output.
  ///
  /// - Returns: the sums, one per element of the keep-dimensions output, and how many
  ///   values went into each.
  @inline(__always)
  func reduceSums(
    _ axes: Set<Int>, _ transform: (Float, Int) -> Double
  ) -> (sums: [Double], countPerOutput: Int) {
    let kept = reducedShape(axes, keepingDimensions: true)
    let outputCount = elementCount(kept)
    var sums = [Double](repeating: 0, count: outputCount)
    let loop = StridedLoop(
      shape: shape, stridesA: contiguousStrides(shape),
      stridesB: broadcastStrides(of: kept, to: shape))
    let (length, sa, sb) = (loop.rowLength, loop.rowStrideA, loop.rowStrideB)
    let x = storage.pointer
    withExtendedLifetime(self) {
      sums.withUnsafeMutableBufferPointer { s in
        loop.forEachRow { offsetIn, offsetOut, _ in
          for j in 0..<length {
            let o = offsetOut + j * sb
            s[o] += transform(x[offsetIn + j * sa], o)
          }
        }
      }
    }
    return (sums, outputCount == 0 ? 0 : count / outputCount)
  }

  /// The sum over `axes` (negative axes count from the end), accumulated in Double.
  /// `[2, 3]` summed along `[1]` has shape `[2]`, or `[2, 1]` when keeping dimensions.
  public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = normalizedAxes(axes, "sum")
    let (sums, _) = reduceSums(axes) { x, _ in Double(x) }
    return Tensor(
      sums.map { Float($0) }, shape: reducedShape(axes, keepingDimensions: keepingDimensions))
  }

  /// The mean over `axes`.
  public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = normalizedAxes(axes, "mean")
    let (sums, n) = reduceSums(axes) { x, _ in Double(x) }
    return Tensor(
      sums.map { Float($0 / Double(n)) },
      shape: reducedShape(axes, keepingDimensions: keepingDimensions))
  }

  /// The population variance over `axes`: the mean of (x − mean)², dividing by the number
  /// of values n (not n − 1), as batch normalisation uses it. Two passes, in Double.
  public func variance(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = normalizedAxes(axes, "variance")
    let (sums, n) = reduceSums(axes) { x, _ in Double(x) }
    let means = sums.map { $0 / Double(n) }
    let (squares, _) = means.withUnsafeBufferPointer { m in
      reduceSums(axes) { x, o in
        let d = Double(x) - m[o]
        return d * d
      }
    }
    return Tensor(
      squares.map { Float($0 / Double(n)) },
      shape: reducedShape(axes, keepingDimensions: keepingDimensions))
  }

  /// The sum of all values.
  public func sum() -> Float { sum(alongAxes: Array(0..<rank)).scalar }
  /// The mean of all values.
  public func mean() -> Float { mean(alongAxes: Array(0..<rank)).scalar }
  /// The population variance of all values.
  public func variance() -> Float { variance(alongAxes: Array(0..<rank)).scalar }

  /// The sum of this tensor over the axes along which a tensor of `target` shape was
  /// broadcast to this shape: the reverse of `broadcast(to:)`, which is how a gradient
  /// flows back through a broadcasting operation.
  /// A `[4, 5, 3]` tensor summed to `[5, 1]` sums axis 0 and axis 2.
  public func summed(toShape target: [Int]) -> Tensor {
    check(
      target.count <= rank && broadcastShape(target, shape) == shape,
      "summed(toShape:): shape \(target) does not broadcast to \(shape)")
    if target == shape { return self }
    let leading = rank - target.count
    let axes = shape.indices.filter {
      $0 < leading || (target[$0 - leading] == 1 && shape[$0] != 1)
    }
    return sum(alongAxes: axes, keepingDimensions: true).reshaped(target)
  }
}
