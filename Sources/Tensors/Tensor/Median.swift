/// The median of some numbers: the middle one, or the mean of the middle two. The one median
/// of the library, for timings, noise levels and residual powers alike.
public func median<T: BinaryFloatingPoint>(_ values: [T]) -> T {
  precondition(!values.isEmpty, "the median of no numbers")
  let sorted = values.sorted()
  let n = sorted.count
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}
