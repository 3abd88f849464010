import Foundation
import Prior

// book: stopping-rule
/// Decides, from what a fit can see (its loss, its outputs, never the clean signal), when to
/// stop and which iteration's output to keep.
///
/// The fit loop calls `observe` at every iteration or every few (an "evaluation step"); the
/// rule answers whether to stop now. `chosenIteration` is the iteration whose output the rule
/// recommends; it only ever changes to the iteration just observed, so the loop keeps the
/// current output whenever `chosenIteration == step.iteration`, and needs no history.
/// When the loop reaches its iteration budget first, the recommendation so far stands.
public protocol StoppingRule {
  /// A short name for tables ("discrepancy", "moving variance").
  var name: String { get }
  /// The recommended iteration so far; nil before the first step.
  var chosenIteration: Int? { get }
  /// Takes one evaluation step; true when the fit should stop now.
  mutating func observe(_ step: FitStep) -> Bool
}
// book: end

/// Stop after a fixed number of iterations (the first step at or past it): the rule with no
/// information, and the "best fixed count" of the chapter's comparison.
public struct FixedCountRule: StoppingRule {
  public let iterations: Int
  public private(set) var chosenIteration: Int?
  public var name: String { "fixed \(iterations)" }

  public init(iterations: Int) { self.iterations = iterations }

  public mutating func observe(_ step: FitStep) -> Bool {
    chosenIteration = step.iteration
    return step.iteration >= iterations
  }
}

// book: discrepancy
/// Morozov's discrepancy principle: stop at the first step where the fit's residual has come
/// down to the noise level, `loss ≤ margin · σ²`.
///
/// The target is `signal + noise`. A fit that matches the target more closely than the noise
/// is large can only be doing it by fitting the noise. σ² must be estimated from the noisy
/// target itself (`quietColumnsVariance`, `diagonalDetailVariance`), and `margin` absorbs
/// what that estimate misses.
/// V. A. Morozov, "On the solution of functional equations by the method of regularization",
/// Soviet Math. Dokl. 7, 1966.
public struct DiscrepancyRule: StoppingRule {
  /// σ², the noise variance of the target, in the units of the loss.
  public let noiseVariance: Double
  /// The threshold is `margin · σ²`.
  public let margin: Double
  public private(set) var chosenIteration: Int?
  public var name: String { "discrepancy" }

  public init(noiseVariance: Double, margin: Double = 1) {
    self.noiseVariance = noiseVariance
    self.margin = margin
  }

  public mutating func observe(_ step: FitStep) -> Bool {
    // BEGIN SOLUTION discrepancy-rule: keep each step; stop once the residual is down to the noise
    chosenIteration = step.iteration
    return step.loss <= margin * noiseVariance
    // END SOLUTION
  }
}
// book: end

/// The windowed moving-variance rule (ES-WMV): while a fit learns structure its outputs
/// change quickly, then they settle, then they start to follow the noise and change again.
/// The variance of the last `window` outputs,
///
///     V_t = (1 / (W d)) Σ_{i = t-W+1 … t} ‖x_i - x̄‖²,   x̄ the mean of those W outputs,
///
/// (d values per output) tracks that; the rule keeps the last output of the window with the
/// smallest V seen, and stops when `patience` steps have brought no smaller one.
/// H. Wang, T. Li, Z. Zhuang, T. Chen, H. Liang, J. Sun, "Early stopping for deep image
/// prior", TMLR 2023, https://arxiv.org/abs/2112.06074 (they keep the window's first output;
/// the last one is the one a loop without history still holds).
public struct MovingVarianceRule: StoppingRule {
  /// W, outputs per window.
  public let window: Int
  /// Steps without a new minimum before stopping.
  public let patience: Int
  public private(set) var chosenIteration: Int?
  /// The smallest windowed variance so far.
  public private(set) var smallestVariance = Double.infinity
  public var name: String { "moving variance" }

  private var recent: [[Float]] = []
  private var stepsSinceMinimum = 0

  public init(window: Int, patience: Int) {
    precondition(window >= 2 && patience >= 1, "window \(window), patience \(patience)")
    self.window = window
    self.patience = patience
  }

  public mutating func observe(_ step: FitStep) -> Bool {
    precondition(!step.output.isEmpty, "the moving-variance rule needs outputs")
    recent.append(step.output)
    if recent.count > window { recent.removeFirst() }
    guard recent.count == window else {
      // Until the first window is full, the latest output is the best there is.
      chosenIteration = step.iteration
      return false
    }
    let variance = windowVariance(recent)
    if variance < smallestVariance {
      smallestVariance = variance
      chosenIteration = step.iteration
      stepsSinceMinimum = 0
      return false
    }
    stepsSinceMinimum += 1
    return stepsSinceMinimum >= patience
  }
}

/// `(1 / (W d)) Σ_i ‖x_i - x̄‖²` over W outputs of d values each, in Double.
public func windowVariance(_ outputs: [[Float]]) -> Double {
  let w = Double(outputs.count)
  let d = outputs.first?.count ?? 0
  var total = 0.0
  for j in 0..<d {
    var sum = 0.0
    var squares = 0.0
    for x in outputs {
      sum += Double(x[j])
      squares += Double(x[j]) * Double(x[j])
    }
    // Σ (x - mean)² = Σ x² - (Σ x)² / W, clamped at 0 against rounding.
    total += max(squares - sum * sum / w, 0)
  }
  return d == 0 ? 0 : total / (w * Double(d))
}

/// Stop on the bins the fit does not see: the fit minimises the divergence over most of the
/// spectrogram and this rule watches it over held-out tiles (`PriorFit.heldOutFraction`).
/// While the network learns what speech and noise look like, both fall; once it starts to
/// draw the noise's own fluctuations in the bins it sees, which tell nothing about the
/// held-out ones, the held-out divergence turns up. The rule keeps the step with the least
/// held-out divergence and stops `patience` steps after it. (Hold-out validation, as in
/// early stopping for any fit; here within one recording.)
public struct HeldOutRule: StoppingRule {
  /// Steps without a new minimum before stopping.
  public let patience: Int
  public private(set) var chosenIteration: Int?
  /// The least held-out divergence so far.
  public private(set) var smallestLoss = Double.infinity
  public var name: String { "held-out bins" }

  private var stepsSinceMinimum = 0

  public init(patience: Int) {
    precondition(patience >= 1, "patience \(patience)")
    self.patience = patience
  }

  public mutating func observe(_ step: FitStep) -> Bool {
    guard let loss = step.heldOutLoss else {
      preconditionFailure("the held-out rule needs a fit with held-out bins")
    }
    // BEGIN SOLUTION held-out-rule (chapter 8): keep the least held-out D; stop patience steps on
    if loss < smallestLoss {
      (smallestLoss, chosenIteration, stepsSinceMinimum) = (loss, step.iteration, 0)
      return false
    }
    stepsSinceMinimum += 1
    return stepsSinceMinimum >= patience
    // END SOLUTION
  }
}
