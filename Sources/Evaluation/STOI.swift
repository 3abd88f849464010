import Audio
import Foundation
import Spectral

// STOI compares the slow envelopes of clean and processed speech in one-third-octave bands:
// over 384 ms (30 frames) a band's envelope of intelligible speech follows the clean one, up
// to a gain. It ignores what a listener cannot hear as loss of intelligibility (the overall
// level, a fixed spectral tilt) and punishes what masks the envelope (noise filling the dips,
// musical noise, a gain that pumps). Each step below is the paper's, in its order, with the
// conventions of its reference implementation (the MATLAB code by Taal, which pystoi follows):
// frames start every 128 samples up to, but not including, the last start that fits, and the
// window is MATLAB's `hanning(256)`, which has no zero at either end.

/// STOI, the short-time objective intelligibility of `processed` speech against `clean`:
/// about 0.4 for speech that a listener barely understands, near 1 for clean speech.
///
/// The steps (Taal et al. 2011, section II):
/// 1. both signals are resampled to 10 kHz;
/// 2. frames of 256 samples, hop 128, Hann window, whose clean energy is more than 40 dB
///    below the loudest clean frame are dropped from both signals, and the rest overlap-added;
/// 3. a 512-point DFT of each frame (same frames) gives `X(k, m)`, and 15 one-third-octave
///    bands from 150 Hz give the envelopes `x_j(m) = √(Σ_{k ∈ band j} |X(k, m)|²)`;
/// 4. for every band `j` and every run of `N = 30` frames ending at `m` (384 ms), the
///    processed envelope `y` is scaled to the clean one's norm and clipped at
///    `(1 + 10^(-β/20)) x` with `β = -15 dB`: `ȳ = min(y ‖x‖ / ‖y‖, (1 + 10^(-β/20)) x)`;
/// 5. `d_{j,m}` is the correlation of `x` and `ȳ` over those frames, and
///    `STOI = (1 / (J M)) Σ_{j,m} d_{j,m}`.
///
/// C. H. Taal, R. C. Hendriks, R. Heusdens, J. Jensen, "An algorithm for intelligibility
/// prediction of time–frequency weighted noisy speech", IEEE TASLP 19(7), 2011,
/// <https://doi.org/10.1109/TASL.2011.2114881>.
///
/// - Parameters:
///   - clean: the clean reference, `[n]` samples.
///   - processed: the noisy or enhanced signal, `[n]`, time-aligned with `clean`.
///   - sampleRate: of both, in Hz; 10 000 skips the resampling (ours, `Resampler`).
/// - Throws: `EvaluationError.invalidArgument` when the lengths differ, `clean` is silent,
///   or fewer than 30 frames of speech remain after the silent ones are dropped.
public func stoi(clean: [Float], processed: [Float], sampleRate: Int) throws(EvaluationError)
  -> Double
{
  guard clean.count == processed.count else {
    throw .invalidArgument(
      argument: "STOI", reason: "\(clean.count) clean samples, \(processed.count) processed")
  }
  guard clean.contains(where: { $0 != 0 }) else {
    throw .invalidArgument(argument: "STOI", reason: "the clean signal is silent")
  }
  var (x, y) = (clean, processed)
  if sampleRate != STOIConstants.sampleRate {
    let resampler = try wrappingErrors {
      try Resampler(from: sampleRate, to: STOIConstants.sampleRate)
    }
    (x, y) = (resampler.resample(x), resampler.resample(y))
  }
  let (speechX, speechY) = removingSilentFrames(clean: x, processed: y)
  let bands = thirdOctaveBands(
    sampleRate: STOIConstants.sampleRate, nFFT: STOIConstants.nFFT,
    count: STOIConstants.bands, lowestCentre: STOIConstants.lowestCentre)
  let envelopeX = try bandEnvelopes(speechX, bands: bands)
  let envelopeY = try bandEnvelopes(speechY, bands: bands)
  let frames = envelopeX.first?.count ?? 0
  let n = STOIConstants.segmentFrames
  guard frames >= n else {
    throw .invalidArgument(
      argument: "STOI",
      reason: "\(frames) frames of speech after silence removal, need \(n) (384 ms)")
  }
  var sum = 0.0
  for j in bands.indices {
    for end in n...frames {
      sum += clippedCorrelation(
        clean: envelopeX[j][(end - n)..<end], processed: envelopeY[j][(end - n)..<end])
    }
  }
  return sum / Double(bands.count * (frames - n + 1))
}

