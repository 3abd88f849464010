import Autograd
import Foundation
import Tensors

/// Named tensors and a step count in one binary file: the parameters of a network and the
/// state of its optimiser, so that a fit can stop and resume exactly where it was.
///
/// The format (all integers and floats little-endian):
///
///     magic     4 bytes   "APCK"
///     version   UInt32    1
///     step      UInt64    the optimiser's step count (0 for parameters alone)
///     count     UInt32    the number of tensors, then for each:
///       name    UInt32 length, then that many bytes of UTF-8
///       rank    UInt32, then rank × UInt64 sizes
///       values  Float32 × the product of the sizes, row-major
///
/// Files are written to a temporary name and renamed, so a crash never leaves half a file.
public struct Checkpoint {
  /// The optimiser's step count.
  public var step: Int
  /// The tensors, in the order they are stored.
  public var tensors: [(name: String, tensor: Tensor)]

  static let magic: [UInt8] = Array("APCK".utf8)
  static let version: UInt32 = 1

  public init(step: Int = 0, tensors: [(name: String, tensor: Tensor)]) {
    self.step = step
    self.tensors = tensors
  }

  /// The tensors by name.
  public var byName: [String: Tensor] {
    Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
  }

  /// Writes the checkpoint to `path` (through a temporary file, then a rename).
  public func write(to path: String) throws(CheckpointError) {
    var data = Data()
    data.append(contentsOf: Checkpoint.magic)
    data.appendLittleEndian(Checkpoint.version)
    data.appendLittleEndian(UInt64(step))
    data.appendLittleEndian(UInt32(tensors.count))
    for (name, tensor) in tensors {
      let bytes = Array(name.utf8)
      data.appendLittleEndian(UInt32(bytes.count))
      data.append(contentsOf: bytes)
      data.appendLittleEndian(UInt32(tensor.rank))
      for size in tensor.shape { data.appendLittleEndian(UInt64(size)) }
      tensor.withUnsafeBufferPointer { values in
        for value in values { data.appendLittleEndian(value.bitPattern) }
      }
    }
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw .cannotWrite(path: path, reason: error.localizedDescription)
    }
  }

  /// Reads a checkpoint written by `write(to:)`.
  /// - Throws: `CheckpointError` naming the path and what is wrong with it.
  public init(contentsOf path: String) throws(CheckpointError) {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .cannotRead(path: path, reason: error.localizedDescription)
    }
    var reader = ByteReader(bytes: [UInt8](data), path: path)
    guard try reader.bytes(4) == Checkpoint.magic else { throw .notACheckpoint(path: path) }
    let version: UInt32 = try reader.integer()
    guard version == Checkpoint.version else {
      throw .unsupportedVersion(path: path, version: Int(version))
    }
    step = Int(try reader.integer() as UInt64)
    let count: UInt32 = try reader.integer()
    tensors = []
    for _ in 0..<count {
      let length: UInt32 = try reader.integer()
      guard let name = String(bytes: try reader.bytes(Int(length)), encoding: .utf8) else {
        throw .corrupt(path: path, reason: "a tensor name is not UTF-8")
      }
      let rank: UInt32 = try reader.integer()
      var shape: [Int] = []
      for _ in 0..<rank { shape.append(Int(try reader.integer() as UInt64)) }
      let count = shape.reduce(1, *)
      guard count >= 0, count <= reader.remaining / 4 else {
        throw .corrupt(
          path: path, reason: "tensor \(name) of shape \(shape) runs past the end of the file")
      }
      var values = [Float](repeating: 0, count: count)
      for i in 0..<count { values[i] = Float(bitPattern: try reader.integer()) }
      tensors.append((name: name, tensor: Tensor(values, shape: shape)))
    }
    guard reader.remaining == 0 else {
      throw .corrupt(path: path, reason: "\(reader.remaining) bytes after the last tensor")
    }
  }
}

