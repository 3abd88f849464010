import ArgumentParser
import Audio
import Foundation

// An archive as a job array of an existing scheduler (Slurm, Kubernetes): every task reads
// the same list, takes its share of it by `--shard I/N`, and after a crash runs again with
// `--skip-existing` to do only what is not yet done.

/// The inputs of a list file: one path a line, surrounding spaces removed; blank lines and
/// lines that start with `#` are left out.
func listedInputs(in path: String) throws(CommandError) -> [String] {
  let text: String
  do {
    text = try String(contentsOfFile: path, encoding: .utf8)
  } catch {
    throw CommandError("--list \(path): cannot read the list (\(error.localizedDescription))")
  }
  return text.split(separator: "\n", omittingEmptySubsequences: true)
    .map { $0.trimmingCharacters(in: .whitespaces) }
    .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

/// Part `index` of `count` of a list: `--shard I/N` takes the items at positions
/// I, I + N, I + 2N, … (from 0), so that the N parts cover the list exactly once and, in a
/// list sorted by anything, each part gets its share of every kind.
struct Shard: ExpressibleByArgument, Equatable {
  let index: Int
  let count: Int

  init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  init?(argument: String) {
    let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
      count >= 1, (0..<count).contains(index)
    else { return nil }
    self.init(index: index, count: count)
  }

  /// The items of this part, in their order.
  func items<T>(of list: [T]) -> [T] {
    list.enumerated().filter { $0.offset % count == index }.map(\.element)
  }
}

/// Whether `file`'s output is there and complete: libsndfile reads it and finds the channels,
/// the rate and the number of frames of `input`, as a finished run writes it. An output cut
/// short, or a file that is not audio, is not complete; a run's temporary files carry other
/// names and never count.
func hasCompleteOutput(_ file: PlannedFile, input: AudioFileReader) -> Bool {
  guard let output = try? AudioFileReader(file.output) else { return false }
  return output.channels == input.channels && output.sampleRate == input.sampleRate
    && output.announcedFrames == input.announcedFrames
}
