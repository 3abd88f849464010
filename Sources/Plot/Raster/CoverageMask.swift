/// A point in pixel coordinates, fractional: `(0.5, 0.5)` is the centre of the top-left pixel.
public struct Point: Equatable, Sendable {
  public var x: Double
  public var y: Double

  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }

  var isFinite: Bool { x.isFinite && y.isFinite }
}

/// Anti-aliased shapes collected as per-pixel coverage inside a clipping rectangle, then
/// painted in one colour.
///
/// A pixel's coverage is `clamp(r + 0.5 - d, 0, 1)`, with `d` the distance from its centre to
/// the shape's spine and `r` the half-width: a one-pixel-wide soft edge. Overlapping parts of
/// one shape (the joints of a polyline) take the maximum, not the sum, so joints do not darken.
/// Nothing outside the clipping rectangle is ever touched: this is how lines are clipped to a
/// plot's area.
struct CoverageMask {
  let clip: Rect
  private(set) var coverage: [Float]

  init(clip: Rect) {
    self.clip = clip
    self.coverage = Array(repeating: 0, count: max(0, clip.width) * max(0, clip.height))
  }

  /// A straight stroke of `width` pixels from `a` to `b` with round ends.
  mutating func addSegment(from a: Point, to b: Point, width: Double) {
    guard a.isFinite, b.isFinite, !clip.isEmpty else { return }
    let radius = width / 2
    let reach = radius + 1
    let dx = b.x - a.x
    let dy = b.y - a.y
    let lengthSquared = dx * dx + dy * dy
    let length = lengthSquared.squareRoot()
    let top = rowIndex(min(a.y, b.y) - reach)
    let bottom = rowIndex(max(a.y, b.y) + reach)
    guard top <= bottom else { return }
    for row in top...bottom {
      let cy = Double(row) + 0.5
      // The columns near the spine on this row: the infinite line's crossing, widened by the
      // reach across it, never beyond the segment's bounding box.
      var low = min(a.x, b.x) - reach
      var high = max(a.x, b.x) + reach
      if abs(dy) > 1e-9 {
        let crossing = a.x + (cy - a.y) * dx / dy
        let half = reach * length / abs(dy)
        low = max(low, crossing - half)
        high = min(high, crossing + half)
      }
      let first = columnIndex(low)
      let last = columnIndex(high)
      guard first <= last else { continue }
      for column in first...last {
        let cx = Double(column) + 0.5
        var t = lengthSquared > 0 ? ((cx - a.x) * dx + (cy - a.y) * dy) / lengthSquared : 0
        t = min(max(t, 0), 1)
        let ex = cx - (a.x + t * dx)
        let ey = cy - (a.y + t * dy)
        cover(column, row, radius + 0.5 - (ex * ex + ey * ey).squareRoot())
      }
    }
  }

  /// A polyline through `points`, solid or dashed (`dash`: pixels drawn, pixels skipped,
  /// measured along the line so the pattern runs on across vertices).
  mutating func addPolyline(_ points: [Point], width: Double, dash: (on: Double, off: Double)?) {
    guard points.count > 1 else {
      if let point = points.first { addDisc(center: point, radius: width / 2) }
      return
    }
    guard let dash else {
      for i in 1..<points.count { addSegment(from: points[i - 1], to: points[i], width: width) }
      return
    }
    let period = dash.on + dash.off
    var phase = 0.0  // distance into the current period
    for i in 1..<points.count {
      let a = points[i - 1]
      let b = points[i]
      let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
      guard length.isFinite, length > 0 else { continue }
      var done = 0.0
      while done < length {
        let inOn = phase < dash.on
        let step = min(length - done, (inOn ? dash.on : period) - phase)
        if inOn {
          let s = done / length
          let e = (done + step) / length
          addSegment(
            from: Point(x: a.x + s * (b.x - a.x), y: a.y + s * (b.y - a.y)),
            to: Point(x: a.x + e * (b.x - a.x), y: a.y + e * (b.y - a.y)), width: width)
        }
        done += step
        phase += step
        if phase >= period - 1e-9 { phase = 0 }
      }
    }
  }

  /// A filled disc.
  mutating func addDisc(center: Point, radius: Double) {
    addRing(center: center, radius: radius / 2, width: radius)
  }

  /// A circle of `radius` (to the middle of its stroke) drawn `width` pixels wide.
  mutating func addRing(center: Point, radius: Double, width: Double) {
    guard center.isFinite else { return }
    let outer = radius + width / 2 + 1
    let top = rowIndex(center.y - outer)
    let bottom = rowIndex(center.y + outer)
    let first = columnIndex(center.x - outer)
    let last = columnIndex(center.x + outer)
    guard top <= bottom, first <= last else { return }
    for row in top...bottom {
      for column in first...last {
        let ex = Double(column) + 0.5 - center.x
        let ey = Double(row) + 0.5 - center.y
        let distance = abs((ex * ex + ey * ey).squareRoot() - radius)
        cover(column, row, width / 2 + 0.5 - distance)
      }
    }
  }

  /// A filled diamond (a square turned 45 degrees) with corners `radius` from its centre.
  mutating func addDiamond(center: Point, radius: Double) {
    guard center.isFinite else { return }
    let top = rowIndex(center.y - radius - 1)
    let bottom = rowIndex(center.y + radius + 1)
    let first = columnIndex(center.x - radius - 1)
    let last = columnIndex(center.x + radius + 1)
    guard top <= bottom, first <= last else { return }
    for row in top...bottom {
      for column in first...last {
        // Distance to the edge measured across it: |dx| + |dy| = radius is the outline.
        let l1 = abs(Double(column) + 0.5 - center.x) + abs(Double(row) + 0.5 - center.y)
        cover(column, row, (radius - l1) / Double(2).squareRoot() + 0.5)
      }
    }
  }

  /// Paints `color` over `bitmap` wherever the mask has coverage.
  func paint(on bitmap: inout Bitmap, color: Color) {
    for row in 0..<clip.height {
      for column in 0..<clip.width {
        let c = coverage[row * clip.width + column]
        if c > 0 {
          bitmap.blend(x: clip.x + column, y: clip.y + row, color, coverage: Double(c))
        }
      }
    }
  }

  /// The row containing `y`, clamped into the clip: loops over a shape outside the clip
  /// then visit only pixels it does not reach, and huge or infinite coordinates never reach
  /// `Int(_:)`.
  private func rowIndex(_ y: Double) -> Int {
    Int(min(max(y.rounded(.down), Double(clip.y)), Double(clip.maxY - 1)))
  }

  /// The column containing `x`, clamped into the clip like `rowIndex`.
  private func columnIndex(_ x: Double) -> Int {
    Int(min(max(x.rounded(.down), Double(clip.x)), Double(clip.maxX - 1)))
  }

  private mutating func cover(_ column: Int, _ row: Int, _ amount: Double) {
    guard amount > 0 else { return }
    let index = (row - clip.y) * clip.width + (column - clip.x)
    coverage[index] = max(coverage[index], Float(min(amount, 1)))
  }
}
