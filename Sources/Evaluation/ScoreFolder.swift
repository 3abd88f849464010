import Audio
import Foundation

// Scores computed outside Swift (wideband PESQ, by `make pesq DIR=...`) read the items and
// the outputs as files: `DIR/clean/NAME.wav` for each item's clean segment and
// `DIR/METHOD/NAME.wav` for each method's output, NAME being the item's `name`. The files are
// 32-bit float WAV, so that an output louder than full scale reaches the scorer unclipped.

extension EvaluationSet {
  /// Writes every item's clean segment as `directory/clean/NAME.wav` (mono, 16 kHz, float),
  /// making the folders that are missing.
  /// - Throws: `EvaluationError.invalidArgument` when two items have the same name or a
  ///   folder cannot be made, `.audio` when a file cannot be written.
  public func writeClean(to directory: String) throws(EvaluationError) {
    try write(items.map(\.clean), folder: "clean", in: directory)
  }

  /// Writes a method's outputs as `directory/METHOD/NAME.wav` (mono, 16 kHz, float), beside
  /// the clean segments of `writeClean(to:)`.
  ///
  /// - Parameters:
  ///   - outputs: `outputs[i]` is the method's output for `items[i]`.
  ///   - method: the folder's name; not `clean`.
  /// - Throws: `EvaluationError.invalidArgument` when the counts differ, the method is
  ///   called `clean` or contains a `/`, two items have the same name or a folder cannot be
  ///   made; `.audio` when a file cannot be written.
  public func write(outputs: [[Float]], method: String, to directory: String)
    throws(EvaluationError)
  {
    guard outputs.count == items.count else {
      throw .invalidArgument(
        argument: method, reason: "\(outputs.count) outputs for \(items.count) items")
    }
    guard method != "clean", !method.isEmpty, !method.contains("/") else {
      throw .invalidArgument(
        argument: "method", reason: "'\(method)' cannot name a folder beside clean/")
    }
    try write(outputs, folder: method, in: directory)
  }

  private func write(_ signals: [[Float]], folder: String, in directory: String)
    throws(EvaluationError)
  {
    let names = items.map(\.name)
    guard Set(names).count == names.count else {
      throw .invalidArgument(argument: "items", reason: "two items share a name")
    }
    let path = URL(fileURLWithPath: directory).appendingPathComponent(folder)
    do {
      try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
    } catch {
      throw .invalidArgument(argument: path.path, reason: "cannot make the folder: \(error)")
    }
    try wrappingErrors {
      for (name, signal) in zip(names, signals) {
        try AudioFile.write(
          AudioBuffer(mono: signal, sampleRate: 16_000),
          to: path.appendingPathComponent(name + ".wav").path, format: .float32)
      }
    }
  }
}
