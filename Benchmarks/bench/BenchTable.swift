import ChapterSupport
import Foundation
import Tensors

/// One measured line of `make bench`.
struct BenchRow {
  /// What was measured, e.g. "sgemm (OpenBLAS)".
  var what: String
  /// The problem size, e.g. "1024²" or "60 s at 16 kHz".
  var size: String
  /// Median wall-clock time of one run, in seconds.
  var seconds: Double
  /// The rate, with its unit, e.g. "212.3 GFLOP/s" or "480× real time".
  var rate: String
  /// The fraction of a reference measured in the same run, e.g. "94% of BLAS peak"; "" if none.
  var ofReference: String = ""
}

/// The machine, as the benchmark table's heading names it.
func machineDescription() -> String {
  let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
  let model =
    cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
    .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
    ?? "unknown CPU"
  return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(model), OpenBLAS kernels "
    + blasKernels()
}

/// Prints the rows as one Markdown table under a heading with the date and the machine.
func printMarkdown(_ rows: [BenchRow]) {
  let date = ISO8601DateFormatter.string(
    from: Date(), timeZone: .current, formatOptions: [.withFullDate])
  print("### \(date) — \(machineDescription())\n")
  print("| what | size | time | rate | vs reference |")
  print("| --- | --- | ---: | ---: | --- |")
  for row in rows {
    let time =
      row.seconds < 1e-3
      ? "\(fixed(row.seconds * 1e6, 1)) µs"
      : row.seconds < 1 ? "\(fixed(row.seconds * 1e3, 2)) ms" : "\(fixed(row.seconds, 2)) s"
    print("| \(row.what) | \(row.size) | \(time) | \(row.rate) | \(row.ofReference) |")
  }
}
