import Foundation

/// How data values map to positions along an axis.
public enum AxisScale: Sendable {
  /// Position proportional to the value.
  case linear
  /// Position proportional to log10 of the value; ticks at decades (0.01, 0.1, 1, 10, ...).
  /// Values that are not positive have no position and are left out.
  case log

  /// The tick values inside `range`, smallest first.
  ///
  /// Linear: multiples of a "nice" step (1, 2 or 5 times a power of ten) chosen so that about
  /// `count` ticks fit. Log: the powers of ten inside the range, every second or third one if
  /// there are many more than `count`; when fewer than three decades fall inside, 1, 2 and 5
  /// times the powers of ten, and failing that the linear ticks.
  public func ticks(in range: ClosedRange<Double>, count: Int = 6) -> [Double] {
    switch self {
    case .linear:
      return Ticks.linear(in: range, count: count)
    case .log:
      return Ticks.logarithmic(in: range, count: count)
    }
  }

  /// Where `value` sits on the axis as a fraction of `range`: 0 at the lower bound, 1 at the
  /// upper; NaN for values a log axis cannot show.
  public func fraction(of value: Double, in range: ClosedRange<Double>) -> Double {
    switch self {
    case .linear:
      let span = range.upperBound - range.lowerBound
      return span > 0 ? (value - range.lowerBound) / span : 0.5
    case .log:
      guard value > 0, range.lowerBound > 0 else { return .nan }
      let low = log10(range.lowerBound)
      let span = log10(range.upperBound) - low
      return span > 0 ? (log10(value) - low) / span : 0.5
    }
  }

  /// A range that contains `values` (non-finite ones, and on a log axis non-positive ones,
  /// ignored) with a little room: each end is rounded out to a whole tick (a decade on a log
  /// axis) when that adds at most 5 % of the data's span, else the data's end plus 3 %; an end
  /// where the data would touch the frame gets the 3 % too. Nil when no value can be shown.
  public func niceRange(containing values: [Double], count: Int = 6) -> ClosedRange<Double>? {
    let shown = values.filter { $0.isFinite && (self == .linear || $0 > 0) }
    guard let smallest = shown.min(), let largest = shown.max() else { return nil }
    // Work where ticks are evenly spaced: the values themselves, or their logarithms.
    var low = self == .log ? log10(smallest) : smallest
    var high = self == .log ? log10(largest) : largest
    if high == low {
      let half = self == .log ? 0.5 : (low == 0 ? 1 : abs(low) * 0.1)
      low -= half
      high += half
    }
    let span = high - low
    // Beyond Double's range (spans near 1e308) there is nothing nice to round to.
    guard span.isFinite else { return smallest...largest }
    let step = self == .log ? 1 : Ticks.niceStep(span: span, count: count)
    func end(_ data: Double, rounded: Double, outwards: Double) -> Double {
      let gap = abs(rounded - data)
      if gap > 0.05 * span { return data + outwards * 0.03 * span }
      return gap < 0.01 * span ? rounded + outwards * 0.03 * span : rounded
    }
    let lower = end(low, rounded: (low / step).rounded(.down) * step, outwards: -1)
    let upper = end(high, rounded: (high / step).rounded(.up) * step, outwards: 1)
    return self == .log ? pow(10, lower)...pow(10, upper) : lower...upper
  }
}

/// Tick positions and tick labels.
public enum Ticks {
  /// The "nice" distance between ticks for a span of `span` cut into about `count` steps:
  /// the smallest of 1, 2 or 5 times a power of ten that is at least `span / count`.
  ///
  /// For example 1 / 6 gives 0.2, 2.04 / 6 gives 0.5, 8 / 6 gives 2.
  public static func niceStep(span: Double, count: Int) -> Double {
    // BEGIN SOLUTION nice-step (chapter 1): the least 1, 2 or 5 times 10^k >= span / count
    let raw = span / Double(max(count, 1))
    let power = pow(10, log10(raw).rounded(.down))
    // A relative tolerance keeps 0.2 at 0.2 when span / count is 0.2 plus rounding error.
    for multiple in [1.0, 2, 5] where multiple * power >= raw * (1 - 1e-9) {
      return multiple * power
    }
    return 10 * power
    // END SOLUTION
  }

