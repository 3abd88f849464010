import Testing

/// The largest absolute difference between two arrays of the same length.
func maxAbsDifference<T: BinaryFloatingPoint>(_ a: [T], _ b: [T]) -> Double {
  precondition(a.count == b.count, "lengths differ: \(a.count) and \(b.count)")
  return zip(a, b).reduce(0) { max($0, abs(Double($1.0) - Double($1.1))) }
}

/// Expects `observed` to equal `expected` element by element within `tolerance`, absolute or
/// relative to the largest magnitude in `expected`; a failure reports expected, observed,
/// the worst index, the maximum difference and the tolerance.
func expectClose<T: BinaryFloatingPoint>(
  _ observed: [T], _ expected: [T], tolerance: Double, relative: Bool = false,
  _ what: String = "values", sourceLocation: SourceLocation = #_sourceLocation
) {
  guard observed.count == expected.count else {
    Issue.record(
      "\(what): \(observed.count) observed values, \(expected.count) expected",
      sourceLocation: sourceLocation)
    return
  }
  let largest = expected.map { abs(Double($0)) }.max() ?? 0
  let scale = relative ? max(largest, .leastNonzeroMagnitude) : 1
  var worst = 0
  var worstDifference = 0.0
  for i in expected.indices {
    let d = abs(Double(observed[i]) - Double(expected[i]))
    if d > worstDifference || d.isNaN {
      worst = i
      worstDifference = d.isNaN ? .infinity : d
    }
  }
  let error = worstDifference / scale
  if !(error <= tolerance) {
    Issue.record(
      """
      \(what): at index \(worst) expected \(expected[worst]), observed \(observed[worst]); \
      max difference \(worstDifference)\(relative ? " (relative \(error))" : ""), \
      tolerance \(tolerance)
      """, sourceLocation: sourceLocation)
  }
}

/// Expects two numbers to agree within `tolerance`, reporting both and the difference.
func expectClose<T: BinaryFloatingPoint>(
  _ observed: T, _ expected: T, tolerance: Double, _ what: String = "value",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  expectClose([observed], [expected], tolerance: tolerance, what, sourceLocation: sourceLocation)
}
