import Foundation

extension Diagram {
  /// How overlapping segments are put back together: where each segment lies, the weight
  /// each is multiplied by, and, magnified, one crossfade whose two ramps sum to one.
  ///
  /// Everything is read off `weights`, the segmenter's own weights: a segment's length is the
  /// length of its weights, the overlap is how many of the first segment's last weights are
  /// below one (its fade-out), and segments start `length - overlap` positions apart.
  /// - Parameters:
  ///   - weights: the weights of segment `s` of `count`, as `Segmenter.weights(segment:of:)`.
  ///   - segments: how many segments to draw, at least 3 so that one has both fades.
  ///   - sampleRate: positions per second, for the time axis.
  public static func crossfade(
    _ weights: (_ segment: Int, _ count: Int) -> [Float], segments count: Int = 3,
    sampleRate: Int = 16_000
  ) -> Diagram {
    precondition(count >= 3, "a crossfade diagram of \(count) segments")
    let all = (0..<count).map { weights($0, count) }
    let length = all[0].count
    let overlap = all[0].reversed().prefix { $0 < 1 }.count
    let hop = length - overlap
    precondition(overlap > 0 && hop > 0, "segments of \(length) sharing \(overlap)")
    let total = (count - 1) * hop + length
    let (left, plotWidth) = (70.0, 1160.0)
    var diagram = Diagram(width: Int(left) * 2 + Int(plotWidth), height: 720)
    func x(_ position: Double) -> Double { left + position / Double(total) * plotWidth }
    func ms(_ positions: Int) -> String { milliseconds(positions, sampleRate: sampleRate) }
    func seconds(_ position: Double) -> String {
      String(format: "%.1f", position / Double(sampleRate))
    }
    let secondTicks = stride(from: 0.0, through: Double(total), by: Double(sampleRate) / 2)
      .map { (x($0), seconds($0)) }

    diagram.text(
      "Segments of \(length) samples (\(ms(length))), \(hop) apart, sharing \(overlap) "
        + "samples (\(ms(overlap)))", at: 20, 14, anchor: TextAnchor(.left, .top), font: .bold)
    for s in 0..<count {
      let start = x(Double(s * hop))
      let rect = Rect(
        x: Int(start.rounded()), y: 44 + 30 * s,
        width: Int((x(Double(s * hop + length)) - start).rounded()), height: 24)
      diagram.box(
        rect, fill: Color.palette(s).mixed(with: .white, 0.6), stroke: .palette(s),
        label: "segment \(s): samples \(s * hop) ..< \(s * hop + length)")
    }
    diagram.bracket(
      from: x(Double(hop)), to: x(Double(length)), at: Double(44 + 30 * count + 14),
      label: "overlap: \(overlap) samples (\(ms(overlap)))", labelBelow: true)

    // The weights along the whole signal, one curve per segment, and their sum.
    let (weightTop, weightBase) = (210.0, 330.0)
    /// `values` from `a` to `b`, one point per pixel column of `place`, drawn up from `base`.
    func curve(
      _ values: (Double) -> Double, from a: Double, to b: Double, base: Double, top: Double,
      place: (Double) -> Double
    ) -> [Point] {
      let columns = max(1, Int((place(b) - place(a)).rounded(.up)))
      return (0...columns).map { c in
        let position = a + (b - a) * Double(c) / Double(columns)
        return Point(x: place(position), y: base - values(position) * (base - top))
      }
    }
    func weight(_ s: Int, _ position: Double) -> Double {
      let k = Int(position.rounded(.down)) - s * hop
      return (0..<length).contains(k) ? Double(all[s][k]) : 0
    }
    diagram.text(
      "weight of each segment (fade in, 1, fade out) and their sum", at: 20, 180,
      anchor: TextAnchor(.left, .top), font: .bold)
    for s in 0..<count {
      let points = curve(
        { weight(s, $0) }, from: Double(s * hop), to: Double(s * hop + length - 1),
        base: weightBase, top: weightTop, place: x)
      diagram.line(points, color: .palette(s), width: 2)
    }
    let sum = curve(
      { p in (0..<count).reduce(0) { $0 + weight($1, p) } }, from: 0, to: Double(total - 1),
      base: weightBase, top: weightTop, place: x)
    diagram.line(sum.map { Point(x: $0.x, y: $0.y - 3) }, color: .black, width: 1.5, dashed: true)
    diagram.text(
      "sum = 1", at: Int(x(Double(total))) + 6, Int(weightTop) - 3,
      anchor: TextAnchor(.left, .center))
    diagram.ruler(
      at: weightBase, from: x(0), to: x(Double(total)), ticks: secondTicks, title: "time (s)")

    // One crossfade magnified: segment 0 fading out while segment 1 fades in.
    let (zoomStart, zoomEnd) = (Double(hop - overlap / 2), Double(length + overlap / 2))
    func zoomX(_ position: Double) -> Double {
      left + (position - zoomStart) / (zoomEnd - zoomStart) * plotWidth
    }
    let (zoomTop, zoomBase) = (460.0, 640.0)
    diagram.text(
      "the crossfade magnified: r[k] = sin^2(pi (k + 1/2) / (2 * \(overlap))), "
        + "fade-out r[\(overlap - 1) - k], their sum 1", at: 20, 416,
      anchor: TextAnchor(.left, .top), font: .bold)
    for s in 0..<2 {
      let points = curve(
        { weight(s, $0) }, from: zoomStart, to: zoomEnd, base: zoomBase, top: zoomTop,
        place: zoomX)
      diagram.line(points, color: .palette(s), width: 2.5)
    }
    diagram.line(
      [Point(x: zoomX(zoomStart), y: zoomTop - 3), Point(x: zoomX(zoomEnd), y: zoomTop - 3)],
      color: .black, width: 1.5, dashed: true)
    diagram.text(
      "segment 0: 1, then fading out", at: Int(zoomX(zoomStart)) + 10, Int(zoomTop) + 24,
      anchor: TextAnchor(.left, .center), color: .palette(0))
    diagram.text(
      "segment 1: fading in, then 1", at: Int(zoomX(zoomEnd)) - 10, Int(zoomTop) + 24,
      anchor: TextAnchor(.right, .center), color: .palette(1))
    let zoomTicks = stride(
      from: -overlap / 2, through: overlap + overlap / 2, by: max(1, overlap / 4)
    )
    .map { (zoomX(Double(hop + $0)), "\(hop + $0)") }
    diagram.ruler(
      at: zoomBase, from: zoomX(zoomStart), to: zoomX(zoomEnd), ticks: zoomTicks,
      title: "sample (the overlap is \(hop) ..< \(length): \(ms(overlap)))")
    return diagram
  }
}
