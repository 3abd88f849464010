/// What can go wrong when an image is written or read; each message names the file and why.
public enum PlotError: Error, Equatable, CustomStringConvertible {
  /// The folder the file should go into does not exist.
  case folderMissing(path: String, folder: String)
  /// The file could not be created, written or renamed into place.
  case cannotWrite(path: String, reason: String)
  /// The file could not be opened or is not a PNG libpng can decode.
  case cannotRead(path: String, reason: String)
  /// libpng refused to encode the image.
  case encodingFailed(path: String, reason: String)
  /// An image size that cannot be written (zero, or too large for PNG).
  case invalidSize(path: String, width: Int, height: Int)

  public var description: String {
    switch self {
    case .folderMissing(let path, let folder):
      return "cannot write \(path): folder \(folder) does not exist"
    case .cannotWrite(let path, let reason):
      return "cannot write \(path): \(reason)"
    case .cannotRead(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .encodingFailed(let path, let reason):
      return "cannot encode \(path) as PNG: \(reason)"
    case .invalidSize(let path, let width, let height):
      return "cannot write \(path): an image of \(width) x \(height) pixels has no PNG form"
    }
  }
}
