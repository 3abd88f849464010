/// What can go wrong when reading, writing or processing audio.
///
/// Every case names the file or the argument and the cause, so that the message alone tells a
/// person what to fix:
///
///     do {
///       let speech = try AudioFile.read("speech.wav")
///     } catch let error as AudioError {
///       print(error)  // "speech.wav: no such file"
///     }
public enum AudioError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Nothing exists at `path`.
  case fileNotFound(path: String)
  /// `path` is a folder, not a file.
  case isDirectory(path: String)
  /// The file at `path` has no bytes.
  case emptyFile(path: String)
  /// libsndfile could not read `path` as audio; `reason` is its explanation.
  case notAudio(path: String, reason: String)
  /// Reading `path` failed part-way, for example a file cut short.
  case readFailed(path: String, reason: String)
  /// The output `path` could not be written; `reason` says why (folder missing, no permission).
  case cannotWrite(path: String, reason: String)
  /// The buffer to write to `path` is not valid audio, for example a NaN sample.
  case invalidSamples(path: String, reason: String)
  /// A parameter is out of range; `argument` names it.
  case invalidArgument(argument: String, reason: String)

  public var description: String {
    switch self {
    case .fileNotFound(let path): "\(path): no such file"
    case .isDirectory(let path): "\(path): is a directory, not an audio file"
    case .emptyFile(let path): "\(path): the file is empty (0 bytes)"
    case .notAudio(let path, let reason):
      "\(path): not an audio file libsndfile can read (\(reason))"
    case .readFailed(let path, let reason): "\(path): reading failed (\(reason))"
    case .cannotWrite(let path, let reason): "\(path): cannot write (\(reason))"
    case .invalidSamples(let path, let reason): "\(path): refusing to write (\(reason))"
    case .invalidArgument(let argument, let reason): "\(argument): \(reason)"
    }
  }
}
