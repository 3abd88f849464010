import Foundation
import Random
import Spectral
import Testing

/// The spectrogram of `x` written out from the definition, in Double, with the test's own
/// framing: frame t is `x` mirrored about its ends and shifted by nFFT/2, from t · hop on,
/// times `window`; its bins 0 … nFFT/2 are column t.
private func definitionSpectrogram(_ x: [Float], window: [Double], hop: Int) throws
  -> Spectrogram
{
  let nFFT = window.count
  let (bins, frames) = (nFFT / 2 + 1, 1 + x.count / hop)
  var real = [Float](repeating: 0, count: bins * frames)
  var imag = real
  for t in 0..<frames {
    let frame = (0..<nFFT).map { n -> Double in
      var i = t * hop + n - nFFT / 2
      if i < 0 { i = -i }
      if i >= x.count { i = 2 * (x.count - 1) - i }
      return window[n] * Double(x[i])
    }
    for f in 0..<bins {
      var (re, im) = (0.0, 0.0)
      for (n, value) in frame.enumerated() {
        let angle = 2 * Double.pi * Double(f * n % nFFT) / Double(nFFT)
        re += value * cos(angle)
        im -= value * sin(angle)
      }
      real[f * frames + t] = Float(re)
      imag[f * frames + t] = Float(im)
    }
  }
  return try Spectrogram(real: real, imag: imag, bins: bins, frames: frames)
}

@Suite("Chapter 2: the inverse on its own")
struct Chapter02OverlapAddTests {
  /// The inverse of frames made by the definition (not by the forward STFT, so that this
  /// checks the overlap-add alone) gives the signal back, for a window the test computes.
  @Test(.tags(.istftOverlapAdd), arguments: [4, 2])
  func inverseOfFramesMadeByTheDefinitionIsTheSignal(hopDivisor: Int) throws {
    let nFFT = 64
    let window = (0..<nFFT).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(nFFT)) }
    var generator = Xoshiro256(seed: 21)
    let x = (0..<300).map { _ in Float(generator.uniform(-1, 1)) }
    let hop = nFFT / hopDivisor
    let stft = try STFT(nFFT: nFFT, hop: hop, window: window.map { Float($0) })
    let y = try stft.inverse(definitionSpectrogram(x, window: window, hop: hop), length: x.count)
    expectClose(y, x, tolerance: 1e-5, "hop \(hop)")
  }
}
