import Audio
import Foundation
import Prior
import Spectral
import Testing

// Chapter 6's program compares its fits with chapter 7's decision-directed Wiener filter; the
// baseline is tested here, with chapter 7, whose exercise it uses.
@Suite("Chapter 7: the decision-directed baseline of chapter 6's clip")
struct Chapter07DecisionDirectedBaselineTests {
  @Test func decisionDirectedWienerSilencesNoiseAlone() throws {
    // White noise only: the gain sits near its ξ_min floor, so the output keeps far less
    // than the input's energy (the Wiener gain at ξ_min = −25 dB is about −25 dB).
    let noise = whiteNoise(count: 4_000, rms: 0.1, seed: 6)
    let target = try FitTarget(noisy: noise, stft: STFT(nFFT: 64, hop: 16))
    let output = try target.decisionDirectedWiener()
    let ratio =
      output.reduce(0.0) { $0 + Double($1 * $1) }
      / noise.reduce(0.0) {
        $0 + Double($1 * $1)
      }
    #expect(10 * log10(ratio) < -10)
  }
}
