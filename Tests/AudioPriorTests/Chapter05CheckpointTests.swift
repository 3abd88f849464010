import Foundation
import Testing

import Autograd
import NN
import Tensors

/// A fresh path in the temporary directory.
func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("audioprior-\(UUID().uuidString)-\(name)").path
}

/// A smooth 16 × 16 target in (0.2, 0.8).
func smallTarget() -> Tensor {
  var values: [Float] = []
  for row in 0..<16 {
    for column in 0..<16 {
      values.append(Float(0.5 + 0.3 * sin(Double(row * column) / 40)))
    }
  }
  return Tensor(values, shape: [1, 1, 16, 16])
}

@Suite("Chapter 5: checkpoints")
struct Chapter05CheckpointTests {
  /// Ten steps in one go, against five steps, a save, a fresh generator and optimiser that
  /// load the file, and five more steps: the same parameters to the last bit.
  @Test func saveLoadAndContinueEqualsAnUninterruptedFit() throws {
    let target = smallTarget()
    let uninterrupted = smallGenerator(seed: 4)
    let adam = Adam(uninterrupted.parameters, learningRate: 0.01, weightDecay: 1e-4)
    for _ in 0..<10 { _ = uninterrupted.fitStep(target: target, optimizer: adam) }

    let first = smallGenerator(seed: 4)
    let firstAdam = Adam(first.parameters, learningRate: 0.01, weightDecay: 1e-4)
    for _ in 0..<5 { _ = first.fitStep(target: target, optimizer: firstAdam) }
    let path = temporaryPath("fit.apck")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try firstAdam.save(to: path)

    // Same configuration and seed (the fixed input z is not a parameter), fresh weights
    // overwritten by the load.
    let resumed = smallGenerator(seed: 4)
    let resumedAdam = Adam(resumed.parameters, learningRate: 0.01, weightDecay: 1e-4)
    try resumedAdam.load(from: path)
    #expect(resumedAdam.stepCount == 5)
    for _ in 0..<5 { _ = resumed.fitStep(target: target, optimizer: resumedAdam) }

    for (a, b) in zip(uninterrupted.parameters, resumed.parameters) {
      #expect(a.variable.value == b.variable.value, "\(a.name) differs after resuming")
    }
  }

  @Test(.tags(.sgdMomentum)) func sgdMomentumSurvivesACheckpoint() throws {
    let x = Variable(Tensor([1, 2], shape: [2]), requiresGrad: true)
    let sgd = SGD([("x", x)], learningRate: 0.1, momentum: 0.9)
    _ = minimiseSquare(x, steps: 2, optimizer: sgd)
    let path = temporaryPath("sgd.apck")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try sgd.save(to: path)
    let continued = minimiseSquare(x, steps: 1, optimizer: sgd)

    let y = Variable(Tensor([7, 7], shape: [2]), requiresGrad: true)
    let restored = SGD([("x", y)], learningRate: 0.1, momentum: 0.9)
    try restored.load(from: path)
    #expect(restored.stepCount == 2)
    #expect(minimiseSquare(y, steps: 1, optimizer: restored) == continued)
  }

  @Test func aCheckpointRoundTripsNamesShapesAndValues() throws {
    let tensors = [
      (name: "scalar", tensor: Tensor(3.5)),
      (name: "matrix", tensor: Tensor.normal([3, 4], seed: 1)),
      (name: "ünïcode.weight", tensor: Tensor.normal([2, 1, 2, 2], seed: 2)),
    ]
    let path = temporaryPath("roundtrip.apck")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Checkpoint(step: 42, tensors: tensors).write(to: path)
    let read = try Checkpoint(contentsOf: path)
    #expect(read.step == 42)
    #expect(read.tensors.map(\.name) == tensors.map(\.name))
    #expect(read.tensors.map(\.tensor) == tensors.map(\.tensor))
  }

  @Test func aMissingFileIsReportedWithItsPath() {
    let path = temporaryPath("missing.apck")
    do {
      _ = try Checkpoint(contentsOf: path)
      Issue.record("reading \(path) did not throw")
    } catch {
      guard case .cannotRead(let reported, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(reported == path)
      #expect(error.description.contains(path))
    }
  }

  @Test func aFileThatIsNotACheckpointIsRefused() throws {
    let path = temporaryPath("not.apck")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("RIFF....WAVE".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: CheckpointError.notACheckpoint(path: path)) {
      try Checkpoint(contentsOf: path)
    }
  }

  @Test func aTruncatedCheckpointIsReportedAsDamaged() throws {
    let path = temporaryPath("cut.apck")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Checkpoint(tensors: [(name: "w", tensor: Tensor.ones([100]))]).write(to: path)
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
    do {
      _ = try Checkpoint(contentsOf: path)
      Issue.record("a truncated file was read")
    } catch {
      guard case .corrupt(let reported, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(reported == path)
    }
  }

  @Test func loadingIntoAModelOfAnotherShapeNamesTheTensor() throws {
    let path = temporaryPath("shape.apck")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try smallGenerator(height: 16, width: 16).saveParameters(to: path)
    let other = smallGenerator(height: 32, width: 32)
    let before = other.parameters.map(\.variable.value)
    // 32 × 32 has three up-sampling layers: its "6.weight" is [4, 2, 4, 4], the 16 × 16
    // generator's last layer [4, 1, 4, 4]; the first mismatch in parameter order is reported.
    #expect(
      throws: CheckpointError.shapeMismatch(
        path: path, name: "6.weight", expected: [4, 2, 4, 4], found: [4, 1, 4, 4])
    ) {
      try other.loadParameters(from: path)
    }
    // Nothing was changed.
    #expect(other.parameters.map(\.variable.value) == before)
  }
}
