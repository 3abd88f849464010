import CPNG
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// libpng's simplified-API pixel formats (`PNG_FORMAT_RGB`, `PNG_FORMAT_RGBA`): 8 bits per
/// channel, colour flag 0x02, alpha flag 0x01.
private let pngFormatRGB: png_uint_32 = 0x02
private let pngFormatRGBA: png_uint_32 = 0x03

extension Bitmap {
  /// Writes the image as an 8-bit PNG, RGB (alpha dropped) or RGBA.
  ///
  /// The bytes depend only on the pixels (no timestamp), so writing twice gives the same
  /// file. The PNG goes to a temporary file in the same folder, renamed over `path` only
  /// when complete: a reader never sees half an image, and a failed write leaves any
  /// existing file as it was.
  /// - Throws: `PlotError` naming `path` and the cause.
  public func writePNG(to path: String, alpha: Bool = false) throws {
    let folder = (path as NSString).deletingLastPathComponent
    let folderPath = folder.isEmpty ? "." : folder
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folderPath, isDirectory: &isFolder),
      isFolder.boolValue
    else { throw PlotError.folderMissing(path: path, folder: folderPath) }
    let encoded = try pngData(alpha: alpha, path: path)
    let name = (path as NSString).lastPathComponent
    let temporary = (folderPath as NSString).appendingPathComponent(".\(name).\(getpid()).tmp")
    try writeFile(temporary, encoded, reportedAs: path)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw PlotError.cannotWrite(path: path, reason: "cannot rename into place: \(reason)")
    }
  }

  /// The PNG encoding of the image (8 bits per channel, RGB or RGBA), as written by
  /// `writePNG`. `path` only names the file in error messages.
  public func pngData(alpha: Bool = false, path: String = "image") throws -> [UInt8] {
    guard width > 0, height > 0, width < 1 << 24, height < 1 << 24 else {
      throw PlotError.invalidSize(path: path, width: width, height: height)
    }
    let channels = alpha ? 4 : 3
    var raw = [UInt8](repeating: 0, count: width * height * channels)
    for (i, pixel) in pixels.enumerated() {
      raw[i * channels] = pixel.r
      raw[i * channels + 1] = pixel.g
      raw[i * channels + 2] = pixel.b
      if alpha { raw[i * channels + 3] = pixel.a }
    }
    func newImage() -> png_image {
      var image = png_image()
      image.version = png_uint_32(PNG_IMAGE_VERSION)
      image.width = png_uint_32(width)
      image.height = png_uint_32(height)
      image.format = alpha ? pngFormatRGBA : pngFormatRGB
      return image
    }
    // First ask libpng how many bytes the PNG needs, then encode into a buffer that size.
    var image = newImage()
    var size: png_alloc_size_t = 0
    guard png_image_write_to_memory(&image, nil, &size, 0, raw, 0, nil) != 0 else {
      throw PlotError.encodingFailed(path: path, reason: message(of: &image))
    }
    var encoded = [UInt8](repeating: 0, count: Int(size))
    image = newImage()
    let written = encoded.withUnsafeMutableBytes { buffer in
      // Safe: libpng writes at most `size` bytes, the buffer's length.
      png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, raw, 0, nil)
    }
    guard written != 0 else {
      throw PlotError.encodingFailed(path: path, reason: message(of: &image))
    }
    return Array(encoded.prefix(Int(size)))
  }

  /// Reads an 8-bit or 16-bit PNG of any colour type; the result always carries alpha
  /// (255 where the file has none).
  /// - Throws: `PlotError.cannotRead` naming `path` and the cause.
  public static func readPNG(from path: String) throws -> Bitmap {
    guard FileManager.default.fileExists(atPath: path) else {
      throw PlotError.cannotRead(path: path, reason: "no such file")
    }
    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    guard png_image_begin_read_from_file(&image, path) != 0 else {
      throw PlotError.cannotRead(path: path, reason: message(of: &image))
    }
    image.format = pngFormatRGBA
    let width = Int(image.width)
    let height = Int(image.height)
    var raw = [UInt8](repeating: 0, count: width * height * 4)
    let finished = raw.withUnsafeMutableBytes { buffer in
      // Safe: the buffer holds exactly width * height RGBA pixels, the size libpng fills.
      png_image_finish_read(&image, nil, buffer.baseAddress, 0, nil)
    }
    guard finished != 0 else {
      let reason = message(of: &image)
      png_image_free(&image)
      throw PlotError.cannotRead(path: path, reason: reason)
    }
    var pixels = [Color]()
    pixels.reserveCapacity(width * height)
    for i in 0..<(width * height) {
      pixels.append(Color(r: raw[4 * i], g: raw[4 * i + 1], b: raw[4 * i + 2], a: raw[4 * i + 3]))
    }
    return Bitmap(width: width, height: height, pixels: pixels)
  }
}

/// libpng's error text for a failed simplified-API call (a NUL-terminated 64-byte field).
private func message(of image: inout png_image) -> String {
  withUnsafeBytes(of: &image.message) { bytes in
    let text = bytes.prefix(while: { $0 != 0 })
    return text.isEmpty ? "libpng reported an error" : String(decoding: text, as: UTF8.self)
  }
}

/// Creates (or truncates) `path` and writes `bytes` to it; on failure removes it and throws a
/// `PlotError.cannotWrite` naming `reportedPath`.
private func writeFile(_ path: String, _ bytes: [UInt8], reportedAs reportedPath: String) throws {
  let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  guard descriptor >= 0 else {
    throw PlotError.cannotWrite(path: reportedPath, reason: String(cString: strerror(errno)))
  }
  var offset = 0
  while offset < bytes.count {
    let count = bytes.withUnsafeBytes { buffer in
      // Safe: offset < bytes.count, and write reads at most the remaining bytes.
      write(descriptor, buffer.baseAddress! + offset, bytes.count - offset)
    }
    if count < 0 {
      if errno == EINTR { continue }
      let reason = String(cString: strerror(errno))
      close(descriptor)
      unlink(path)
      throw PlotError.cannotWrite(path: reportedPath, reason: reason)
    }
    offset += count
  }
  guard close(descriptor) == 0 else {
    let reason = String(cString: strerror(errno))
    unlink(path)
    throw PlotError.cannotWrite(path: reportedPath, reason: reason)
  }
}
