// Chapter 7 at archive scale: the `denoise` command of this release build on a 60-minute
// stereo recording at 44.1 kHz made here (635 MB, deleted afterwards), its time and peak
// resident memory as /usr/bin/time -v reports them; the prior method on the same file for a
// few minutes, stopped by SIGINT, its speed extrapolated to the hour. The default method on
// 10 s is measured in Chapter08.swift.
import Audio
import ChapterSupport
import Foundation
import Tensors

/// What /usr/bin/time -v reported for one run of `denoise`.
struct MeasuredRun {
  var wall: Double
  var cpu: Double
  var peakMiB: Double
  var status: Int32
  var stderr: String
}

/// The `denoise` next to this benchmark (`make bench` builds both in release).
let denoisePath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  .appendingPathComponent("denoise").path

/// Runs `denoise arguments` under /usr/bin/time -v; SIGINT after `interruptAfter` seconds.
func measureDenoise(_ arguments: [String], interruptAfter: Double? = nil) throws -> MeasuredRun {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
  process.arguments = ["-v", denoisePath] + arguments
  let err = Pipe()
  process.standardError = err
  process.standardOutput = FileHandle.nullDevice
  try process.run()
  if let interruptAfter {
    let timePID = process.processIdentifier
    DispatchQueue.global().asyncAfter(deadline: .now() + interruptAfter) {
      // time(1) ignores SIGINT itself: the signal goes to its child, `denoise`.
      let children = "/proc/\(timePID)/task/\(timePID)/children"
      let text = (try? String(contentsOfFile: children, encoding: .utf8)) ?? ""
      for pid in text.split(separator: " ").compactMap({ Int32($0) }) { kill(pid, SIGINT) }
    }
  }
  let data = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let text = String(decoding: data, as: UTF8.self)
  func value(_ label: String) -> String {
    text.split(separator: "\n").first { $0.contains(label) }?
      .components(separatedBy: ": ").last ?? "0"
  }
  // "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50"
  let clock = value("Elapsed (wall clock)").split(separator: ":").compactMap { Double($0) }
  let wall = clock.reduce(0) { $0 * 60 + $1 }
  return MeasuredRun(
    wall: wall,
    cpu: (Double(value("User time")) ?? 0) + (Double(value("System time")) ?? 0),
    peakMiB: (Double(value("Maximum resident set size")) ?? 0) / 1024,
    status: process.terminationStatus, stderr: text)
}

/// Writes `seconds` of noisy stereo speech at `rate` to `path` block by block: the book's
/// speech clip over and over, white noise on the left and pink noise on the right at 5 dB.
func writeNoisyStereo(to path: String, seconds: Int, rate: Int = 44_100) throws {
  let speech = try AudioFile.read("data/speech.wav").mono().resampled(to: rate).samples
  let writer = try AudioFileWriter(path: path, channels: 2, sampleRate: rate)
  let block = min(seconds, 10) * rate
  for b in 0..<(seconds * rate / block) {
    let clean = (0..<block).map { speech[(b * block + $0) % speech.count] }
    let left = try mix(clean, whiteNoise(count: block, seed: UInt64(2 * b + 1)), snrDB: 5)
    let right = try mix(clean, pinkNoise(count: block, seed: UInt64(2 * b + 2)), snrDB: 5)
    var samples = [Float](repeating: 0, count: 2 * block)
    for i in 0..<block { (samples[2 * i], samples[2 * i + 1]) = (left[i], right[i]) }
    try writer.write(samples)
  }
  try writer.finish()
}

/// The median and the range of `values`, e.g. "41.2 s (38.0–45.9 s)".
func medianAndRange(_ values: [Double], digits: Int = 1) -> (median: Double, text: String) {
  let sorted = values.sorted()
  let median = sorted[sorted.count / 2]
  return (
    median,
    "\(fixed(median, digits)) s (\(fixed(sorted.first!, digits))–\(fixed(sorted.last!, digits)) s)"
  )
}

/// The rows of the archive-scale runs.
func chapter07ArchiveBenchmarks() throws -> [BenchRow] {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("audioprior-bench-\(getpid())").path
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: folder) }
  let hour = folder + "/hour.wav"
  let output = folder + "/out.wav"
  try writeNoisyStereo(to: hour, seconds: 3600)
  let size = "60 min stereo, 44.1 kHz"
  var rows: [BenchRow] = []

  // The classical method on the whole hour with the default jobs and with one, interleaved,
  // three times each (the machine may be shared).
  var runs: [Int: [MeasuredRun]] = [threadCount: [], 1: []]
  for _ in 0..<3 {
    for jobs in Set([threadCount, 1]).sorted(by: >) {
      let run = try measureDenoise([
        hour, "-o", output, "--method", "wiener", "--jobs", "\(jobs)", "--quiet",
      ])
      guard run.status == 0 else { throw BenchError("denoise failed: \(run.stderr)") }
      runs[jobs]!.append(run)
    }
  }
  let wall = medianAndRange(runs[threadCount]!.map(\.wall))
  for jobs in Set([threadCount, 1]).sorted(by: >) {
    let measured = medianAndRange(runs[jobs]!.map(\.wall))
    let cpu = medianAndRange(runs[jobs]!.map(\.cpu)).median
    let peak = runs[jobs]!.map(\.peakMiB).max()!
    rows.append(
      BenchRow(
        what: "denoise --method wiener, --jobs \(jobs)"
          + (jobs == threadCount ? " (default)" : ""),
        size: size, seconds: measured.median,
        rate: "\(fixed(3600 / measured.median, 1))× real time",
        ofReference: "3 runs: \(measured.text); CPU \(fixed(cpu, 1)) s; "
          + "peak RSS \(fixed(peak, 0)) MiB"
          + (jobs == threadCount
            ? " (targets ≤ 90 s, ≤ 200 MiB)"
            : "; \(fixed(measured.median / wall.median, 2))× the default")))
  }

  // The prior method on the same hour for a few minutes: its memory, and its speed from the
  // progress line the command prints every 10 s.
  let minutes = 3.0
  let priorOutput = folder + "/prior.wav"
  let prior = try measureDenoise([hour, "-o", priorOutput], interruptAfter: minutes * 60)
  let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
    $0.hasPrefix("prior.wav") || $0.hasPrefix(".prior.wav")
  }
  let speed =
    prior.stderr.split(separator: "\n").last { $0.contains("s of audio per second") }
    .flatMap { line in
      line.components(separatedBy: "; ").first { $0.hasSuffix("s of audio per second") }?
        .split(separator: " ").first.flatMap { Double($0) }
    } ?? 0
  rows.append(
    BenchRow(
      what: "denoise (default: the prior, 50 iterations), "
        + "stopped by SIGINT after \(Int(minutes)) min",
      size: size, seconds: speed > 0 ? 3600 / speed : 0,
      rate: "\(fixed(speed, 2))× real time",
      ofReference: "time for the hour extrapolated from \(fixed(speed * prior.wall, 0)) s "
        + "of audio; peak RSS \(fixed(prior.peakMiB, 0)) MiB (target ≤ 300 MiB); "
        + "exit \(prior.status), files left: \(left.isEmpty ? "none" : left.joined(separator: ", "))"
    ))

  return rows
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
