/// A map from numbers in [0, 1] to colours, as a table of 256 entries.
///
/// `magma` and `viridis` are the perceptually uniform maps of van der Walt and Smith
/// (https://bids.github.io/colormap/): equal steps in value look like equal steps in
/// colour, and they stay readable in greyscale and to colour-blind readers.
public enum Colormap: Sendable, CaseIterable {
  /// Black, purple, orange, pale yellow: the default for spectrograms.
  case magma
  /// Dark blue, green, yellow.
  case viridis
  /// Black to white.
  case grayscale

  /// The 256 colours, index 0 for the smallest value.
  public var table: [Color] {
    switch self {
    case .magma: return Colormap.magmaTable
    case .viridis: return Colormap.viridisTable
    case .grayscale: return Colormap.grayscaleTable
    }
  }

  static let magmaTable = magmaRGB.map { Color(r: $0.0, g: $0.1, b: $0.2) }
  static let viridisTable = viridisRGB.map { Color(r: $0.0, g: $0.1, b: $0.2) }
  static let grayscaleTable = (0...255).map { Color(gray: UInt8($0)) }

  /// The colour for `t`: [0, 1] is cut into 256 equal bins, bin k showing `table[k]`.
  ///
  /// Values below 0 (including -infinity) show the first colour, values above 1 (including
  /// +infinity) the last; NaN, a missing value, shows the first colour too, so a silent
  /// bin of a spectrogram (log of zero) and an undefined one look alike.
  public func color(_ t: Double) -> Color {
    table[Colormap.index(t, count: 256)]
  }

  /// The colour for `value` on a scale from `range.lowerBound` (first colour) to
  /// `range.upperBound` (last colour); an empty range maps everything to the middle.
  public func color(_ value: Double, in range: ClosedRange<Double>) -> Color {
    let span = range.upperBound - range.lowerBound
    guard span > 0 else { return color(value.isNaN ? value : 0.5) }
    return color((value - range.lowerBound) / span)
  }

  /// The bin of `t` among `count` equal bins of [0, 1], clamped to 0...count-1; NaN goes to
  /// bin 0.
  static func index(_ t: Double, count: Int) -> Int {
    // BEGIN SOLUTION colormap-index (chapter 1): bin k is [k/count, (k+1)/count); clamp, NaN to 0
    guard !t.isNaN else { return 0 }
    // Scale before converting: Int(t * count) would trap for huge t, so clamp first.
    let scaled = (min(max(t, 0), 1) * Double(count)).rounded(.down)
    return min(Int(scaled), count - 1)
    // END SOLUTION
  }
}