/// Why a checkpoint could not be written or read.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
  case cannotWrite(path: String, reason: String)
  case cannotRead(path: String, reason: String)
  case notACheckpoint(path: String)
  case unsupportedVersion(path: String, version: Int)
  case corrupt(path: String, reason: String)
  case missingTensor(path: String, name: String)
  case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason):
      return "cannot write checkpoint \(path): \(reason)"
    case .cannotRead(let path, let reason):
      return "cannot read checkpoint \(path): \(reason)"
    case .notACheckpoint(let path):
      return "\(path) is not a checkpoint (it does not start with \"APCK\")"
    case .unsupportedVersion(let path, let version):
      return "checkpoint \(path) has format version \(version); this program reads version "
        + "\(Checkpoint.version)"
    case .corrupt(let path, let reason):
      return "checkpoint \(path) is damaged: \(reason)"
    case .missingTensor(let path, let name):
      return "checkpoint \(path) has no tensor named \(name)"
    case .shapeMismatch(let path, let name, let expected, let found):
      return "checkpoint \(path): tensor \(name) has shape \(found), the model needs \(expected)"
    }
  }
}

// MARK: - Parameters and optimiser state

extension Module {
  /// Writes the parameters to `path` (step 0, no optimiser state).
  public func saveParameters(to path: String) throws(CheckpointError) {
    try Checkpoint(tensors: parameters.map { (name: $0.name, tensor: $0.variable.value) })
      .write(to: path)
  }

  /// Replaces every parameter's value with the one saved under its name at `path`.
  public func loadParameters(from path: String) throws(CheckpointError) {
    try restoreParameters(parameters, from: Checkpoint(contentsOf: path).byName, path: path)
  }
}

extension Optimizer {
  /// Writes the parameters, the optimiser state and the step count to `path`: everything
  /// needed to continue the fit as if it had never stopped.
  public func save(to path: String) throws(CheckpointError) {
    let values = parameters.map { (name: $0.name, tensor: $0.variable.value) }
    try Checkpoint(step: stepCount, tensors: values + state).write(to: path)
  }

  /// Restores the parameters, the optimiser state and the step count saved at `path`.
  /// Nothing is changed unless every tensor is present with the right shape.
  public func load(from path: String) throws(CheckpointError) {
    let checkpoint = try Checkpoint(contentsOf: path)
    let saved = checkpoint.byName
    // Check the parameters before changing anything, then the state (restore checks it).
    for (name, variable) in parameters {
      _ = try restoredTensor(saved, name, shape: variable.shape, path: path)
    }
    try restore(state: saved, stepCount: checkpoint.step, path: path)
    try restoreParameters(parameters, from: saved, path: path)
  }
}

/// Sets each parameter to the saved tensor of its name, after checking all of them.
func restoreParameters(
  _ parameters: [(name: String, variable: Variable)], from saved: [String: Tensor],
  path: String
) throws(CheckpointError) {
  var values: [Tensor] = []
  for (name, variable) in parameters {
    values.append(try restoredTensor(saved, name, shape: variable.shape, path: path))
  }
  for ((_, variable), value) in zip(parameters, values) { variable.value = value }
}

// MARK: - Bytes

extension Data {
  fileprivate mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }
}

/// Reads a byte array front to back, throwing when it runs out.
private struct ByteReader {
  let bytes: [UInt8]
  let path: String
  var position = 0

  var remaining: Int { bytes.count - position }

  mutating func bytes(_ count: Int) throws(CheckpointError) -> [UInt8] {
    guard count >= 0, count <= remaining else {
      throw .corrupt(path: path, reason: "the file ends early, at byte \(bytes.count)")
    }
    defer { position += count }
    return Array(bytes[position..<(position + count)])
  }

  mutating func integer<T: FixedWidthInteger>() throws(CheckpointError) -> T {
    let size = MemoryLayout<T>.size
    guard size <= remaining else {
      throw .corrupt(path: path, reason: "the file ends early, at byte \(bytes.count)")
    }
    var value: T = 0
    for k in 0..<size { value |= T(bytes[position + k]) << (8 * k) }
    position += size
    return value
  }
}
