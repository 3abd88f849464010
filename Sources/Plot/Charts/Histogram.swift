/// The counts of values in consecutive bins, and the density estimate they make.
///
/// Bin k covers `edges[k] ..< edges[k + 1]` (the last one includes its upper edge). The
/// density of bin k is `counts[k] / (n · (edges[k + 1] − edges[k]))` with n the number of
/// ALL values, those outside the edges included, so that the densities can be drawn against
/// a probability density function and integrate to the share of values inside the edges.
///
/// ```swift
/// let histogram = Histogram(ratios, range: 0...8, bins: 40)
/// let (x, y) = histogram.steps
/// plot.line(x: x, y: y, label: "measured")
/// ```
public struct Histogram: Equatable, Sendable {
  /// The bins' edges, increasing, `[bins + 1]`.
  public let edges: [Double]
  /// The values in each bin, `[bins]`.
  public let counts: [Int]
  /// The number of values counted, inside the edges or not (NaN is not counted at all).
  public let total: Int

  /// Counts `values` into the bins between `edges`.
  /// - Parameters:
  ///   - values: any values; those outside `edges.first! ... edges.last!` count only in
  ///     `total`.
  ///   - edges: at least two, strictly increasing.
  public init<T: BinaryFloatingPoint>(_ values: [T], edges: [Double]) {
    precondition(edges.count >= 2, "a histogram needs at least two edges")
    precondition(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "edges must increase")
    var counts = [Int](repeating: 0, count: edges.count - 1)
    var total = 0
    for value in values {
      let x = Double(value)
      guard !x.isNaN else { continue }
      total += 1
      guard x >= edges[0], x <= edges[edges.count - 1] else { continue }
      // The last edge not above x, by bisection; x on the last edge joins the last bin.
      var (low, high) = (0, edges.count - 1)
      while high - low > 1 {
        let middle = (low + high) / 2
        if edges[middle] <= x { low = middle } else { high = middle }
      }
      counts[low] += 1
    }
    self.edges = edges
    self.counts = counts
    self.total = total
  }

  /// Counts `values` into `bins` bins of equal width covering `range`.
  public init<T: BinaryFloatingPoint>(_ values: [T], range: ClosedRange<Double>, bins: Int) {
    precondition(bins > 0 && range.upperBound > range.lowerBound, "bins and range")
    let width = (range.upperBound - range.lowerBound) / Double(bins)
    let edges = (0...bins).map { range.lowerBound + Double($0) * width }
    self.init(values, edges: edges)
  }

  /// The centre of each bin, `[bins]`.
  public var centers: [Double] { zip(edges, edges.dropFirst()).map { ($0 + $1) / 2 } }

  /// The density of each bin, `counts[k] / (total · width[k])` (0 when nothing was counted).
  public var densities: [Double] {
    counts.indices.map { k in
      total > 0 ? Double(counts[k]) / (Double(total) * (edges[k + 1] - edges[k])) : 0
    }
  }

  /// The densities as a staircase to draw with `LinePlot.line`: each bin a flat step from
  /// its lower edge to its upper one, `[2 · bins]` points.
  public var steps: (x: [Double], y: [Double]) {
    let densities = densities
    var x: [Double] = []
    var y: [Double] = []
    for k in counts.indices {
      x += [edges[k], edges[k + 1]]
      y += [densities[k], densities[k]]
    }
    return (x, y)
  }
}

extension LinePlot {
  /// A histogram's densities, drawn as its staircase (`Histogram.steps`), and, when given, a
  /// probability density to compare them with, dashed, over the histogram's edges.
  public mutating func histogram(
    _ histogram: Histogram, label: String? = nil, color: Color? = nil,
    against density: ((Double) -> Double)? = nil, densityLabel: String? = nil
  ) {
    let (x, y) = histogram.steps
    line(x: x, y: y, label: label, color: color)
    guard let density, let first = histogram.edges.first, let last = histogram.edges.last else {
      return
    }
    let grid = (0...200).map { first + (last - first) * Double($0) / 200 }
    line(x: grid, y: grid.map(density), label: densityLabel, color: .black, dashed: true)
  }
}
