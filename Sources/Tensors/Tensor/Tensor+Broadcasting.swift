/// The shape that two shapes broadcast to, by NumPy's rules; stops naming both shapes when
/// they do not broadcast.
///
/// Align the shapes at their last axis (the shorter one padded with 1s in front); each pair
/// of sizes must be equal or contain a 1, and the result takes the larger.
/// `[4, 1, 3]` and `[5, 1]` broadcast to `[4, 5, 3]`.
/// See <https://numpy.org/doc/stable/user/basics.broadcasting.html>.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
  let rank = max(a.count, b.count)
  var result = [Int](repeating: 1, count: rank)
  for axis in 0..<rank {
    let i = axis - (rank - a.count)
    let j = axis - (rank - b.count)
    let sizeA = i >= 0 ? a[i] : 1
    let sizeB = j >= 0 ? b[j] : 1
    check(
      sizeA == sizeB || sizeA == 1 || sizeB == 1,
      "shapes \(a) and \(b) do not broadcast: sizes \(sizeA) and \(sizeB) at axis \(axis)")
    result[axis] = sizeA == 1 ? sizeB : sizeA
  }
  return result
}

/// The strides that read a tensor of `shape` as if it had the (broadcast) shape `target`:
/// the row-major strides of `shape`, right-aligned to `target`, with 0 along every axis
/// where `shape` has size 1 or no axis at all, so that the same value is read again.
///
/// `[3, 1]` read as `[2, 3, 4]` has strides `[0, 1, 0]`.
func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
  // BEGIN SOLUTION broadcast-strides (chapter 3): from the last axis; stride 0 where the size is 1
  var strides = [Int](repeating: 0, count: target.count)
  let offset = target.count - shape.count
  var stride = 1
  for axis in shape.indices.reversed() {
    strides[offset + axis] = shape[axis] == 1 ? 0 : stride
    stride *= shape[axis]
  }
  return strides
  // END SOLUTION
}

/// The elementwise operations on two tensors.
public enum BinaryOperation: Sendable {
  case add, subtract, multiply, divide
}

extension Tensor {
  // book: broadcast-kernel
  /// out[i] = op(a[i'], b[i'']) over the broadcast shape, where i' and i'' are `i` read
  /// through each operand's broadcast strides. `out` holds `elementCount(shape)` values and
  /// may be `a` or `b` itself (each value is read before it is written).
  @inline(__always)
  static func broadcastLoop(
    _ a: Tensor, _ b: Tensor, shape: [Int], into out: UnsafeMutablePointer<Float>,
    _ op: (Float, Float) -> Float
  ) {
    let pa = a.storage.pointer
    let pb = b.storage.pointer
    let n = elementCount(shape)
    // The common cases first: equal shapes, or one operand a single value.
    if a.shape == b.shape {
      for i in 0..<n { out[i] = op(pa[i], pb[i]) }
    } else if b.count == 1 {
      let y = pb[0]
      for i in 0..<n { out[i] = op(pa[i], y) }
    } else if a.count == 1 {
      let x = pa[0]
      for i in 0..<n { out[i] = op(x, pb[i]) }
    } else {
      let loop = StridedLoop(
        shape: shape, stridesA: broadcastStrides(of: a.shape, to: shape),
        stridesB: broadcastStrides(of: b.shape, to: shape))
      let (length, sa, sb) = (loop.rowLength, loop.rowStrideA, loop.rowStrideB)
      loop.forEachRow { offsetA, offsetB, offsetOut in
        for j in 0..<length {
          out[offsetOut + j] = op(pa[offsetA + j * sa], pb[offsetB + j * sb])
        }
      }
    }
  }
  // book: end

  /// Writes `op(a, b)` (broadcast) into `out`, reusing its storage when it already has the
  /// broadcast shape and is not shared: no allocation in a loop that repeats the call.
  public static func apply(
    _ operation: BinaryOperation, _ a: Tensor, _ b: Tensor, into out: inout Tensor
  ) {
    let shape = broadcastShape(a.shape, b.shape)
    out.prepareForOverwrite(shape: shape)
    let p = out.storage.pointer
    // One specialised loop per operation: the closure is inlined into each.
    withExtendedLifetime((a, b)) {
      switch operation {
      case .add: broadcastLoop(a, b, shape: shape, into: p) { $0 + $1 }
      case .subtract: broadcastLoop(a, b, shape: shape, into: p) { $0 - $1 }
      case .multiply: broadcastLoop(a, b, shape: shape, into: p) { $0 * $1 }
      case .divide: broadcastLoop(a, b, shape: shape, into: p) { $0 / $1 }
      }
    }
  }

  /// `op(a, b)` broadcast to a new tensor.
  public static func applying(_ operation: BinaryOperation, _ a: Tensor, _ b: Tensor) -> Tensor {
    var out = Tensor(uninitializedShape: [])
    apply(operation, a, b, into: &out)
    return out
  }

