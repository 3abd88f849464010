import Audio
import Foundation
import Spectral

/// How far the pipeline is, for progress displays.
public struct DenoiseProgress: Equatable, Sendable {
  /// Segments finished.
  public var segmentsDone: Int
  /// Segments in the recording.
  public var segmentCount: Int
  /// Where the enhancer is within the current segment; nil between segments.
  public var step: EnhancerProgress?

  /// The share of the work done, 0 … 1, counting the iterations within a segment.
  public var fraction: Double {
    let within = step.map { Double($0.iteration) / Double(max($0.iterations, 1)) } ?? 0
    return min((Double(segmentsDone) + within) / Double(max(segmentCount, 1)), 1)
  }
}

/// The denoising pipeline around an `Enhancer`: recordings of any length, rate and channel
/// count in, the same length, rate and channel count out.
///
/// 1. Mix the channels to mono and resample it to 16 kHz, the rate every method works at.
/// 2. Cut it into segments of 32 640 samples (256 STFT frames) that overlap by 3 968
///    samples, mirror-extending the end (`Segmenter.samples`).
/// 3. Ask the enhancer for each segment's gain, `[257, 256]` (a segment of digital silence
///    gets gain 1 without it).
/// 4. Crossfade the gains of neighbouring segments over their 32 shared frames
///    (`Segmenter.frames`): one gain for the whole recording, `[257, frames]` at 16 kHz.
/// 5. For every channel at its own rate, take the STFT with frames of the same duration,
///    look up the gain at each frame's time and each bin's frequency (linear interpolation;
///    above 8 kHz, where the 16 kHz signal has nothing, the frame's mean gain over 4–8 kHz),
///    multiply and invert.
///
/// A silent recording comes back silent without reaching the enhancer.
public struct Denoiser {
  /// The rate the enhancer works at, in Hz.
  public static let fittingRate = 16_000
  /// The STFT the enhancer sees: nFFT 512, hop 128 at 16 kHz.
  public static let nFFT = 512
  public static let hop = 128

  public var enhancer: any Enhancer

  public init(enhancer: any Enhancer) { self.enhancer = enhancer }

  /// The number of segments a recording of `frames` frames at `sampleRate` is cut into.
  public static func segmentCount(frames: Int, sampleRate: Int) -> Int {
    let atFittingRate = (frames * fittingRate + sampleRate - 1) / sampleRate
    return Segmenter.samples.segmentCount(length: max(atFittingRate, 1))
  }

