import Foundation

/// The elementwise functions of one tensor.
public enum UnaryFunction: Sendable {
  /// eˣ
  case exp
  /// ln x (NaN for x < 0, −∞ at 0)
  case log
  /// ln(1 + x), accurate for small x
  case log1p
  /// max(x, 0)
  case relu
  /// 1 / (1 + e⁻ˣ)
  case sigmoid
  /// tanh x
  case tanh
  /// x²
  case square
  /// √x
  case sqrt
  /// |x|
  case abs
  /// −x
  case negate
}

extension Tensor {
  /// out[i] = f(x[i]); `out` may be `x` itself.
  @inline(__always)
  static func mapLoop(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
    _ f: (Float) -> Float
  ) {
    for i in 0..<count { out[i] = f(x[i]) }
  }

  /// One specialised loop per function, so that each inner loop calls its function directly.
  static func apply(
    _ function: UnaryFunction, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    count n: Int
  ) {
    switch function {
    case .exp: mapLoop(x, out, count: n) { Foundation.exp($0) }
    case .log: mapLoop(x, out, count: n) { Foundation.log($0) }
    case .log1p: mapLoop(x, out, count: n) { Foundation.log1p($0) }
    case .relu: mapLoop(x, out, count: n) { $0 > 0 ? $0 : 0 }
    // For very negative x, e⁻ˣ overflows to +∞ and the quotient is the correct 0.
    case .sigmoid: mapLoop(x, out, count: n) { 1 / (1 + Foundation.exp(-$0)) }
    case .tanh: mapLoop(x, out, count: n) { Foundation.tanh($0) }
    case .square: mapLoop(x, out, count: n) { $0 * $0 }
    case .sqrt: mapLoop(x, out, count: n) { $0.squareRoot() }
    case .abs: mapLoop(x, out, count: n) { Swift.abs($0) }
    case .negate: mapLoop(x, out, count: n) { -$0 }
    }
  }

  /// Writes `function` of every value of `x` into `out`, reusing `out`'s storage when it has
  /// `x`'s shape and is not shared.
  public static func apply(_ function: UnaryFunction, _ x: Tensor, into out: inout Tensor) {
    out.prepareForOverwrite(shape: x.shape)
    let target = out.storage.pointer
    withExtendedLifetime(x) {
      apply(function, x.storage.pointer, target, count: x.count)
    }
  }

  /// Applies `function` to every value, in place.
  public mutating func apply(_ function: UnaryFunction) {
    makeUnique()
    Tensor.apply(function, storage.pointer, storage.pointer, count: count)
  }

  /// `function` of every value, as a new tensor.
  public func applying(_ function: UnaryFunction) -> Tensor {
    var out = Tensor(uninitializedShape: shape)
    Tensor.apply(function, self, into: &out)
    return out
  }

  /// eˣ of every value.
  public func exp() -> Tensor { applying(.exp) }
  /// ln x of every value.
  public func log() -> Tensor { applying(.log) }
  /// ln(1 + x) of every value.
  public func log1p() -> Tensor { applying(.log1p) }
  /// max(x, 0) of every value.
  public func relu() -> Tensor { applying(.relu) }
  /// 1 / (1 + e⁻ˣ) of every value.
  public func sigmoid() -> Tensor { applying(.sigmoid) }
  /// tanh x of every value.
  public func tanh() -> Tensor { applying(.tanh) }

  /// `transform` of every value, as a new tensor (a closure call per value: for
  /// occasional use, not for hot loops).
  public func map(_ transform: (Float) -> Float) -> Tensor {
    let out = Tensor(uninitializedShape: shape)
    let target = out.storage.pointer
    withExtendedLifetime(self) {
      Tensor.mapLoop(storage.pointer, target, count: count, transform)
    }
    return out
  }
}
