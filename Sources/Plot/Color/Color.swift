/// An 8-bit sRGB colour with straight (not premultiplied) alpha, as stored in a PNG.
public struct Color: Equatable, Hashable, Sendable {
  public var r: UInt8
  public var g: UInt8
  public var b: UInt8
  /// Opacity: 255 is opaque, 0 fully transparent.
  public var a: UInt8

  public init(r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255) {
    self.r = r
    self.g = g
    self.b = b
    self.a = a
  }

  /// A grey level: `r = g = b = level`.
  public init(gray level: UInt8, a: UInt8 = 255) {
    self.init(r: level, g: level, b: level, a: a)
  }

  /// A colour from `0xRRGGBB`.
  public init(hex: UInt32, a: UInt8 = 255) {
    self.init(
      r: UInt8(truncatingIfNeeded: hex >> 16), g: UInt8(truncatingIfNeeded: hex >> 8),
      b: UInt8(truncatingIfNeeded: hex), a: a)
  }

  public static let black = Color(gray: 0)
  public static let white = Color(gray: 255)
  /// Mid grey, for secondary marks.
  public static let gray = Color(gray: 128)
  /// Tick labels and frames of secondary elements.
  public static let darkGray = Color(gray: 64)
  /// Legend borders.
  public static let lightGray = Color(gray: 200)
  /// Grid lines: visible but quieter than any data.
  public static let faintGray = Color(gray: 232)
  public static let transparent = Color(r: 0, g: 0, b: 0, a: 0)

  /// Ten distinguishable line colours, in order of use: the "Tableau 10" palette that
  /// matplotlib uses by default (`tab10`): blue, orange, green, red, purple, brown, pink,
  /// grey, olive, cyan.
  public static let palette: [Color] = [
    0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
    0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
  ].map { Color(hex: $0) }

  /// The `index`-th palette colour, wrapping around after the last.
  public static func palette(_ index: Int) -> Color {
    palette[((index % palette.count) + palette.count) % palette.count]
  }

  /// This colour with its alpha replaced.
  public func withAlpha(_ alpha: UInt8) -> Color {
    Color(r: r, g: g, b: b, a: alpha)
  }

  /// The colour a fraction `t` of the way from `self` to `other`, channel by channel
  /// (t = 0 gives `self`, t = 1 gives `other`).
  public func mixed(with other: Color, _ t: Double) -> Color {
    let t = min(max(t, 0), 1)
    func channel(_ p: UInt8, _ q: UInt8) -> UInt8 {
      UInt8((Double(p) + (Double(q) - Double(p)) * t).rounded())
    }
    return Color(
      r: channel(r, other.r), g: channel(g, other.g), b: channel(b, other.b),
      a: channel(a, other.a))
  }

  /// `self` painted over `background` with extra coverage `coverage` in [0, 1] (the fraction
  /// of the pixel a shape covers), by the "over" operator of Porter and Duff.
  func composited(over background: Color, coverage: Double = 1) -> Color {
    let alpha = Double(a) / 255 * min(max(coverage, 0), 1)
    if alpha >= 1 { return self }
    if alpha <= 0 { return background }
    let backAlpha = Double(background.a) / 255
    let outAlpha = alpha + backAlpha * (1 - alpha)
    func channel(_ front: UInt8, _ back: UInt8) -> UInt8 {
      let value = (Double(front) * alpha + Double(back) * backAlpha * (1 - alpha)) / outAlpha
      return UInt8(min(max(value.rounded(), 0), 255))
    }
    return Color(
      r: channel(r, background.r), g: channel(g, background.g), b: channel(b, background.b),
      a: UInt8((outAlpha * 255).rounded()))
  }
}
