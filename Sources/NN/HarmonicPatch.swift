import Foundation
import Tensors

/// A clean, spectrogram-like image to fit: the harmonics of a voice whose pitch glides, as a
/// log-magnitude spectrogram patch scaled to [0, 1] (row 0 is the lowest frequency bin,
/// column 0 the first frame).
///
/// The fundamental moves from `startBin` to `endBin` along a half cosine; harmonic k sits at
/// k times it, as a Gaussian ridge one bin wide with amplitude 1/k; two syllable-like
/// envelopes switch the voice on and off over time. The values are
/// log(1 + 50·a) / log(1 + 50·max a), the compression a log spectrogram applies, so that
/// weak upper harmonics stay visible.
///
/// - Returns: `[1, 1, rows, columns]`.
public func harmonicPatch(
  rows: Int, columns: Int, startBin: Double? = nil, endBin: Double? = nil
) -> Tensor {
  precondition(rows > 0 && columns > 0, "harmonicPatch: \(rows)×\(columns)")
  let start = startBin ?? Double(rows) / 12
  let end = endBin ?? Double(rows) / 7
  var values = [Double](repeating: 0, count: rows * columns)
  for t in 0..<columns {
    let u = Double(t) / Double(max(columns - 1, 1))
    let f0 = start + (end - start) * (1 - cos(Double.pi * u)) / 2
    // Two "syllables": smooth on/off envelopes over 10–45% and 55–95% of the patch.
    let envelope = syllable(u, from: 0.1, to: 0.45) + syllable(u, from: 0.55, to: 0.95)
    var k = 1.0
    while k * f0 < Double(rows) + 2 {
      for bin in 0..<rows {
        let d = Double(bin) - k * f0
        values[bin * columns + t] += envelope / k * exp(-d * d / 2)
      }
      k += 1
    }
  }
  let peak = max(values.max() ?? 0, 1e-12)
  let scale = log1p(50 * peak)
  return Tensor(values.map { Float(log1p(50 * $0) / scale) }, shape: [1, 1, rows, columns])
}

/// A smooth window on [from, to]: rises and falls over a fifth of the span each.
private func syllable(_ u: Double, from a: Double, to b: Double) -> Double {
  guard u > a && u < b else { return 0 }
  let ramp = (b - a) / 5
  let rise = min(1, (u - a) / ramp)
  let fall = min(1, (b - u) / ramp)
  return sin(Double.pi / 2 * rise) * sin(Double.pi / 2 * fall)
}
