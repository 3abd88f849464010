import Prior

/// The noise level of the image a prior fit fits, actual and estimated: the level a
/// discrepancy rule must stop at.
///
/// The image's noise is what changes from one noise draw to the next. With several mixtures
/// of the same speech, each drawn with its own noise and all scaled like the first, the
/// actual variance is that of each pixel over the draws, averaged over the pixels. A rule has
/// one draw only and must estimate it from that image: from its quietest columns, or from
/// its finest diagonal detail.
public struct ImageNoiseLevel: Equatable, Sendable {
  /// The variance of each pixel over the draws, averaged over the pixels.
  public let actual: Double
  /// `quietColumnsVariance` of the first draw's image.
  public let quietColumns: Double
  /// `diagonalDetailVariance` of the first draw's image.
  public let diagonalDetail: Double

  /// - Parameters:
  ///   - draws: mixtures of the same clean segment with independent noise draws, at least 2.
  ///   - domain: the target domain of the fit; every image uses the first draw's scaling.
  public init(draws: [[Float]], domain: TargetDomain) throws(EvaluationError) {
    precondition(draws.count >= 2, "a variance over draws needs two draws")
    let first = try wrappingErrors { try FitTarget(noisy: draws[0], domain: domain) }
    let images =
      try [first.image]
      + draws.dropFirst().map { noisy throws(EvaluationError) in
        let target = try wrappingErrors { try FitTarget(noisy: noisy, domain: domain) }
        return first.scaling.scaled(Array(target.noisyMagnitude.prefix(target.image.count)))
      }
    actual = meanPixelVariance(images)
    quietColumns = quietColumnsVariance(image: first.image, rows: first.rows, columns: first.frames)
    diagonalDetail = diagonalDetailVariance(
      image: first.image, rows: first.rows, columns: first.frames)
  }
}

extension ImageNoiseLevel {
  /// The mean of each level over `levels`.
  public init(averaging levels: [ImageNoiseLevel]) {
    precondition(!levels.isEmpty, "no levels to average")
    let n = Double(levels.count)
    actual = levels.reduce(0) { $0 + $1.actual } / n
    quietColumns = levels.reduce(0) { $0 + $1.quietColumns } / n
    diagonalDetail = levels.reduce(0) { $0 + $1.diagonalDetail } / n
  }
}

extension EvaluationSet {
  /// The image noise level of every item, each measured over the item and the same item of
  /// every set in `redrawn` (this set built again with other noise seeds).
  public func imageNoiseLevels(redrawn: [EvaluationSet], domain: TargetDomain)
    throws(EvaluationError) -> [ImageNoiseLevel]
  {
    try items.indices.map { i throws(EvaluationError) in
      try ImageNoiseLevel(
        draws: [items[i].noisy] + redrawn.map { $0.items[i].noisy }, domain: domain)
    }
  }

  /// The mean of `levels` (one per item, as `imageNoiseLevels` gives them) over the items of
  /// one noise kind at one input SNR.
  public func meanImageNoiseLevel(_ levels: [ImageNoiseLevel], noise: NoiseKind, snrDB: Double)
    -> ImageNoiseLevel
  {
    precondition(levels.count == items.count, "one level per item")
    let chosen = items.indices.filter { items[$0].noise == noise && items[$0].snrDB == snrDB }
    return ImageNoiseLevel(averaging: chosen.map { levels[$0] })
  }
}

/// The unbiased variance of each pixel over the images, `Σ_d (x_d - x̄)² / (D - 1)`, averaged
/// over the pixels; in Double.
public func meanPixelVariance(_ images: [[Float]]) -> Double {
  precondition(images.count >= 2, "a variance needs two images")
  let pixels = images[0].count
  precondition(images.allSatisfy { $0.count == pixels }, "images of different sizes")
  let draws = Double(images.count)
  var total = 0.0
  for p in 0..<pixels {
    let mean = images.reduce(0.0) { $0 + Double($1[p]) } / draws
    total += images.reduce(0.0) { $0 + (Double($1[p]) - mean) * (Double($1[p]) - mean) }
  }
  return total / (draws - 1) / Double(pixels)
}
