import Foundation
import Random
import Synchronization

/// How many tensor buffers have been allocated so far.
private let storageAllocations = Atomic<Int>(0)

/// The number of tensor buffers (storages) allocated by this process so far: a training loop
/// that reuses its buffers leaves it unchanged from one step to the next.
public var tensorAllocationCount: Int { storageAllocations.load(ordering: .relaxed) }

/// A per-thread count of allocations, kept in the thread's slot for this key.
private let threadAllocationsKey: pthread_key_t = {
  var key = pthread_key_t()
  pthread_key_create(&key, nil)
  return key
}()

/// The number of tensor buffers allocated by the calling thread so far: what a test that
/// runs beside other tests can check, since they allocate on their own threads.
public var tensorAllocationCountOnThisThread: Int {
  Int(bitPattern: pthread_getspecific(threadAllocationsKey))
}

/// The memory behind one or more tensors: `count` Float32 values, 64-byte aligned.
///
/// Tensors share a storage until one of them writes (copy on write, see `Tensor`).
final class TensorStorage: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int

  /// Storage for `count` values, left uninitialised: the caller writes every value.
  init(uninitializedCount count: Int) {
    self.count = count
    // 64 bytes: a cache line, and the widest SIMD load; at least one value so that the
    // pointer is never dangling for an empty tensor.
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    storageAllocations.add(1, ordering: .relaxed)
    // The count is stored in the slot itself, as a pointer-sized integer.
    pthread_setspecific(
      threadAllocationsKey, UnsafeRawPointer(bitPattern: tensorAllocationCountOnThisThread + 1))
  }

  convenience init(repeating value: Float, count: Int) {
    self.init(uninitializedCount: count)
    pointer.initialize(repeating: value, count: count)
  }

  func copy() -> TensorStorage {
    let copy = TensorStorage(uninitializedCount: count)
    copy.pointer.update(from: pointer, count: count)
    return copy
  }

  deinit { pointer.deallocate() }
}

/// Stops the program with `message` when `condition` fails, in every build configuration:
/// the one check of shapes for tensors, the graph and the layers.
///
/// Shape errors are programming errors: continuing would read or write out of bounds.
/// Unlike `precondition`, this stays active under `-Ounchecked`.
@inline(__always)
public func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}

// book: tensor
/// An n-dimensional array of Float32 values, stored contiguously in row-major order.
///
/// `Tensor` has value semantics: `var b = a` shares the storage until one of them writes,
/// and the writer then copies (copy on write). Element `[i₀, i₁, …, iₙ₋₁]` of a tensor of
/// shape `[d₀, d₁, …, dₙ₋₁]` lives at offset `Σₖ iₖ·strideₖ` with
/// `strideₖ = dₖ₊₁ · … · dₙ₋₁`: the last index varies fastest.
public struct Tensor: Sendable {
  /// The size of each axis, outermost first; `[]` is a scalar.
  public internal(set) var shape: [Int]
  var storage: TensorStorage

  /// The number of values: the product of the shape.
  public var count: Int { storage.count }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// Makes the storage unique before a write, copying it if another tensor shares it.
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
  }
}
// book: end

extension Tensor {
  /// A tensor of `shape` whose values the caller must all write before reading.
  init(uninitializedShape shape: [Int]) {
    self.shape = shape
    storage = TensorStorage(uninitializedCount: elementCount(shape))
  }

  /// A tensor of `shape` with every value `value`.
  public init(shape: [Int], repeating value: Float) {
    self.shape = shape
    storage = TensorStorage(repeating: value, count: elementCount(shape))
  }