  /// The multiples of `niceStep(span:count:)` inside `range`.
  ///
  /// Each tick is computed as (integer × mantissa) / 10^k rather than by repeated addition,
  /// so 0.6 is 0.6 and not 0.6000000000000001.
  public static func linear(in range: ClosedRange<Double>, count: Int = 6) -> [Double] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else {
      return range.lowerBound.isFinite ? [range.lowerBound] : []
    }
    let step = niceStep(span: span, count: count)
    // Ticks are counted in whole steps from zero; so many steps would not fit in an Int (and
    // would be indistinguishable in a Double anyway).
    guard max(abs(range.lowerBound), abs(range.upperBound)) / step < 1e15 else {
      return [range.lowerBound, range.upperBound]
    }
    let exponent = Int((log10(step) + 1e-9).rounded(.down))
    let mantissa = (step / pow(10, Double(exponent))).rounded()
    let first = Int((range.lowerBound / step - 1e-9).rounded(.up))
    let last = Int((range.upperBound / step + 1e-9).rounded(.down))
    guard first <= last else { return [] }
    return (first...last).map { k in
      let multiple = Double(k) * mantissa
      return exponent < 0
        ? multiple / pow(10, Double(-exponent)) : multiple * pow(10, Double(exponent))
    }
  }

  /// Ticks for a log axis: the powers of ten inside `range` (every n-th if there are more than
  /// `count + 2`), or 1, 2 and 5 times them when fewer than three powers fall inside.
  public static func logarithmic(in range: ClosedRange<Double>, count: Int = 6) -> [Double] {
    guard range.lowerBound > 0, range.upperBound > range.lowerBound else { return [] }
    let first = Int((log10(range.lowerBound) - 1e-9).rounded(.up))
    let last = Int((log10(range.upperBound) + 1e-9).rounded(.down))
    if last - first + 1 >= 3 {
      let stride = max(1, Int((Double(last - first + 1) / Double(count + 2)).rounded(.up)))
      // Keep the decades that are multiples of the stride, so 1 stays a tick when shown.
      return (first...last).filter { $0 % stride == 0 }.map { decade($0) }
    }
    var ticks: [Double] = []
    for k in (first - 1)...(last + 1) {
      for multiple in [1.0, 2, 5] {
        let value = multiple * decade(k)
        if value >= range.lowerBound * (1 - 1e-9) && value <= range.upperBound * (1 + 1e-9) {
          ticks.append(value)
        }
      }
    }
    return ticks.count >= 2 ? ticks : linear(in: range, count: count)
  }

  /// The unlabelled minor ticks of a log axis: 2, 3, ..., 9 times each power of ten, inside
  /// `range`; none when the range spans more than eight decades (they would blur together).
  public static func logarithmicMinor(in range: ClosedRange<Double>) -> [Double] {
    guard range.lowerBound > 0, range.upperBound > range.lowerBound else { return [] }
    let first = Int(log10(range.lowerBound).rounded(.down))
    let last = Int(log10(range.upperBound).rounded(.up))
    guard last - first <= 8 else { return [] }
    return (first...last).flatMap { k in (2...9).map { Double($0) * decade(k) } }
      .filter { range.contains($0) }
  }

  /// 10^k, exact for every k a Double can show (pow(10, k) is off by one ulp for some k < 0).
  static func decade(_ k: Int) -> Double {
    k >= 0 ? pow(10, Double(k)) : 1 / pow(10, Double(-k))
  }

  /// A short label for a tick `value` among ticks `step` apart, the largest of which has
  /// magnitude `largest` (by default the value's own): as few decimals as the step needs
  /// ("0.5"; 1.0 is written "1"), scientific ("2e-5", "1.5e6") when the largest tick is at
  /// least 1e5 or below 0.001, so that all labels of one axis share a form.
  public static func label(_ value: Double, step: Double, largest: Double? = nil) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    if abs(value) < abs(step) * 1e-9 { return "0" }
    let magnitude = max(largest ?? abs(value), abs(value))
    let stepExponent = Int((log10(abs(step)) + 1e-9).rounded(.down))
    if magnitude >= 1e5 || magnitude < 1e-3 {
      let exponent = Int((log10(abs(value)) + 1e-9).rounded(.down))
      return scientific(value, digits: min(max(0, exponent - stepExponent), 12))
    }
    return trimmed(String(format: "%.\(min(max(0, -stepExponent), 12))f", value))
  }

  /// A label for a tick of a log axis: plain from 0.001 to 10000 ("0.01", "20"), otherwise
  /// scientific ("1e-5", "1e6").
  public static func logLabel(_ value: Double) -> String {
    guard value > 0, value.isFinite else { return label(value, step: 1) }
    if value >= 1e-3 * (1 - 1e-9) && value < 1e5 {
      let decimals = max(0, -Int((log10(value) + 1e-9).rounded(.down)))
      return trimmed(String(format: "%.\(decimals)f", value))
    }
    return scientific(value, digits: 1)
  }

  /// `value` as mantissa "e" exponent with up to `digits` decimals, trailing zeros removed.
  static func scientific(_ value: Double, digits: Int) -> String {
    let text = String(format: "%.\(digits)e", value)
    guard let e = text.firstIndex(of: "e") else { return text }
    let mantissa = trimmed(String(text[..<e]))
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    return "\(mantissa)e\(exponent)"
  }

  /// Removes trailing zeros after a decimal point, and the point itself if nothing follows.
  static func trimmed(_ text: String) -> String {
    guard text.contains(".") else { return text == "-0" ? "0" : text }
    var result = text
    while result.hasSuffix("0") { result.removeLast() }
    if result.hasSuffix(".") { result.removeLast() }
    return result == "-0" ? "0" : result
  }
}
