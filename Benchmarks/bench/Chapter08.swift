// Chapter 8: the default `denoise` (the speech + noise prior, 50 iterations a segment) on the
// recording the speed target names, 10 s of stereo at 44.1 kHz, with the two layouts of the
// work on the cores: one segment at a time on the whole thread team (--jobs 1) against one
// segment per thread (--jobs equal to the thread count, the default).
import ChapterSupport
import Foundation
import Tensors

/// The default method's real-time factor on 10 s of noisy stereo speech at 44.1 kHz, in each
/// layout, interleaved, three runs each (the machine may be shared).
func chapter08Benchmarks() throws -> [BenchRow] {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("audioprior-bench-default-\(getpid())").path
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: folder) }
  let ten = folder + "/ten.wav"
  let output = folder + "/out.wav"
  try writeNoisyStereo(to: ten, seconds: 10)
  let layouts = Array(Set([1, threadCount])).sorted()
  var runs = [Int: [MeasuredRun]]()
  for _ in 0..<3 {
    for jobs in layouts {
      let run = try measureDenoise([ten, "-o", output, "--jobs", "\(jobs)", "--quiet"])
      guard run.status == 0 else { throw BenchError("denoise failed: \(run.stderr)") }
      runs[jobs, default: []].append(run)
    }
  }
  let team = medianAndRange(runs[1]!.map(\.wall))
  return layouts.map { jobs in
    let measured = medianAndRange(runs[jobs]!.map(\.wall))
    let layout =
      jobs == 1
      ? "--jobs 1: one segment on \(threadCount) threads"
      : "--jobs \(jobs) (default): \(jobs) segments, one thread each"
    let ratio = fixed(measured.median / team.median, 2)
    let comparison = jobs == 1 ? "reference" : "\(ratio)× --jobs 1"
    return BenchRow(
      what: "denoise (default: the prior, 50 iterations), \(layout)",
      size: "10 s stereo, 44.1 kHz", seconds: measured.median,
      rate: "\(fixed(10 / measured.median, 2))× real time",
      ofReference: "3 runs: \(measured.text); \(comparison); "
        + "peak RSS \(fixed(runs[jobs]!.map(\.peakMiB).max()!, 0)) MiB; target ≤ 10 s")
  }
}
