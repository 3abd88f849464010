/// A raster image: `width × height` colours, row-major, the top row first.
///
/// Pixel `(x, y)` is `pixels[y * width + x]`, with `x` to the right and `y` downwards, as in
/// a PNG. The drawing methods clip to the image: pixels outside it are silently skipped.
public struct Bitmap: Equatable, Sendable {
  public let width: Int
  public let height: Int
  /// `width * height` colours, row-major, top row first.
  public var pixels: [Color]

  /// An image filled with one colour.
  public init(width: Int, height: Int, fill: Color = .white) {
    precondition(width >= 0 && height >= 0, "a bitmap of \(width) x \(height) pixels")
    self.width = width
    self.height = height
    self.pixels = Array(repeating: fill, count: width * height)
  }

  /// An image from its pixels, row-major, top row first.
  public init(width: Int, height: Int, pixels: [Color]) {
    precondition(
      width >= 0 && height >= 0 && pixels.count == width * height,
      "\(pixels.count) pixels for a bitmap of \(width) x \(height)")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// The whole image as a rectangle.
  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  public subscript(x: Int, y: Int) -> Color {
    get {
      precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside")
      return pixels[y * width + x]
    }
    set {
      precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside")
      pixels[y * width + x] = newValue
    }
  }

  /// Paints `color` over pixel `(x, y)` covering the fraction `coverage` of it; does nothing
  /// outside the image.
  public mutating func blend(x: Int, y: Int, _ color: Color, coverage: Double = 1) {
    guard x >= 0 && x < width && y >= 0 && y < height, coverage > 0 else { return }
    let index = y * width + x
    pixels[index] = color.composited(over: pixels[index], coverage: coverage)
  }

  /// Paints every pixel of `rect` (clipped to the image) with `color`.
  public mutating func fill(_ rect: Rect, with color: Color) {
    let clipped = rect.intersection(bounds)
    guard !clipped.isEmpty else { return }
    for y in clipped.y..<clipped.maxY {
      for x in clipped.x..<clipped.maxX {
        if color.a == 255 {
          pixels[y * width + x] = color
        } else {
          blend(x: x, y: y, color)
        }
      }
    }
  }

  /// A one-pixel outline just inside `rect`.
  public mutating func stroke(_ rect: Rect, with color: Color) {
    guard !rect.isEmpty else { return }
    fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), with: color)
    fill(Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1), with: color)
    fill(Rect(x: rect.x, y: rect.y, width: 1, height: rect.height), with: color)
    fill(Rect(x: rect.maxX - 1, y: rect.y, width: 1, height: rect.height), with: color)
  }

  /// Copies `other` into this image with its top-left pixel at `(x, y)`, compositing by alpha.
  public mutating func draw(_ other: Bitmap, atX x: Int, y: Int) {
    for row in 0..<other.height {
      for column in 0..<other.width {
        blend(x: x + column, y: y + row, other.pixels[row * other.width + column])
      }
    }
  }
}