  /// Updates this tensor in place with `op(self, other)`; `other` must broadcast to this
  /// tensor's shape (it is never the other way round).
  public mutating func apply(_ operation: BinaryOperation, _ other: Tensor) {
    check(
      broadcastShape(shape, other.shape) == shape,
      "in-place operation: shape \(other.shape) does not broadcast to \(shape)")
    makeUnique()
    let p = storage.pointer
    let a = self
    withExtendedLifetime((a, other)) {
      switch operation {
      case .add: Tensor.broadcastLoop(a, other, shape: shape, into: p) { $0 + $1 }
      case .subtract: Tensor.broadcastLoop(a, other, shape: shape, into: p) { $0 - $1 }
      case .multiply: Tensor.broadcastLoop(a, other, shape: shape, into: p) { $0 * $1 }
      case .divide: Tensor.broadcastLoop(a, other, shape: shape, into: p) { $0 / $1 }
      }
    }
  }

  public static func + (a: Tensor, b: Tensor) -> Tensor { applying(.add, a, b) }
  public static func - (a: Tensor, b: Tensor) -> Tensor { applying(.subtract, a, b) }
  public static func * (a: Tensor, b: Tensor) -> Tensor { applying(.multiply, a, b) }
  public static func / (a: Tensor, b: Tensor) -> Tensor { applying(.divide, a, b) }

  public static func + (a: Tensor, b: Float) -> Tensor { applying(.add, a, Tensor(b)) }
  public static func - (a: Tensor, b: Float) -> Tensor { applying(.subtract, a, Tensor(b)) }
  public static func * (a: Tensor, b: Float) -> Tensor { applying(.multiply, a, Tensor(b)) }
  public static func / (a: Tensor, b: Float) -> Tensor { applying(.divide, a, Tensor(b)) }
  public static func + (a: Float, b: Tensor) -> Tensor { applying(.add, Tensor(a), b) }
  public static func - (a: Float, b: Tensor) -> Tensor { applying(.subtract, Tensor(a), b) }
  public static func * (a: Float, b: Tensor) -> Tensor { applying(.multiply, Tensor(a), b) }
  public static func / (a: Float, b: Tensor) -> Tensor { applying(.divide, Tensor(a), b) }

  public static prefix func - (a: Tensor) -> Tensor { applying(.multiply, a, Tensor(-1)) }

  public static func += (a: inout Tensor, b: Tensor) { a.apply(.add, b) }
  public static func -= (a: inout Tensor, b: Tensor) { a.apply(.subtract, b) }
  public static func *= (a: inout Tensor, b: Tensor) { a.apply(.multiply, b) }
  public static func /= (a: inout Tensor, b: Tensor) { a.apply(.divide, b) }
  public static func += (a: inout Tensor, b: Float) { a.apply(.add, Tensor(b)) }
  public static func -= (a: inout Tensor, b: Float) { a.apply(.subtract, Tensor(b)) }
  public static func *= (a: inout Tensor, b: Float) { a.apply(.multiply, Tensor(b)) }
  public static func /= (a: inout Tensor, b: Float) { a.apply(.divide, Tensor(b)) }

  /// self += alpha · other, in place, for two tensors of the same shape (gradient
  /// accumulation and optimiser updates).
  public mutating func add(_ other: Tensor, scaledBy alpha: Float) {
    check(shape == other.shape, "add(_:scaledBy:): shapes \(shape) and \(other.shape) differ")
    makeUnique()
    let p = storage.pointer
    let q = other.storage.pointer
    withExtendedLifetime(other) {
      for i in 0..<count { p[i] += alpha * q[i] }
    }
  }
}

/// The inner product Σᵢ a[i]·b[i] of two tensors of the same shape, accumulated in Double.
public func dot(_ a: Tensor, _ b: Tensor) -> Double {
  check(a.shape == b.shape, "dot: shapes \(a.shape) and \(b.shape) differ")
  return a.withUnsafeBufferPointer { x in
    b.withUnsafeBufferPointer { y in
      var sum = 0.0
      for i in x.indices { sum += Double(x[i]) * Double(y[i]) }
      return sum
    }
  }
}

/// The largest absolute difference between two tensors of the same shape, divided by the
/// largest magnitude in `expected`: how far a fast computation is from its reference.
public func relativeDifference(_ observed: Tensor, _ expected: Tensor) -> Float {
  check(
    observed.shape == expected.shape,
    "relativeDifference: shapes \(observed.shape) and \(expected.shape) differ")
  return observed.withUnsafeBufferPointer { o in
    expected.withUnsafeBufferPointer { e in
      var difference: Float = 0
      var scale: Float = 0
      for i in o.indices {
        let d = abs(o[i] - e[i])
        // A NaN anywhere is a failure, not a value to skip.
        if d.isNaN { return .nan }
        difference = max(difference, d)
        scale = max(scale, abs(e[i]))
      }
      return scale > 0 ? difference / scale : difference
    }
  }
}