  /// A tensor of `shape` holding `values` in row-major order.
  public init(_ values: [Float], shape: [Int]) {
    check(
      values.count == elementCount(shape),
      "Tensor: \(values.count) values cannot fill shape \(shape)")
    self.init(uninitializedShape: shape)
    values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: count) }
  }

  /// A scalar tensor (shape `[]`).
  public init(_ value: Float) {
    self.init(shape: [], repeating: value)
  }

  /// A tensor of zeros.
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

  /// A tensor of ones.
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

  /// Values drawn independently from N(mean, standardDeviation²) by `generator`
  /// (Box–Muller), in row-major order.
  public static func normal(
    _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    generator: inout Xoshiro256
  ) -> Tensor {
    let tensor = Tensor(uninitializedShape: shape)
    let p = tensor.storage.pointer
    for i in 0..<tensor.count {
      p[i] = mean + standardDeviation * Float(generator.normal())
    }
    return tensor
  }

  /// Values drawn from N(mean, standardDeviation²) by a fresh `Xoshiro256(seed: seed)`.
  public static func normal(
    _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, seed: UInt64
  ) -> Tensor {
    var generator = Xoshiro256(seed: seed)
    return normal(shape, mean: mean, standardDeviation: standardDeviation, generator: &generator)
  }

  /// Values drawn independently and uniformly from `[low, high)` by `generator`.
  public static func uniform(
    _ shape: [Int], low: Float = 0, high: Float = 1, generator: inout Xoshiro256
  ) -> Tensor {
    let tensor = Tensor(uninitializedShape: shape)
    let p = tensor.storage.pointer
    for i in 0..<tensor.count {
      p[i] = Float(generator.uniform(Double(low), Double(high)))
    }
    return tensor
  }

  /// Values drawn uniformly from `[low, high)` by a fresh `Xoshiro256(seed: seed)`.
  public static func uniform(
    _ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64
  ) -> Tensor {
    var generator = Xoshiro256(seed: seed)
    return uniform(shape, low: low, high: high, generator: &generator)
  }
}

// MARK: - Access

extension Tensor {
  /// The values in row-major order, copied into an array.
  public var scalars: [Float] {
    Array(UnsafeBufferPointer(start: storage.pointer, count: count))
  }

  /// The only value of a tensor with one element.
  public var scalar: Float {
    check(count == 1, "Tensor.scalar: shape \(shape) has \(count) values, not 1")
    return storage.pointer[0]
  }

  /// The row-major offset of a multi-index, checked against the shape.
  func offset(of index: [Int]) -> Int {
    check(index.count == rank, "Tensor: index \(index) does not fit shape \(shape)")
    var offset = 0
    for (i, size) in zip(index, shape) {
      check(i >= 0 && i < size, "Tensor: index \(index) is out of bounds for shape \(shape)")
      offset = offset * size + i
    }
    return offset
  }

  /// The value at a multi-index, e.g. `t[1, 2]`; slow, for tests and small examples.
  public subscript(index: Int...) -> Float {
    get { storage.pointer[offset(of: index)] }
    set {
      makeUnique()
      storage.pointer[offset(of: index)] = newValue
    }
  }

  /// Calls `body` with the values in row-major order, for reading in hot loops.
  public func withUnsafeBufferPointer<R>(
    _ body: (UnsafeBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    // The storage lives at least as long as `self`, which outlives the call.
    try withExtendedLifetime(storage) {
      try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }
  }

  /// Calls `body` with the values in row-major order for writing, first copying the storage
  /// if another tensor shares it.
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    makeUnique()
    return try withExtendedLifetime(storage) {
      try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }
  }

  /// Makes this tensor a unique, writable tensor of `shape` whose old values may be
  /// discarded: keeps the storage when it is unshared and of the right size, so that an
  /// output reused across iterations is allocated once.
  public mutating func prepareForOverwrite(shape newShape: [Int]) {
    let needed = elementCount(newShape)
    if needed != count || !isKnownUniquelyReferenced(&storage) {
      storage = TensorStorage(uninitializedCount: needed)
    }
    if shape != newShape { shape = newShape }
  }

  /// Sets every value to `value`, in place.
  public mutating func fill(with value: Float) {
    prepareForOverwrite(shape: shape)
    storage.pointer.update(repeating: value, count: count)
  }
}

extension Tensor: Equatable {
  /// Equal shapes and equal values (so a tensor containing NaN is not equal to itself).
  public static func == (a: Tensor, b: Tensor) -> Bool {
    guard a.shape == b.shape else { return false }
    for i in 0..<a.count where a.storage.pointer[i] != b.storage.pointer[i] { return false }
    return true
  }
}

/// The number of values of a tensor of `shape`: the product of its sizes.
public func elementCount(_ shape: [Int]) -> Int {
  var count = 1
  for size in shape {
    check(size >= 0, "Tensor: shape \(shape) has a negative size")
    count *= size
  }
  return count
}

/// The row-major strides of `shape`: how far apart in storage consecutive indices of each
/// axis are. `[2, 3, 4]` has strides `[12, 4, 1]`.
public func contiguousStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var stride = 1
  for axis in shape.indices.reversed() {
    strides[axis] = stride
    stride *= shape[axis]
  }
  return strides
}
