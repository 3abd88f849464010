import Foundation

// What the STFT does to a signal before any Fourier transform: pad both ends by reflection,
// cut it into overlapping frames, weight each frame by a window.

// book: hann-window
/// The Hann window of `n` weights, `w[k] = 0.5 - 0.5 cos(2πk / N)`.
///
/// Periodic (`N = n`, the default) is one period of a raised cosine sampled without its
/// repeated end point: `w[0] = 0` and the weights of frames `n/4` apart sum to a constant,
/// which is what overlap-add wants. It equals `torch.hann_window(n, periodic=True)` and
/// `scipy.signal.get_window("hann", n)`. Symmetric (`N = n - 1`) ends on zero at both sides,
/// as filter design wants.
///
/// - Parameters:
///   - n: the number of weights (the STFT's nFFT); 1 gives `[1]`, 0 gives `[]`.
///   - periodic: `true` for spectral analysis, `false` for the symmetric window.
/// - Returns: `[n]` weights in [0, 1].
public func hannWindow(length n: Int, periodic: Bool = true) -> [Float] {
  // BEGIN SOLUTION hann-window: w[k] = 0.5 - 0.5 cos(2 pi k / N), N = n (periodic) or n - 1
  if n <= 1 { return Array(repeating: 1, count: max(n, 0)) }
  let period = Double(periodic ? n : n - 1)
  // Double inside the cosine: 2πk/N in Float loses a few ulps at large k.
  return (0..<n).map { k in Float(0.5 - 0.5 * cos(2 * Double.pi * Double(k) / period)) }
  // END SOLUTION
}
// book: end

// book: reflect-padding
/// The signal extended by `padding` samples on each side, mirrored about its first and last
/// samples without repeating them (`torch.nn.functional.pad(mode="reflect")`,
/// `numpy.pad(mode="reflect")`):
///
///     x = [a, b, c, d, e], padding 2  →  [c, b, | a, b, c, d, e, | d, c]
///
/// The STFT pads by nFFT/2 so that frame t is centred on sample t·hop, and the mirror keeps
/// the ends free of the jump a zero padding would put into the first and last frames.
///
/// - Precondition: `0 <= padding < signal.count` (a mirror needs a sample to reflect).
/// - Returns: `[signal.count + 2 · padding]`.
public func reflectPadded(_ signal: [Float], by padding: Int) -> [Float] {
  // BEGIN SOLUTION reflect-padding: left is x[p], ..., x[1]; right is x[n-2], ..., x[n-1-p]
  let n = signal.count
  precondition(padding >= 0 && padding < n, "reflect padding \(padding) needs > \(padding) samples")
  var padded = [Float]()
  padded.reserveCapacity(n + 2 * padding)
  for i in stride(from: padding, to: 0, by: -1) { padded.append(signal[i]) }
  padded.append(contentsOf: signal)
  for i in 0..<padding { padded.append(signal[n - 2 - i]) }
  return padded
  // END SOLUTION
}
// book: end

/// The number of frames of a centred STFT: `1 + (length + 2·(nFFT/2) - nFFT) / hop`, which is
/// `1 + length / hop` for an even nFFT (torch.stft with `center=True`).
///
/// Frame t covers padded samples `t·hop ..< t·hop + nFFT`, centred on signal sample `t·hop`.
public func centredFrameCount(length: Int, nFFT: Int, hop: Int) -> Int {
  1 + (length + 2 * (nFFT / 2) - nFFT) / hop
}

/// Checks an STFT's parameters: positive sizes, a hop no longer than a frame, one window
/// weight per frame sample.
func validateFraming(nFFT: Int, hop: Int, windowLength: Int) throws(SpectralError) {
  guard nFFT > 0 else { throw .nonPositiveFFTSize(nFFT: nFFT) }
  guard hop > 0 else { throw .nonPositiveHop(hop: hop) }
  guard hop <= nFFT else { throw .hopLongerThanFFT(hop: hop, nFFT: nFFT) }
  guard windowLength == nFFT else {
    throw .windowLengthMismatch(windowLength: windowLength, nFFT: nFFT)
  }
}
