import Foundation

/// A sine `amplitude · sin(2π f n / rate + phase)`, n = 0 ..< count.
///
/// Computed in `Double` from the sample index (not by accumulating a phase), so that sample
/// 10⁶ is as exact as sample 0.
public func sine(
  frequency: Double, sampleRate: Int, count: Int, amplitude: Float = 1, phase: Double = 0
) -> [Float] {
  let step = 2 * Double.pi * frequency / Double(sampleRate)
  return (0..<count).map { amplitude * Float(sin(step * Double($0) + phase)) }
}

/// A linear chirp: frequency rising from `start` to `end` Hz over `count` samples,
/// `amplitude · sin(2π (f0 t + (f1 - f0) t² / 2T))` with `t = n / rate`, `T = count / rate`.
///
/// It sweeps every frequency in between, so one spectrogram of it shows a filter's whole
/// response.
public func chirp(
  from start: Double, to end: Double, sampleRate: Int, count: Int, amplitude: Float = 1
) -> [Float] {
  let rate = Double(sampleRate)
  let total = Double(count) / rate
  return (0..<count).map { n in
    let t = Double(n) / rate
    return amplitude * Float(sin(2 * Double.pi * (start * t + (end - start) * t * t / (2 * total))))
  }
}

/// A vowel-like voiced signal: a pulse train whose pitch glides from `pitch.lowerBound` to
/// `pitch.upperBound` Hz, shaped like a voice and filtered by three formant resonators.
///
/// The source-filter model of speech (Fant 1960; D. Klatt, "Software for a cascade/parallel
/// formant synthesizer", JASA 67, 1980): one impulse per glottal period, a glottal low-pass
/// (-12 dB/octave), the formants of the vowel /a/ (700, 1220, 2600 Hz), and lip radiation
/// (a first difference, +6 dB/octave). The result has what the denoiser must keep: harmonics
/// at multiples of a moving pitch, and a spectral envelope with peaks.
///
/// - Parameters:
///   - amplitude: the peak of the result.
/// - Returns: `[count]` samples, faded in and out over 10 ms so that it starts and ends in 0.
public func voicedSignal(
  pitch: ClosedRange<Double> = 110...160, sampleRate: Int, count: Int, amplitude: Float = 0.5
) -> [Float] {
  let rate = Double(sampleRate)
  // The glottal pulse train: an impulse each time the accumulated phase passes a whole cycle.
  var source = [Double](repeating: 0, count: count)
  var phase = 1.0
  for n in 0..<count {
    let f0 = pitch.lowerBound + (pitch.upperBound - pitch.lowerBound) * Double(n) / Double(count)
    if phase >= 1 {
      source[n] = 1
      phase -= 1
    }
    phase += f0 / rate
  }
  var voiced = resonate(source, frequency: 0, bandwidth: 100, sampleRate: rate)
  for (frequency, bandwidth) in [(700.0, 130.0), (1220, 70), (2600, 160)] {
    voiced = resonate(voiced, frequency: frequency, bandwidth: bandwidth, sampleRate: rate)
  }
  // Lip radiation: y[n] = v[n] - v[n-1].
  var radiated = voiced
  for n in stride(from: count - 1, to: 0, by: -1) { radiated[n] -= voiced[n - 1] }
  if count > 0 { radiated[0] = 0 }
  let fade = min(count / 2, Int(0.01 * rate))
  for n in 0..<fade {
    let gain = 0.5 - 0.5 * cos(Double.pi * Double(n) / Double(fade))
    radiated[n] *= gain
    radiated[count - 1 - n] *= gain
  }
  let peak = radiated.reduce(0) { max($0, abs($1)) }
  let scale = peak > 0 ? Double(amplitude) / peak : 0
  return radiated.map { Float($0 * scale) }
}

/// Klatt's two-pole resonator `y[n] = A x[n] + B y[n-1] + C y[n-2]`, with
/// `C = -e^(-2π BW/rate)`, `B = 2 e^(-π BW/rate) cos(2π F/rate)`, `A = 1 - B - C`:
/// a peak at `frequency` Hz, `bandwidth` Hz wide at -3 dB, and gain 1 at 0 Hz.
func resonate(_ x: [Double], frequency: Double, bandwidth: Double, sampleRate rate: Double)
  -> [Double]
{
  let c = -exp(-2 * Double.pi * bandwidth / rate)
  let b = 2 * exp(-Double.pi * bandwidth / rate) * cos(2 * Double.pi * frequency / rate)
  let a = 1 - b - c
  var y = [Double](repeating: 0, count: x.count)
  var (y1, y2) = (0.0, 0.0)
  for n in x.indices {
    let value = a * x[n] + b * y1 + c * y2
    y[n] = value
    (y2, y1) = (y1, value)
  }
  return y
}
