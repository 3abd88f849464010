/// A method's mean improvement over the noisy input on an evaluation set: by noise kind, and
/// over all items. Every table of chapter 7 is made of these.
public struct Improvement: Equatable, Sendable {
  /// The mean for each kind of `NoiseKind.allCases`, in that order; NaN for a kind with no
  /// item.
  public let byNoise: [Double]
  /// The mean over every item.
  public let all: Double
  /// Each item's improvement, in the order of the items, and the item's noise kind.
  public let items: [Double]
  public let noises: [NoiseKind]

  /// The means of `values`, `noises[i]` being the noise kind of `values[i]`.
  public init(_ values: [Double], noises: [NoiseKind]) {
    precondition(!values.isEmpty, "no values to average")
    byNoise = meanByNoise(values, noises: noises)
    all = values.reduce(0, +) / Double(values.count)
    items = values
    self.noises = noises
  }

  /// The items' improvements of each kind of `NoiseKind.allCases`, in that order (empty for a
  /// kind with no item): what each mean of `byNoise` averages.
  public var itemsByNoise: [[Double]] {
    NoiseKind.allCases.map { kind in zip(items, noises).filter { $0.1 == kind }.map(\.0) }
  }

  /// The means of `method[i] - noisy[i]`: a score of the method's output minus the same
  /// score of the noisy input, item by item.
  public init(_ method: [Double], over noisy: [Double], noises: [NoiseKind]) {
    precondition(method.count == noisy.count, "one noisy score per method score")
    self.init(zip(method, noisy).map { $0 - $1 }, noises: noises)
  }

  /// The SI-SDR improvement of a method's scores over the noisy input's.
  public init(siSDR scores: [EvaluationScore], over noisy: [EvaluationScore]) {
    self.init(scores.map(\.siSDR), over: noisy.map(\.siSDR), noises: scores.map(\.noise))
  }
}

/// The mean of `value` over the scores of each noise kind, in the order of `kinds`; NaN
/// for a kind with no score.
public func meanByNoise(
  _ scores: [EvaluationScore], kinds: [NoiseKind] = NoiseKind.allCases,
  _ value: (EvaluationScore) -> Double
) -> [Double] {
  meanByNoise(scores.map(value), noises: scores.map(\.noise), kinds: kinds)
}

/// The mean of the `values` whose item has each noise kind (`noises[i]` is the kind of
/// `values[i]`), in the order of `kinds`; NaN for a kind with no value.
public func meanByNoise(
  _ values: [Double], noises: [NoiseKind], kinds: [NoiseKind] = NoiseKind.allCases
) -> [Double] {
  precondition(values.count == noises.count, "one noise kind per value")
  return kinds.map { kind in
    let chosen = zip(values, noises).filter { $0.1 == kind }.map(\.0)
    return chosen.isEmpty ? .nan : chosen.reduce(0, +) / Double(chosen.count)
  }
}

/// The mean SI-SDR improvement over the noisy input at each input SNR of `levels`, all
/// noises together; NaN for a level with no item.
public func meanImprovementBySNR(
  _ scores: [EvaluationScore], over noisy: [EvaluationScore], levels: [Double]
) -> [Double] {
  precondition(scores.count == noisy.count, "one noisy score per method score")
  return levels.map { level in
    let gains = zip(scores, noisy).filter { $0.0.snrDB == level }.map { $0.0.siSDR - $0.1.siSDR }
    return gains.isEmpty ? .nan : gains.reduce(0, +) / Double(gains.count)
  }
}
