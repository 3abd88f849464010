import Audio
import Denoising
import Foundation
import Tensors

/// The files of one run, denoised over a shared pool of jobs: several files at once (up to
/// one per job), each streamed through `StreamingDenoiser` with its segments spread over the
/// same jobs. A file that fails is reported in one line and the others go on; the run counts
/// the failures for the exit status.
final class ArchiveRun: @unchecked Sendable {
  let files: [PlannedFile]
  let pool: JobPool
  let display: ProgressDisplay
  /// The enhancer for each file (the prior's snapshots are named after it).
  let enhancer: @Sendable (PlannedFile) -> any Enhancer
  private let lock = NSLock()
  private var next = 0
  private var failures = 0
  /// The audio seconds of each file, from its header, for the progress.
  private var seconds: [Double] = []

  init(
    files: [PlannedFile], pool: JobPool, display: ProgressDisplay,
    enhancer: @escaping @Sendable (PlannedFile) -> any Enhancer
  ) {
    self.files = files
    self.pool = pool
    self.display = display
    self.enhancer = enhancer
  }

  /// Denoises every file and returns the number that failed.
  func run() -> Int {
    seconds = files.map { file in
      (try? AudioFileReader(file.input)).map { $0.announcedDuration } ?? 0
    }
    display.planned(files: files.count, seconds: seconds.reduce(0, +))
    let group = DispatchGroup()
    // One file per job at most: a file alone keeps every job busy but near its end, when
    // its last segments are with the jobs and the next file can start.
    for index in 0..<max(0, min(pool.jobs, files.count)) {
      group.enter()
      let thread = Thread { [self] in
        while let i = takeNext() { denoise(i) }
        group.leave()
      }
      thread.name = "denoise file \(index + 1)"
      thread.stackSize = 8 << 20
      thread.start()
    }
    while group.wait(timeout: .now() + 0.25) == .timedOut { display.tick() }
    display.clear()
    return lock.withLock { failures }
  }

  private func takeNext() -> Int? {
    lock.withLock {
      guard next < files.count else { return nil }
      next += 1
      return next - 1
    }
  }

  /// Denoises file `i` into its temporary output, renamed once complete.
  private func denoise(_ i: Int) {
    let file = files[i]
    let start = monotonicSeconds()
    let writer: AudioFileWriter
    let reader: AudioFileReader
    do {
      reader = try AudioFileReader(file.input)
      writer = try AudioFileWriter(
        path: file.output, channels: reader.channels, sampleRate: reader.sampleRate,
        format: file.format)
    } catch {
      fail(i, "\(error)")
      return
    }
    do throws(DenoiseError) {
      let denoiser = StreamingDenoiser(enhancer: enhancer(file), pool: pool)
      let frames = try denoiser.denoise(reader, into: writer) { done in
        display.update(file: i, seconds: done)
      }
      do throws(AudioError) { try writer.finish() } catch { throw .audio(error) }
      display.finished(
        file: i, input: file.input, output: file.output,
        seconds: Double(frames) / Double(reader.sampleRate), wall: monotonicSeconds() - start)
    } catch {
      writer.cancel()
      // An audio error names its file already; the pipeline's errors are about the recording.
      if case .audio(let audio) = error {
        fail(i, "\(audio)")
      } else {
        fail(i, "\(file.input): \(error)")
      }
    }
  }

  private func fail(_ i: Int, _ message: String) {
    lock.withLock { failures += 1 }
    display.failed(file: i, message: message, seconds: seconds[i])
  }
}

/// Ends the program on SIGINT or SIGTERM: the temporary files of the outputs under way are
/// deleted (the finished outputs stay), one line says so, and the exit status is 128 plus
/// the signal's number (130, 143), as a shell reports a program a signal ended.
/// - Returns: the signal sources, to keep alive for as long as the handlers must work.
func installInterruptHandlers() -> [any DispatchSourceSignal] {
  [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { signalNumber, name in
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
    source.setEventHandler {
      AudioFileWriter.removeUnfinishedFiles()
      let line =
        "\ndenoise: interrupted by \(name); outputs under way deleted, finished ones kept\n"
      FileHandle.standardError.write(Data(line.utf8))
      _exit(128 + signalNumber)
    }
    source.resume()
    return source
  }
}
