import Tensors

/// Two estimates of the noise level of a fitted image, from the noisy image alone: the
/// threshold a discrepancy rule stops at.
///
/// A fit that follows the structure of the image but not its noise leaves a residual whose
/// mean square is the variance of the noise in the image. In a spectrogram image that noise
/// is not white: the window and the 75 % overlap of the STFT make neighbouring pixels
/// correlated, so an estimator that assumes independent pixels sees only part of it. The
/// chapter measures both estimates below against the actual variance over noise draws.

/// The noise variance of an image from its finest diagonal detail (Donoho and Johnstone):
/// over the 2 × 2 blocks `[a b; c e]`, `d = (a - b - c + e) / 2` cancels every plane and has
/// variance σ² for white noise of variance σ²; the median absolute value is robust to the
/// few blocks where the image itself has diagonal detail, `σ = median |d| / 0.6745`.
/// D. L. Donoho, I. M. Johnstone, "Ideal spatial adaptation by wavelet shrinkage",
/// Biometrika 81(3), 1994.
///
/// - Parameter image: `[rows, columns]` row-major.
/// - Returns: σ², the variance of white noise that would explain the detail; 0 for an image
///   smaller than 2 × 2.
public func diagonalDetailVariance(image: [Float], rows: Int, columns: Int) -> Double {
  precondition(image.count == rows * columns, "image is not [rows, columns]")
  var details: [Double] = []
  details.reserveCapacity((rows / 2) * (columns / 2))
  for i in stride(from: 0, to: rows - 1, by: 2) {
    for j in stride(from: 0, to: columns - 1, by: 2) {
      let a = Double(image[i * columns + j]), b = Double(image[i * columns + j + 1])
      let c = Double(image[(i + 1) * columns + j]), e = Double(image[(i + 1) * columns + j + 1])
      details.append(abs(a - b - c + e) / 2)
    }
  }
  guard !details.isEmpty else { return 0 }
  let sigma = median(details) / 0.6745
  return sigma * sigma
}

/// The noise variance of a spectrogram image from its quietest columns (frames): rank the
/// columns by their mean, keep the quietest `⌈fraction · columns⌉` (at least 2), and average
/// over the rows the variance of each row across those columns,
///
///     σ² = (1 / rows) Σ_r (1 / (|Q| - 1)) Σ_{c ∈ Q} (image[r, c] - mean_Q[r])².
///
/// In frames that hold only noise, each row varies only with the noise: this is the noise
/// variance of a noise-dominated pixel, neighbours' correlation included. Pixels where speech
/// dominates vary less, so for the whole image it is an upper estimate.
///
/// - Parameter image: `[rows, columns]` row-major.
public func quietColumnsVariance(
  image: [Float], rows: Int, columns: Int, fraction: Double = 0.1
) -> Double {
  precondition(image.count == rows * columns && columns >= 2, "image is not [rows, columns]")
  var columnMean = [Double](repeating: 0, count: columns)
  for r in 0..<rows {
    for c in 0..<columns { columnMean[c] += Double(image[r * columns + c]) / Double(rows) }
  }
  let keep = min(columns, max(2, Int((fraction * Double(columns)).rounded(.up))))
  let quiet = columnMean.indices.sorted { (columnMean[$0], $0) < (columnMean[$1], $1) }
    .prefix(keep)
  var total = 0.0
  for r in 0..<rows {
    let values = quiet.map { Double(image[r * columns + $0]) }
    let mean = values.reduce(0, +) / Double(keep)
    total += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(keep - 1)
  }
  return total / Double(rows)
}
