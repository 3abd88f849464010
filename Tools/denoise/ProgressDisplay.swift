import Foundation

/// Progress of the whole run on stderr: a status line redrawn in place on a terminal, plain
/// lines every few seconds otherwise (a log file, a pipe), nothing when quiet. It counts the
/// files done and to go, the audio done against the whole run's, the audio seconds denoised
/// per second of wall time, and one ETA for the run. A line for each file written and each
/// that failed, and a summary at the end. Safe to call from several threads.
final class ProgressDisplay: @unchecked Sendable {
  enum Mode {
    case bar, lines, quiet
  }

  let mode: Mode
  /// Seconds between plain lines.
  static let lineInterval = 10.0

  private let lock = NSLock()
  private let start = Date()
  private var totalFiles = 0
  private var totalSeconds = 0.0
  private var filesDone = 0
  private var filesFailed = 0
  private var secondsFinished = 0.0
  /// Audio seconds done so far in each file under way.
  private var running: [Int: Double] = [:]
  private var lastLine = Date()
  private var drawnWidth = 0

  init(quiet: Bool) {
    mode = quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
  }

  /// The run's files and their audio, in seconds, once their headers are read.
  func planned(files: Int, seconds: Double) {
    lock.withLock {
      totalFiles = files
      totalSeconds = seconds
    }
  }

  /// File `id` has `seconds` of its audio done.
  func update(file id: Int, seconds: Double) {
    lock.withLock { running[id] = seconds }
  }

  /// File `id` was written to `output`: `seconds` of audio in `wall` seconds.
  func finished(file id: Int, input: String, output: String, seconds: Double, wall: Double) {
    lock.withLock {
      running[id] = nil
      filesDone += 1
      secondsFinished += seconds
      let speed = wall > 0 ? "\(fixed(seconds / wall, 1))× real time" : "instant"
      print(
        "\(input) → \(output) (\(duration(seconds)) of audio in \(duration(wall)), \(speed))")
    }
  }

  /// File `id` failed: `message` goes to stderr as one line, even when quiet. The seconds
  /// it would have taken leave the run's total.
  func failed(file id: Int?, message: String, seconds: Double) {
    lock.withLock {
      if let id { running[id] = nil }
      filesFailed += 1
      totalSeconds -= seconds
      let line = "denoise: error: \(message)"
      if mode == .quiet { write(line + "\n") } else { print(line) }
    }
  }

  /// A line about the run that is not progress (skipped files, say).
  func note(_ text: String) { lock.withLock { print(text) } }

  /// Redraws the status line, or prints it when the interval has passed.
  func tick() {
    lock.withLock {
      switch mode {
      case .quiet: return
      case .bar: draw(status())
      case .lines:
        guard Date().timeIntervalSince(lastLine) >= Self.lineInterval else { return }
        lastLine = Date()
        write(status() + "\n")
      }
    }
  }

  /// The summary: files, audio, wall time, real-time factor, skipped and failed files.
  func summary(skipped: Int) {
    lock.withLock {
      let wall = Date().timeIntervalSince(start)
      var parts = [
        "denoise: \(filesDone) \(filesDone == 1 ? "file" : "files") written, "
          + "\(duration(secondsFinished)) of audio in \(duration(wall))"
          + (wall > 0 && secondsFinished > 0
            ? ", \(fixed(secondsFinished / wall, 1))× real time" : "")
      ]
      if skipped > 0 { parts.append("\(skipped) skipped") }
      parts.append("\(filesFailed) failed")
      print(parts.joined(separator: "; "))
    }
  }

  /// Ends a half-drawn status line so that what follows starts on its own line.
  func clear() { lock.withLock { draw(nil) } }

  /// "3/40 files done, 2 under way, 35 to go; 1 h 02 min of 10 h 15 min of audio; 85.3 s of
  /// audio per second; ETA 6 min 30 s".
  private func status() -> String {
    let done = secondsFinished + running.values.reduce(0, +)
    let elapsed = Date().timeIntervalSince(start)
    let speed = elapsed > 0 ? done / elapsed : 0
    let toGo = totalFiles - filesDone - filesFailed - running.count
    var parts = [
      "\(filesDone)/\(totalFiles) files done, \(running.count) under way, \(toGo) to go",
      "\(duration(done)) of \(duration(totalSeconds)) of audio",
      "\(fixed(speed, 1)) s of audio per second",
    ]
    if speed > 0 && done > 0 {
      parts.append("ETA \(duration(max(0, totalSeconds - done) / speed))")
    }
    if filesFailed > 0 { parts.append("\(filesFailed) failed") }
    return parts.joined(separator: "; ")
  }

  /// A line above the status line (which is redrawn after it on a terminal).
  private func print(_ line: String) {
    switch mode {
    case .quiet: return
    case .lines: write(line + "\n")
    case .bar:
      draw(nil)
      write(line + "\n")
      draw(status())
    }
  }

  /// Carriage return, `text`, and spaces over what is left of a longer previous line; nil
  /// clears the line.
  private func draw(_ text: String?) {
    guard mode == .bar else { return }
    let shown = text ?? ""
    write("\r" + shown + String(repeating: " ", count: max(drawnWidth - shown.count, 0)))
    if text == nil { write("\r") }
    drawnWidth = shown.count
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}

/// Seconds as "4.2 s", "42 s", "3 min 05 s" or "2 h 03 min".
func duration(_ seconds: Double) -> String {
  if seconds < 9.95 { return "\(fixed(seconds, 1)) s" }
  let s = Int(seconds.rounded())
  if s < 60 { return "\(s) s" }
  if s < 3600 { return String(format: "%d min %02d s", s / 60, s % 60) }
  return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
}

/// `x` with `digits` digits after the point.
func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
