import Foundation
import Denoising

/// Progress on stderr: a bar redrawn in place on a terminal, plain lines every few seconds
/// otherwise (a log file, a pipe), nothing at all when quiet.
final class ProgressDisplay {
  enum Mode {
    case bar, lines, quiet
  }

  let mode: Mode
  /// Segments in the whole batch, for the ETA.
  let totalSegments: Int
  private let start = Date()
  private var segmentsBefore = 0
  private var fileLabel = ""
  private var lastDraw = Date.distantPast
  private var lastLine = Date()
  private var drawnWidth = 0

  /// Seconds between plain lines.
  static let lineInterval = 10.0

  init(quiet: Bool, totalSegments: Int) {
    mode = quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
    self.totalSegments = max(totalSegments, 1)
  }

  /// A new file begins: `index` of `count`, cut into `segments` segments.
  func begin(file: String, index: Int, of count: Int) {
    fileLabel = count > 1 ? "\(file) (\(index + 1)/\(count))" : file
    if mode == .lines { write("\(fileLabel): denoising\n") }
  }

  /// The pipeline reports `progress` within the current file.
  func update(_ progress: DenoiseProgress) {
    let now = Date()
    switch mode {
    case .quiet: return
    case .bar:
      guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
      lastDraw = now
      let text = "\(status(progress))  \(bar(fraction: overall(progress)))"
      // Carriage return, the new text, spaces over what is left of a longer previous line.
      write("\r" + text + String(repeating: " ", count: max(drawnWidth - text.count, 0)))
      drawnWidth = text.count
    case .lines:
      guard now.timeIntervalSince(lastLine) >= Self.lineInterval else { return }
      lastLine = now
      write(status(progress) + "\n")
    }
  }

  /// The current file is written to `output` after `segments` segments.
  func finish(output: String, segments: Int, seconds: Double) {
    segmentsBefore += segments
    let line = "\(fileLabel) → \(output) (\(segments) segments, \(duration(seconds)))"
    switch mode {
    case .quiet: return
    case .bar:
      write("\r" + line + String(repeating: " ", count: max(drawnWidth - line.count, 0)) + "\n")
      drawnWidth = 0
    case .lines: write(line + "\n")
    }
  }

  /// Ends a half-drawn bar so that an error message starts on its own line.
  func interrupt() {
    if mode == .bar && drawnWidth > 0 { write("\n") }
    drawnWidth = 0
  }

  private func overall(_ progress: DenoiseProgress) -> Double {
    let done = Double(segmentsBefore) + progress.fraction * Double(progress.segmentCount)
    return min(done / Double(totalSegments), 1)
  }

  private func status(_ progress: DenoiseProgress) -> String {
    var parts = [
      fileLabel,
      "segment \(min(progress.segmentsDone + 1, progress.segmentCount))/\(progress.segmentCount)",
    ]
    if let step = progress.step {
      parts.append("iteration \(step.iteration)/\(step.iterations)")
      if let loss = step.loss { parts.append(String(format: "loss %.3g", loss)) }
    }
    let fraction = overall(progress)
    let elapsed = Date().timeIntervalSince(start)
    if fraction > 0.01 {
      parts.append("ETA \(duration(elapsed * (1 - fraction) / fraction))")
    }
    return parts.joined(separator: "  ")
  }

  private func bar(fraction: Double) -> String {
    let width = 20
    let filled = Int((fraction * Double(width)).rounded(.down))
    return "[" + String(repeating: "#", count: filled)
      + String(repeating: "-", count: width - filled) + "] \(Int(fraction * 100))%"
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}

/// Seconds as "42 s" or "3 min 05 s".
func duration(_ seconds: Double) -> String {
  let s = Int(seconds.rounded())
  return s < 60 ? "\(s) s" : String(format: "%d min %02d s", s / 60, s % 60)
}
