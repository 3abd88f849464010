import Denoising
import Foundation
import Prior
import Testing

@Suite("Chapter 7: stopping the speech + noise fit by its own statistics")
struct Chapter07LikelihoodStoppingTests {
  @Test func gammaDiscrepancyStopsWhereTheDivergenceReachesEulersConstant() {
    // A training divergence 0.5 + 2 e^(−i/50) crosses margin · γ = 1.1 · 0.5772 = 0.6349 where
    // e^(−i/50) = 0.06747, i = 50 ln(14.82) ≈ 134.8: the first step at or past it is 140.
    var rule = DiscrepancyRule(noiseVariance: eulerGamma, margin: 1.1)
    var stoppedAt: Int? = nil
    for i in stride(from: 0, through: 600, by: 10) {
      if rule.observe(FitStep(iteration: i, loss: 0.5 + 2 * exp(-Double(i) / 50))) {
        stoppedAt = i
        break
      }
    }
    #expect(stoppedAt == 140)
    #expect(rule.chosenIteration == 140)
  }

  @Test func speechPlusNoiseEnhancerUsesGammaAsTheDiscrepancyLevel() throws {
    var prior = PriorEnhancer()
    prior.domain = .power(exponent: 0.3)
    prior.model = .speechPlusNoise
    prior.stop = .discrepancy(margin: 1.2)
    let target = try FitTarget(
      noisy: (0..<4_096).map { Float(sin(Double($0) * 0.1)) }, domain: prior.domain)
    let rule = try #require(prior.stoppingRule(for: target) as? DiscrepancyRule)
    #expect(rule.noiseVariance == 0.577_215_664_901_532_9 && rule.margin == 1.2)
  }

  @Test func heldOutTilesAreWholeTilesAtAboutTheAskedShare() {
    let (rows, frames) = (256, 256)
    let mask = heldOutTiles(rows: rows, frames: frames, fraction: 0.2, seed: 3)
    // Every 8 × 4 tile is all in or all out.
    for f0 in stride(from: 0, to: rows, by: 8) {
      for t0 in stride(from: 0, to: frames, by: 4) {
        let tile = (f0..<f0 + 8).flatMap { f in (t0..<t0 + 4).map { mask[f * frames + $0] } }
        #expect(Set(tile).count == 1, "tile at row \(f0), frame \(t0) is split")
      }
    }
    // 2 048 tiles, each out with p = 0.2: the share is 0.2 ± 3 · √(0.16 / 2048) = ± 0.027.
    let share = Double(mask.filter { $0 }.count) / Double(mask.count)
    #expect(abs(share - 0.2) < 0.027, "held-out share \(share)")
    #expect(mask == heldOutTiles(rows: rows, frames: frames, fraction: 0.2, seed: 3))
    #expect(mask != heldOutTiles(rows: rows, frames: frames, fraction: 0.2, seed: 4))
  }
}
