import Denoising
import Foundation
import Prior
import Testing

@Suite("Chapter 8: stopping the fit on the bins it does not see")
struct Chapter08HeldOutStoppingTests {
  /// A held-out divergence that falls as 1 + 2 e^(−i/60) while the fit learns, plus a rise of
  /// 0.002 per iteration after iteration 100 once it draws noise.
  private func heldOutCurve(_ i: Int) -> Double {
    1 + 2 * exp(-Double(i) / 60) + 0.002 * max(Double(i) - 100, 0)
  }

  @Test(.tags(.heldOutRule)) func heldOutRuleKeepsTheMinimumAndStopsAfterItsPatience() {
    // Past 100 the slope is −(2/60) e^(−i/60) + 0.002, zero where e^(−i/60) = 0.06, at
    // i = 60 ln(16.67) ≈ 168.8; on a 10-step grid the least value is at 170.
    let grid = Array(stride(from: 0, through: 600, by: 10))
    let expected = grid.min { heldOutCurve($0) < heldOutCurve($1) }!
    #expect(expected == 170)
    var rule = HeldOutRule(patience: 5)
    var stoppedAt: Int? = nil
    for i in grid {
      if rule.observe(FitStep(iteration: i, loss: 0, heldOutLoss: heldOutCurve(i))) {
        stoppedAt = i
        break
      }
    }
    #expect(rule.chosenIteration == expected)
    #expect(stoppedAt == expected + 5 * 10, "stopped at \(String(describing: stoppedAt))")
  }
}