/// The constants of STOI, as in the paper.
enum STOIConstants {
  /// The rate STOI works at, Hz.
  static let sampleRate = 10_000
  /// Frame length and hop (50 % overlap), samples at 10 kHz.
  static let frameLength = 256, hop = 128
  /// DFT size: frames are zero-padded to it.
  static let nFFT = 512
  /// One-third-octave bands and the centre of the lowest, Hz.
  static let bands = 15, lowestCentre = 150.0
  /// Frames per short-time segment: 30 × 12.8 ms = 384 ms.
  static let segmentFrames = 30
  /// The lower bound of the signal-to-distortion ratio, dB, that sets the clipping.
  static let beta = -15.0
  /// Frames this far below the loudest clean frame, dB, are silent.
  static let dynamicRange = 40.0
  /// What keeps a division by a zero norm finite (the reference's `eps`).
  static let epsilon = Double.ulpOfOne
}

/// MATLAB's `hanning(n)`: `w[i] = 0.5 - 0.5 cos(2π (i + 1) / (n + 1))`, `i = 0 … n - 1`, the
/// symmetric Hann window of length `n + 2` without its two zeros.
/// - Returns: `[n]`
func hanningWindow(length n: Int) -> [Double] {
  (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0 + 1) / Double(n + 1)) }
}

/// The starts of the frames of `count` samples: `0, hop, 2 hop, …` while below
/// `count - frameLength` (the reference's convention: a frame ending exactly at the end is
/// not taken).
func frameStarts(count: Int, frameLength: Int, hop: Int) -> [Int] {
  count > frameLength ? Array(stride(from: 0, to: count - frameLength, by: hop)) : []
}

/// Both signals without the frames where `clean` is silent: every windowed frame whose clean
/// energy `20 log10 ‖w · x_frame‖` is not above the loudest one's minus 40 dB is dropped, and
/// the kept windowed frames are overlap-added, hop 128, into `(K - 1) · 128 + 256` samples.
///
/// - Returns: the clean and the processed signal, `[(K - 1) · 128 + 256]` each for K frames
///   kept (empty if none).
func removingSilentFrames(clean: [Float], processed: [Float]) -> ([Double], [Double]) {
  let (length, hop) = (STOIConstants.frameLength, STOIConstants.hop)
  let window = hanningWindow(length: length)
  let starts = frameStarts(count: clean.count, frameLength: length, hop: hop)
  let energies = starts.map { start in
    let squares = (0..<length).reduce(0.0) { sum, i in
      let v = window[i] * Double(clean[start + i])
      return sum + v * v
    }
    return 20 * log10(squares.squareRoot() + STOIConstants.epsilon)
  }
  let loudest = energies.max() ?? 0
  let kept = starts.indices.filter { energies[$0] > loudest - STOIConstants.dynamicRange }
  guard !kept.isEmpty else { return ([], []) }
  let count = (kept.count - 1) * hop + length
  var x = [Double](repeating: 0, count: count)
  var y = [Double](repeating: 0, count: count)
  for (k, frame) in kept.enumerated() {
    for i in 0..<length {
      x[k * hop + i] += window[i] * Double(clean[starts[frame] + i])
      y[k * hop + i] += window[i] * Double(processed[starts[frame] + i])
    }
  }
  return (x, y)
}

