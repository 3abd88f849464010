import CSndFile
import Foundation
import Synchronization

/// The temporary files of the writers that are neither finished nor cancelled, and whether
/// they have been removed for good (the program is ending: no new writer may start).
private let unfinishedFiles = Mutex<(paths: Set<String>, closed: Bool)>(([], false))

/// An audio file written a block of frames at a time through libsndfile, that appears under
/// its name only once it is complete.
///
/// The frames go to a temporary file in the output's folder (`.NAME.PID-RANDOM.tmp`), which
/// `finish()` renames to `path`; `cancel()`, or a writer dropped unfinished, deletes it. So a
/// failure never leaves half a file under the output's name, and an existing file there is
/// replaced only by a complete one. `AudioFile.write` is this writer in one call.
///
///     let writer = try AudioFileWriter(path: "clean.wav", channels: 2, sampleRate: 44_100)
///     try writer.write(block)   // [frames · 2], interleaved
///     try writer.finish()
///
/// One instance is not safe to use from two threads at once.
public final class AudioFileWriter {
  /// The output's final name.
  public let path: String
  public let channels: Int
  public let sampleRate: Int
  public let format: AudioFile.Format
  /// Frames written so far.
  public private(set) var framesWritten = 0
  /// The file being written, until it is finished or cancelled.
  private var file: OpaquePointer?
  private let temporary: String

  /// Creates the temporary file.
  ///
  /// - Throws: `AudioError.cannotWrite` when the folder is missing or not writable, `path` is
  ///   a folder, or `format` cannot hold this many channels at this rate.
  public init(
    path: String, channels: Int, sampleRate: Int, format: AudioFile.Format = .pcm16
  ) throws(AudioError) {
    self.path = path
    self.channels = channels
    self.sampleRate = sampleRate
    self.format = format
    temporary = try AudioFile.temporaryPath(besides: path)
    var info = SF_INFO()
    info.samplerate = Int32(sampleRate)
    info.channels = Int32(channels)
    info.format = format.code
    guard sf_format_check(&info) != 0 else {
      throw .cannotWrite(
        path: path, reason: "\(format) cannot hold \(channels) channels at \(sampleRate) Hz")
    }
    // Created and registered under the lock: `removeUnfinishedFiles` sees every file made.
    let opened = unfinishedFiles.withLock { state -> OpaquePointer? in
      guard !state.closed, let file = sf_open(temporary, Int32(SFM_WRITE), &info) else {
        return nil
      }
      state.paths.insert(temporary)
      return file
    }
    guard let opened else {
      throw .cannotWrite(path: path, reason: String(cString: sf_strerror(nil)))
    }
    file = opened
  }

  deinit { cancel() }

  /// Appends interleaved frames, `[count · channels]`. Integer formats round and clip as
  /// `AudioFile.write` describes.
  ///
  /// - Throws: `AudioError.invalidSamples` for a NaN or infinite sample (nothing of the block
  ///   is written), `.cannotWrite` when the disk refuses.
  public func write(_ samples: [Float]) throws(AudioError) {
    guard let file else { preconditionFailure("AudioFileWriter: write after finish or cancel") }
    precondition(samples.count % channels == 0, "a block of whole frames, not \(samples.count)")
    if let bad = samples.firstIndex(where: { !$0.isFinite }) {
      throw .invalidSamples(
        path: path,
        reason: "sample \(framesWritten * channels + bad) is \(samples[bad]), not a finite number")
    }
    let frames = sf_count_t(samples.count / channels)
    let written: sf_count_t
    if let bits = format.integerBits {
      var integers = samples.map { AudioFile.leftJustified($0, bits: bits) }
      // Safe: `integers` holds `frames` whole frames and outlives the call.
      written = integers.withUnsafeMutableBufferPointer {
        sf_writef_int(file, $0.baseAddress, frames)
      }
    } else {
      var floats = samples
      // Safe: `floats` holds `frames` whole frames and outlives the call.
      written = floats.withUnsafeMutableBufferPointer {
        sf_writef_float(file, $0.baseAddress, frames)
      }
    }
    guard written == frames else {
      throw .cannotWrite(path: path, reason: String(cString: sf_strerror(file)))
    }
    framesWritten += Int(frames)
  }

  /// Closes the file and gives it its name, replacing any file there.
  ///
  /// - Throws: `AudioError.cannotWrite` when closing or renaming fails (the temporary file is
  ///   then deleted).
  public func finish() throws(AudioError) {
    guard let file else { preconditionFailure("AudioFileWriter: finish after finish or cancel") }
    self.file = nil
    defer { unfinishedFiles.withLock { _ = $0.paths.remove(temporary) } }
    if sf_close(file) != 0 {
      unlink(temporary)
      throw .cannotWrite(path: path, reason: "closing the file failed")
    }
    if rename(temporary, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw .cannotWrite(path: path, reason: reason)
    }
  }

  /// Closes and deletes the temporary file; nothing appears under `path`. Does nothing after
  /// `finish()`.
  public func cancel() {
    guard let file else { return }
    self.file = nil
    sf_close(file)
    unlink(temporary)
    unfinishedFiles.withLock { _ = $0.paths.remove(temporary) }
  }

  /// Deletes the temporary file of every writer of this process that is not finished or
  /// cancelled, for a program that is about to end on a signal (SIGINT, SIGTERM): no partial
  /// output is left behind. Writers created afterwards fail with `.cannotWrite`.
  public static func removeUnfinishedFiles() {
    unfinishedFiles.withLock { state in
      for path in state.paths { unlink(path) }
      state.paths.removeAll()
      state.closed = true
    }
  }
}
