import CSndFile
import Foundation

/// An audio file read a block of frames at a time through libsndfile, for recordings too long
/// to hold in memory: `AudioFile.read` is the whole-file twin and gives the same samples.
///
///     let reader = try AudioFileReader("interview.flac")
///     while case let block = try reader.read(frames: 16_384), !block.isEmpty {
///       // block: [frames · reader.channels], interleaved, in [-1, 1]
///     }
///
/// One instance is not safe to use from two threads at once.
public final class AudioFileReader {
  /// The file, as given.
  public let path: String
  /// Channels per frame.
  public let channels: Int
  /// Frames per second, in Hz.
  public let sampleRate: Int
  /// The frames the file's header announces. The data decides: a file cut short gives fewer.
  public let announcedFrames: Int
  /// Frames handed out so far.
  public private(set) var framesRead = 0
  private let file: OpaquePointer

  /// Opens `path` and reads its header.
  ///
  /// - Throws: `AudioError` naming `path` when it is missing, a folder, empty, not audio.
  public init(_ path: String) throws(AudioError) {
    try AudioFile.checkReadable(path)
    var info = SF_INFO()
    guard let file = sf_open(path, Int32(SFM_READ), &info) else {
      throw .notAudio(path: path, reason: String(cString: sf_strerror(nil)))
    }
    self.path = path
    self.file = file
    channels = Int(info.channels)
    sampleRate = Int(info.samplerate)
    announcedFrames = max(0, Int(info.frames))
  }

  deinit { sf_close(file) }

  /// The announced length in seconds.
  public var announcedDuration: Double { Double(announcedFrames) / Double(sampleRate) }

  /// The next `frames` frames (fewer at the end of the file, none after it), interleaved:
  /// `[count · channels]`, scaled to [-1, 1] as `AudioFile.read` scales them.
  ///
  /// - Throws: `AudioError.readFailed` when libsndfile reports an error.
  public func read(frames: Int) throws(AudioError) -> [Float] {
    precondition(frames > 0, "read at least one frame, not \(frames)")
    var block = [Float](repeating: 0, count: frames * channels)
    let got = block.withUnsafeMutableBufferPointer {
      // Safe: the block holds `frames` whole frames, exactly what we ask for.
      sf_readf_float(file, $0.baseAddress, sf_count_t(frames))
    }
    if got < 0 || sf_error(file) != 0 {
      throw .readFailed(path: path, reason: String(cString: sf_strerror(file)))
    }
    block.removeLast((frames - Int(got)) * channels)
    framesRead += Int(got)
    return block
  }
}