  // book: denoiser
  /// The recording with the enhancer's gain applied to every channel.
  ///
  /// - Throws: `DenoiseError.noAudio` for a recording with no frames, `.nonFiniteSample`
  ///   naming the first NaN or infinite sample, `.unsupportedSampleRate` when the rate cannot
  ///   be converted, `.enhancerFailed` when the enhancer throws or returns a bad gain.
  public func denoise(
    _ recording: AudioBuffer, progress: (DenoiseProgress) -> Void = { _ in }
  ) throws(DenoiseError) -> AudioBuffer {
    guard recording.frameCount > 0 else { throw .noAudio }
    if let bad = recording.samples.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteSample(
        frame: bad / recording.channels, channel: bad % recording.channels,
        value: recording.samples[bad])
    }
    if recording.samples.allSatisfy({ $0 == 0 }) {
      progress(DenoiseProgress(segmentsDone: 1, segmentCount: 1))
      return recording
    }
    let rate = recording.sampleRate
    var mono = recording.mono().samples
    if rate != Self.fittingRate {
      do {
        mono = try Resampler(from: rate, to: Self.fittingRate).resample(mono)
      } catch {
        throw .unsupportedSampleRate(rate: rate, reason: "\(error)")
      }
    }
    let (gain, frames) = try self.gain(forMono: mono, progress: progress)
    var channels: [[Float]] = []
    for c in 0..<recording.channels {
      channels.append(
        try Self.apply(gain: gain, frames: frames, to: recording.channel(c), sampleRate: rate))
    }
    var samples = [Float](repeating: 0, count: recording.samples.count)
    for (c, channel) in channels.enumerated() {
      for f in 0..<recording.frameCount { samples[f * recording.channels + c] = channel[f] }
    }
    return AudioBuffer(samples: samples, channels: recording.channels, sampleRate: rate)
  }
  // book: end

  /// Steps 2–4: the gain of the whole 16 kHz mono signal, `[257, frames]` row-major, with
  /// `frames = (segments - 1) · 224 + 256` (frame t is centred on sample 128 t).
  public func gain(
    forMono mono: [Float], progress: (DenoiseProgress) -> Void = { _ in }
  ) throws(DenoiseError) -> (gain: [Float], frames: Int) {
    let stft = try! STFT(nFFT: Self.nFFT, hop: Self.hop)  // valid constants
    let segments = Segmenter.samples.segments(of: mono)
    var gains: [[Float]] = []
    for (s, segment) in segments.enumerated() {
      gains.append(
        try Self.gain(of: segment, index: s, count: segments.count, enhancer: enhancer, stft: stft)
        { step in
          progress(DenoiseProgress(segmentsDone: s, segmentCount: segments.count, step: step))
        })
      progress(DenoiseProgress(segmentsDone: s + 1, segmentCount: segments.count))
    }
    let frames = (segments.count - 1) * Segmenter.frames.hop + Segmenter.frames.length
    let whole = Segmenter.frames.overlapAdd(gains, rows: stft.bins, length: frames)
    return (whole, frames)
  }

  /// Step 3 for one segment: the enhancer's gain, `[257, 256]`, checked for its shape and
  /// values. A segment of digital silence gets gain 1 without reaching the enhancer: any gain
  /// leaves it silent, and a method that normalises the segment could not.
  ///
  /// - Parameters:
  ///   - segment: `[32 640]` samples at 16 kHz.
  ///   - stft: the enhancer's STFT (nFFT 512, hop 128); one per thread.
  static func gain(
    of segment: [Float], index s: Int, count: Int, enhancer: any Enhancer, stft: STFT,
    report: (EnhancerProgress) -> Void = { _ in }
  ) throws(DenoiseError) -> [Float] {
    let spectrogram = try! stft(segment)  // a segment is far longer than the padding
    let expected = spectrogram.bins * spectrogram.frames
    if segment.allSatisfy({ $0 == 0 }) { return [Float](repeating: 1, count: expected) }
    let input = NoisySegment(samples: segment, spectrogram: spectrogram, index: s, count: count)
    let gain: [Float]
    do {
      gain = try enhancer.gain(for: input, report: report)
    } catch {
      throw .enhancerFailed(enhancer: enhancer.name, reason: "\(error)")
    }
    guard gain.count == expected else {
      throw .enhancerFailed(
        enhancer: enhancer.name, reason: "\(gain.count) gains for \(expected) values")
    }
    if let bad = gain.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
      throw .enhancerFailed(enhancer: enhancer.name, reason: "gain \(bad) is \(gain[bad])")
    }
    return gain
  }

  /// Step 5: `channel` (at `sampleRate`) with the 16 kHz gain `[257, frames]` applied.
  ///
  /// The channel's STFT has a hop of `round(128 · rate / 16 000)` samples (the same 8 ms)
  /// and frames four hops long; at 16 kHz it is the enhancer's own STFT and the gain is used
  /// as it is. A channel too short for one frame is mirror-extended first.
  ///
  /// - Returns: `[channel.count]`.
  public static func apply(
    gain: [Float], frames: Int, to channel: [Float], sampleRate rate: Int
  ) throws(DenoiseError) -> [Float] {
    precondition(gain.count == (nFFT / 2 + 1) * frames, "gain is not [257, frames]")
    let whole = GainFrames(values: gain, first: 0, count: frames, total: frames)
    return apply(gain: whole, to: channel, startingAt: 0, sampleRate: rate)
  }

  /// The hop of the STFT at `rate` that `apply` uses: the 16 kHz hop's 8 ms in samples.
  public static func applicationHop(sampleRate rate: Int) -> Int {
    max(1, Int((Double(hop * rate) / Double(fittingRate)).rounded()))
  }

  /// Step 5 on a stretch of a channel: samples `offset ..< offset + chunk.count` of it, where
  /// `offset` is a multiple of `applicationHop`. Each STFT frame of the stretch is the frame
  /// of the whole channel centred on the same sample, and looks its gain up by that frame's
  /// time, so the output equals the whole channel's output wherever every frame that covers a
  /// sample lies inside the stretch: from nFFT samples after its start (unless it starts the
  /// channel) to nFFT samples before its end (unless it ends it).
  ///
  /// - Parameter gain: the frames of the recording's gain that those frames look up; frames
  ///   that look outside them (near the ends of the stretch) use the nearest one.
  /// - Returns: `[chunk.count]`.
  public static func apply(
    gain: GainFrames, to chunk: [Float], startingAt offset: Int, sampleRate rate: Int
  ) -> [Float] {
    let bins16 = nFFT / 2 + 1
    let hopR = applicationHop(sampleRate: rate)
    precondition(offset % hopR == 0, "a stretch starts on a frame, not at sample \(offset)")
    let stft = try! STFT(nFFT: 4 * hopR, hop: hopR)  // 4 hops: a Hann window overlaps enough
    let extended = mirrorExtended(chunk, to: max(chunk.count, stft.padding + 1))
    let spectrogram = try! stft(extended)  // long enough by construction
    let (bins, framesR) = (spectrogram.bins, spectrogram.frames)
    // Where each bin of this STFT falls among the 16 kHz bins; nil above 8 kHz.
    // Where each bin of this STFT falls among the 16 kHz bins, the two it interpolates
    // between and the weight of the upper; above 8 kHz (nil) the frame's high-band mean.
    let binPosition: [(below: Int, above: Int, weight: Float)?] = (0..<bins).map { f in
      let q = Double(f * rate * nFFT) / Double(stft.nFFT * fittingRate)
      guard q <= Double(bins16 - 1) else { return nil }
      let (q0, qw) = interpolationIndex(q, count: bins16)
      return (q0, min(q0 + 1, bins16 - 1), Float(qw))
    }
    var real = spectrogram.real
    var imag = spectrogram.imag
    var column = [Float](repeating: 0, count: bins16)
    let firstFrame = offset / hopR
    // The gains of `tile` frames at a time, frame by frame, then applied bin by bin: the
    // spectrogram is stored bin by bin, and a frame's values lie `framesR` apart.
    let tile = 16
    var tileGains = [Float](repeating: 0, count: tile * bins)
    for t0 in stride(from: 0, to: framesR, by: tile) {
      let t1 = min(t0 + tile, framesR)
      for t in t0..<t1 {
        // Frame t is centred on (first + t) · hopR / rate seconds, 16 kHz frame p on
        // p · 128 / 16 000.
        let p = Double((firstFrame + t) * hopR * fittingRate) / Double(rate * hop)
        let (p0, pw) = interpolationIndex(p, count: gain.total)
        let i0 = gain.local(p0)
        let i1 = gain.local(min(p0 + 1, gain.total - 1))
        for k in 0..<bins16 {
          let g0 = gain.values[k * gain.count + i0]
          let g1 = gain.values[k * gain.count + i1]
          column[k] = g0 + Float(pw) * (g1 - g0)
        }
        let highBand = column[(bins16 / 2)..<(bins16 - 1)].reduce(0, +) / Float(bins16 / 2)
        let row = (t - t0) * bins
        for f in 0..<bins {
          if let (q0, q1, qw) = binPosition[f] {
            tileGains[row + f] = column[q0] + qw * (column[q1] - column[q0])
          } else {
            tileGains[row + f] = highBand
          }
        }
      }
      for f in 0..<bins {
        for t in t0..<t1 {
          let g = tileGains[(t - t0) * bins + f]
          real[f * framesR + t] *= g
          imag[f * framesR + t] *= g
        }
      }
    }
    let enhanced = try! Spectrogram(real: real, imag: imag, bins: bins, frames: framesR)
    let signal = try! stft.inverse(enhanced, length: extended.count)  // Hann at hop/4: NOLA
    return Array(signal.prefix(chunk.count))
  }
}

/// Frames `first ..< first + count` of a recording's gain of `total` frames at 16 kHz,
/// `[257, count]` row-major: the part of the gain a stretch of the recording looks up.
public struct GainFrames: Sendable {
  public var values: [Float]
  public var first: Int
  public var count: Int
  /// The frames of the whole gain (`Int.max` while the end is not yet known).
  public var total: Int

  public init(values: [Float], first: Int, count: Int, total: Int) {
    precondition(count >= 1 && values.count == (Denoiser.nFFT / 2 + 1) * count)
    self.values = values
    self.first = first
    self.count = count
    self.total = total
  }

  /// The column of frame `p` of the whole gain, the nearest held one when it is not held.
  func local(_ p: Int) -> Int { min(max(p - first, 0), count - 1) }
}

/// The index below `x` and the weight of the one above, for linear interpolation into
/// `count` values, `x` clamped to `[0, count - 1]`.
func interpolationIndex(_ x: Double, count: Int) -> (Int, Double) {
  let clamped = min(max(x, 0), Double(count - 1))
  let below = min(Int(clamped), count - 1)
  return (below, clamped - Double(below))
}
