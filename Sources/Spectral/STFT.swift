import Foundation

/// The short-time Fourier transform and its inverse, with the conventions of `torch.stft` /
/// `torch.istft` (and librosa) so that numbers carry over:
///
/// - frames of `nFFT` samples, `hop` samples apart, each weighted by `window` (periodic Hann
///   by default, `torch.hann_window(nFFT, periodic=True)`);
/// - centred: the signal is reflect-padded by nFFT/2 on both sides (`center=True,
///   pad_mode="reflect"`), so frame t is centred on sample t · hop;
/// - `1 + length / hop` frames (even nFFT) of `nFFT/2 + 1` bins, unnormalised
///   (`normalized=False`, `onesided=True`): a sine of amplitude A on bin k gives |X| ≈ A·Σw/2.
///
/// For 32 640 samples, nFFT 512, hop 128: 257 bins × 256 frames.
///
///     let stft = try STFT(nFFT: 512, hop: 128)
///     let spectrum = try stft(signal)                       // 257 × 256
///     let back = try stft.inverse(spectrum, length: signal.count)
///
/// The plans are made once, in `init`; one instance is not safe to use from two threads at
/// once (make one per thread).
public final class STFT {
  /// Samples per frame, the FFT length.
  public let nFFT: Int
  /// Samples between the starts of consecutive frames.
  public let hop: Int
  /// The analysis (and synthesis) window, `[nFFT]`.
  public let window: [Float]
  /// The FFT every frame goes through.
  let fft: RealFFT

  /// Frequency bins per frame, nFFT/2 + 1 (0 Hz to the Nyquist frequency).
  public var bins: Int { nFFT / 2 + 1 }

  /// Samples of reflect padding on each side, nFFT/2.
  public var padding: Int { nFFT / 2 }

  /// - Parameters:
  ///   - nFFT: samples per frame (any length; powers of two are fastest).
  ///   - hop: samples between frames, 1 … nFFT.
  ///   - window: `[nFFT]` weights; nil for the periodic Hann window.
  /// - Throws: `SpectralError.nonPositiveFFTSize`, `.nonPositiveHop`, `.hopLongerThanFFT`,
  ///   `.windowLengthMismatch`, naming the values.
  public init(nFFT: Int = 512, hop: Int = 128, window: [Float]? = nil) throws(SpectralError) {
    let window = window ?? hannWindow(length: max(nFFT, 0))
    try validateFraming(nFFT: nFFT, hop: hop, windowLength: window.count)
    self.nFFT = nFFT
    self.hop = hop
    self.window = window
    fft = try RealFFT(size: nFFT)
  }

  /// The number of frames for a signal of `length` samples: `1 + length / hop` (even nFFT).
  public func frameCount(length: Int) -> Int {
    centredFrameCount(length: length, nFFT: nFFT, hop: hop)
  }

  // book: stft-forward
  /// The spectrogram of `signal`: `X[f, t] = Σₙ w[n] · x̃[t·hop + n] · e^(-2πi·fn/nFFT)`,
  /// where x̃ is the signal reflect-padded by nFFT/2.
  ///
  /// - Returns: `[bins, frames]` = `[nFFT/2 + 1, 1 + signal.count / hop]`.
  /// - Throws: `SpectralError.signalTooShort` when the signal has nFFT/2 samples or fewer
  ///   (the reflection needs one more).
  public func callAsFunction(_ signal: [Float]) throws(SpectralError) -> Spectrogram {
    guard signal.count > padding else {
      throw .signalTooShort(length: signal.count, padding: padding, nFFT: nFFT)
    }
    let padded = reflectPadded(signal, by: padding)
    let frames = frameCount(length: signal.count)
    var real = [Float](repeating: 0, count: bins * frames)
    var imag = real
    for t in 0..<frames {
      // BEGIN SOLUTION stft-framing: X[f, t] is bin f of the FFT of w[n]·x̃[t·hop + n]
      for n in 0..<nFFT { fft.input[n] = window[n] * padded[t * hop + n] }
      fft.executeForward()
      // Column t of the [bins, frames] layout: stride `frames` between bins.
      for f in 0..<bins {
        real[f * frames + t] = fft.spectrum[2 * f]
        imag[f * frames + t] = fft.spectrum[2 * f + 1]
      }
      // END SOLUTION
    }
    return try Spectrogram(real: real, imag: imag, bins: bins, frames: frames)
  }
  // book: end

  // book: stft-inverse
  /// The signal whose STFT is closest to `spectrogram` in the least-squares sense, by
  /// weighted overlap-add (`torch.istft`):
  ///
  ///     y[n] = Σₜ w[n - t·hop] · frameₜ[n - t·hop]  /  Σₜ w²[n - t·hop]
  ///
  /// where frameₜ is the inverse FFT of column t; then the nFFT/2 samples of centre padding
  /// are dropped from the front. For a spectrogram this STFT made, it returns the signal.
  ///
  /// Griffin, Lim, "Signal estimation from modified short-time Fourier transform",
  /// IEEE Trans. ASSP 32(2), 1984. https://doi.org/10.1109/TASSP.1984.1164317
  ///
  /// - Parameters:
  ///   - spectrogram: `[nFFT/2 + 1, frames]`.
  ///   - length: samples to return (zeros past the last frame); nil for
  ///     `hop · (frames - 1)`, the longest length that gives this frame count.
  /// - Returns: `[length]`.
  /// - Throws: `SpectralError.binCountMismatch`, `.negativeCount`, and
  ///   `.windowEnvelopeVanishes` when Σw² is below 1e-11 at an output sample (the window
  ///   and hop do not overlap enough to undo the weighting).
  public func inverse(_ spectrogram: Spectrogram, length: Int? = nil) throws(SpectralError)
    -> [Float]
  {
    guard spectrogram.bins == bins else {
      throw .binCountMismatch(bins: spectrogram.bins, nFFT: nFFT)
    }
    let frames = spectrogram.frames
    let fullLength = frames > 0 ? nFFT + hop * (frames - 1) : 0
    let outputLength = length ?? max(fullLength - 2 * padding, 0)
    guard outputLength >= 0 else { throw .negativeCount(what: "length", value: outputLength) }
    var sum = [Float](repeating: 0, count: fullLength)
    var envelope = [Float](repeating: 0, count: fullLength)
    let scale = 1 / Float(nFFT)  // FFTW's inverse returns nFFT times the frame
    for t in 0..<frames {
      for f in 0..<bins {
        fft.spectrum[2 * f] = spectrogram.real[f * frames + t]
        fft.spectrum[2 * f + 1] = spectrogram.imag[f * frames + t]
      }
      fft.executeInverse()
      // BEGIN SOLUTION istft-overlap-add: frame t's terms of y's numerator and denominator
      for n in 0..<nFFT {
        sum[t * hop + n] += window[n] * fft.input[n] * scale
        envelope[t * hop + n] += window[n] * window[n]
      }
      // END SOLUTION
    }
    var signal = [Float](repeating: 0, count: outputLength)
    for i in 0..<min(outputLength, fullLength - padding) {
      let n = i + padding
      guard envelope[n] > 1e-11 else {
        throw .windowEnvelopeVanishes(sample: i, envelope: envelope[n], hop: hop, nFFT: nFFT)
      }
      signal[i] = sum[n] / envelope[n]
    }
    return signal
  }
  // book: end
}