/// The DFT bins of STOI's one-third-octave bands: band `j` has the centre
/// `lowestCentre · 2^(j/3)` and the edges `lowestCentre · 2^((2j ∓ 1)/6)`, each edge moved to
/// the nearest bin frequency `k · sampleRate / nFFT`; the band is the bins from the lower
/// edge's up to, not including, the upper edge's.
///
/// - Returns: `[count]` ranges of bins `0 … nFFT / 2`.
public func thirdOctaveBands(sampleRate: Int, nFFT: Int, count: Int, lowestCentre: Double)
  -> [Range<Int>]
{
  let binWidth = Double(sampleRate) / Double(nFFT)
  let nearestBin = { (frequency: Double) -> Int in
    // The first of the nearest bins, as an argmin over all of them finds it.
    let distance = { (k: Int) in abs(Double(k) * binWidth - frequency) }
    return (0...(nFFT / 2)).min { distance($0) < distance($1) }!
  }
  return (0..<count).map { j in
    let low = lowestCentre * pow(2, Double(2 * j - 1) / 6)
    let high = lowestCentre * pow(2, Double(2 * j + 1) / 6)
    return nearestBin(low)..<nearestBin(high)
  }
}

/// The band envelopes of `signal`: frames of 256 samples, hop 128 (`frameStarts`), MATLAB's
/// Hann window, zero-padded to 512 and transformed; band `j`'s value in frame `m` is
/// `√(Σ_{k ∈ bands[j]} |X(k, m)|²)`.
/// - Returns: `[bands][frames]`
func bandEnvelopes(_ signal: [Double], bands: [Range<Int>]) throws(EvaluationError)
  -> [[Double]]
{
  // BEGIN SOLUTION stoi-envelopes (chapter 8): x_j(m) = √(Σ_{k ∈ band j} |X(k, m)|²), per frame m
  let (length, hop) = (STOIConstants.frameLength, STOIConstants.hop)
  let window = hanningWindow(length: length)
  let fft = try wrappingErrors { try RealFFT(size: STOIConstants.nFFT) }
  let starts = frameStarts(count: signal.count, frameLength: length, hop: hop)
  var envelopes = [[Double]](repeating: [], count: bands.count)
  var frame = [Float](repeating: 0, count: STOIConstants.nFFT)
  for start in starts {
    for i in 0..<length { frame[i] = Float(window[i] * signal[start + i]) }
    let spectrum = fft.forward(frame)
    for (j, band) in bands.enumerated() {
      let power = band.reduce(0.0) { sum, k in
        let (re, im) = (Double(spectrum.real[k]), Double(spectrum.imag[k]))
        return sum + re * re + im * im
      }
      envelopes[j].append(power.squareRoot())
    }
  }
  return envelopes
  // END SOLUTION
}

/// The intermediate intelligibility `d` of one band over one segment: the processed envelope
/// scaled to the clean one's norm, clipped at `(1 + 10^(-β/20))` times the clean one, and
/// correlated with it (both centred, then divided by their norms).
func clippedCorrelation(clean x: ArraySlice<Double>, processed y: ArraySlice<Double>) -> Double {
  // BEGIN SOLUTION stoi-correlation (chapter 8): ȳ = min(y‖x‖/‖y‖, (1+10^(−β/20))x); d = corr(x, ȳ)
  let epsilon = STOIConstants.epsilon
  let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
  let (x, y) = (Array(x), Array(y))
  let scale = norm(x) / (norm(y) + epsilon)
  let ceiling = 1 + pow(10, -STOIConstants.beta / 20)
  let clipped = zip(x, y).map { min($1 * scale, $0 * ceiling) }
  let centred = { (v: [Double]) in v.map { $0 - v.reduce(0, +) / Double(v.count) } }
  let (cx, cy) = (centred(x), centred(clipped))
  let (nx, ny) = (norm(cx) + epsilon, norm(cy) + epsilon)
  return zip(cx, cy).reduce(0) { $0 + ($1.0 / nx) * ($1.1 / ny) }
  // END SOLUTION
}
