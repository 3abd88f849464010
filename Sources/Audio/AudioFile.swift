import CSndFile
import Foundation

/// Reading and writing audio files through libsndfile.
///
/// libsndfile reads WAV (8/16/24/32-bit integer, 32/64-bit float), FLAC, Ogg Vorbis, AIFF and
/// more, and hands every one of them back as `Float` samples scaled to [-1, 1]. We write WAV,
/// 16-bit PCM for listening and 32-bit float when the exact values matter; the other formats
/// exist so that the reader can be tested on every one of them.
///
/// See <https://libsndfile.github.io/libsndfile/api.html>.
public enum AudioFile {
  /// The formats `write` produces.
  public enum Format: String, CaseIterable, Sendable {
    /// WAV, 16-bit signed integers: CD quality, what people listen to.
    case pcm16
    /// WAV, 32-bit IEEE floats: every `Float` sample kept exactly.
    case float32
    /// WAV, 8-bit unsigned integers (WAV stores 8-bit samples offset by 128).
    case pcm8
    /// WAV, 24-bit signed integers.
    case pcm24
    /// WAV, 32-bit signed integers.
    case pcm32
    /// WAV, 64-bit IEEE floats.
    case float64
    /// FLAC, lossless compression of 16-bit integers.
    case flac
    /// Ogg Vorbis, lossy compression: the decoded samples are close, not equal.
    case ogg

    /// The libsndfile format code: container | encoding.
    var code: Int32 {
      let wav = Int32(SF_FORMAT_WAV)
      switch self {
      case .pcm8: return wav | Int32(SF_FORMAT_PCM_U8)
      case .pcm16: return wav | Int32(SF_FORMAT_PCM_16)
      case .pcm24: return wav | Int32(SF_FORMAT_PCM_24)
      case .pcm32: return wav | Int32(SF_FORMAT_PCM_32)
      case .float32: return wav | Int32(SF_FORMAT_FLOAT)
      case .float64: return wav | Int32(SF_FORMAT_DOUBLE)
      case .flac: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
      case .ogg: return Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
      }
    }

    /// Bits per integer sample, or nil when the samples are handed over as floats.
    var integerBits: Int? {
      switch self {
      case .pcm8: 8
      case .pcm16, .flac: 16
      case .pcm24: 24
      case .pcm32: 32
      case .float32, .float64, .ogg: nil
      }
    }
  }

  // book: read
  /// Reads a whole audio file in any format libsndfile knows.
  ///
  /// - Returns: the interleaved samples scaled to [-1, 1], the channel count and the rate.
  /// - Throws: `AudioError` naming `path` when it is missing, a directory, empty, not audio,
  ///   or cut short.
  public static func read(_ path: String) throws(AudioError) -> AudioBuffer {
    try checkReadable(path)
    var info = SF_INFO()
    guard let file = sf_open(path, Int32(SFM_READ), &info) else {
      throw .notAudio(path: path, reason: String(cString: sf_strerror(nil)))
    }
    defer { sf_close(file) }
    let channels = Int(info.channels)
    // Read in blocks until libsndfile says the end is reached: `info.frames` is only a
    // promise for some formats, the data itself is the truth.
    var samples: [Float] = []
    samples.reserveCapacity(max(0, Int(info.frames)) * channels)
    var block = [Float](repeating: 0, count: 4096 * channels)
    while true {
      let got = block.withUnsafeMutableBufferPointer {
        // Safe: the block holds 4096 whole frames, exactly what we ask for.
        sf_readf_float(file, $0.baseAddress, 4096)
      }
      if got <= 0 { break }
      samples.append(contentsOf: block[0..<(Int(got) * channels)])
    }
    if sf_error(file) != 0 {
      throw .readFailed(path: path, reason: String(cString: sf_strerror(file)))
    }
    return AudioBuffer(samples: samples, channels: channels, sampleRate: Int(info.samplerate))
  }
  // book: end

  /// Writes `buffer` to `path`, replacing any file there only once the new one is complete.
  ///
  /// The samples go to a temporary file in the same folder, which is then renamed to `path`
  /// (`AudioFileWriter` in one call): an interrupted write never leaves half a file, and
  /// reading a file and writing the result to the same name is safe. Integer formats round
  /// to the nearest step and clip at full scale: `x` becomes `round(x · 2^(b-1))` within
  /// `[-2^(b-1), 2^(b-1) - 1]`, so reading a 16-bit file and writing it back gives the same
  /// bits.
  ///
  /// - Parameters:
  ///   - format: `.pcm16` (default) or `.float32` WAV; the others mostly serve the tests.
  /// - Throws: `AudioError.invalidSamples` for a NaN or infinite sample,
  ///   `AudioError.cannotWrite` when the folder is missing or not writable.
  public static func write(
    _ buffer: AudioBuffer, to path: String, format: Format = .pcm16
  ) throws(AudioError) {
    if let bad = buffer.samples.firstIndex(where: { !$0.isFinite }) {
      throw .invalidSamples(
        path: path, reason: "sample \(bad) is \(buffer.samples[bad]), not a finite number")
    }
    let writer = try AudioFileWriter(
      path: path, channels: buffer.channels, sampleRate: buffer.sampleRate, format: format)
    try writer.write(buffer.samples)
    try writer.finish()
  }

  /// `x` rounded to a `bits`-bit integer, clipped, and shifted into the top bits of an
  /// `Int32`, which is how libsndfile takes integer samples of any width.
  static func leftJustified(_ x: Float, bits: Int) -> Int32 {
    let scale = Double(1 << (bits - 1))
    let level = (Double(x) * scale).rounded().clamped(to: -scale...(scale - 1))
    return Int32(level) << (32 - bits)
  }

  /// Throws the precise reason when `path` cannot be an audio file to read.
  static func checkReadable(_ path: String) throws(AudioError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .fileNotFound(path: path)
    }
    if isDirectory.boolValue { throw .isDirectory(path: path) }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    if size == 0 { throw .emptyFile(path: path) }
    if !FileManager.default.isReadableFile(atPath: path) {
      throw .readFailed(path: path, reason: "permission denied")
    }
  }

  /// A fresh name in the folder of `path`, after checking that the folder can take a file.
  static func temporaryPath(besides path: String) throws(AudioError) -> String {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      throw .cannotWrite(path: path, reason: "it is a directory")
    }
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
      throw .cannotWrite(path: path, reason: "the folder \(folder) does not exist")
    }
    guard isDirectory.boolValue else {
      throw .cannotWrite(path: path, reason: "\(folder) is a file, not a folder")
    }
    guard FileManager.default.isWritableFile(atPath: folder) else {
      throw .cannotWrite(path: path, reason: "the folder \(folder) is not writable")
    }
    let unique = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    return (folder as NSString).appendingPathComponent(".\(url.lastPathComponent).\(unique).tmp")
  }
}

extension Comparable {
  /// The value limited to `range`.
  func clamped(to range: ClosedRange<Self>) -> Self {
    min(max(self, range.lowerBound), range.upperBound)
  }
}
