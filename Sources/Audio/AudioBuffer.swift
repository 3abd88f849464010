import Foundation

/// Sampled sound in memory: `channels` interleaved channels at `sampleRate` frames per second.
///
/// A *frame* is one instant: one sample per channel. Frame `f` of a stereo buffer is
/// `samples[2 f]` (left) and `samples[2 f + 1]` (right). Samples are `Float` in [-1, 1]
/// for full scale, whatever the file stored (8-bit, 24-bit, float ...).
///
///     let speech = try AudioFile.read("data/speech.wav")
///     print(speech.sampleRate, speech.channels, speech.duration)  // 16000 1 7.2
public struct AudioBuffer: Equatable, Sendable {
  /// The samples, interleaved by frame: `[frameCount * channels]`.
  public var samples: [Float]
  /// Channels per frame (1 for mono, 2 for stereo).
  public var channels: Int
  /// Frames per second, in Hz.
  public var sampleRate: Int

  /// A buffer over interleaved `samples`.
  ///
  /// - Precondition: `channels >= 1`, `sampleRate >= 1` and `samples.count` is a multiple of
  ///   `channels` (a frame is never split).
  public init(samples: [Float], channels: Int, sampleRate: Int) {
    precondition(channels >= 1, "an audio buffer needs at least one channel, not \(channels)")
    precondition(sampleRate >= 1, "a sample rate must be positive, not \(sampleRate)")
    precondition(
      samples.count % channels == 0,
      "\(samples.count) samples do not make whole frames of \(channels) channels")
    self.samples = samples
    self.channels = channels
    self.sampleRate = sampleRate
  }

  /// A one-channel buffer.
  public init(mono samples: [Float], sampleRate: Int) {
    self.init(samples: samples, channels: 1, sampleRate: sampleRate)
  }

  /// The number of frames (instants); `samples.count / channels`.
  public var frameCount: Int { samples.count / channels }

  /// The length in seconds: `frameCount / sampleRate`.
  public var duration: Double { Double(frameCount) / Double(sampleRate) }

  /// The samples of one channel, de-interleaved: `[frameCount]`.
  ///
  /// - Precondition: `0 <= index < channels`.
  public func channel(_ index: Int) -> [Float] {
    precondition(
      (0..<channels).contains(index), "channel \(index) of a \(channels)-channel buffer")
    if channels == 1 { return samples }
    return (0..<frameCount).map { samples[$0 * channels + index] }
  }

  // book: mono
  /// The channels averaged into one: `mono[f] = (1 / C) Σ_c samples[f C + c]`.
  ///
  /// The average, not the sum, so that a full-scale stereo signal stays within [-1, 1].
  /// Channels in opposite phase cancel: that is what a mono loudspeaker would play.
  public func mono() -> AudioBuffer {
    // BEGIN SOLUTION downmix: each frame's mono value is the mean of its C channels
    if channels == 1 { return self }
    var mixed = [Float](repeating: 0, count: frameCount)
    let scale = 1 / Float(channels)
    for frame in 0..<frameCount {
      var sum: Float = 0
      for c in 0..<channels { sum += samples[frame * channels + c] }
      mixed[frame] = sum * scale
    }
    return AudioBuffer(mono: mixed, sampleRate: sampleRate)
    // END SOLUTION
  }
  // book: end

  /// The first `count` frames (all of them if the buffer is shorter).
  public func prefix(frames count: Int) -> AudioBuffer {
    let frames = max(0, min(count, frameCount))
    return AudioBuffer(
      samples: Array(samples[0..<(frames * channels)]), channels: channels,
      sampleRate: sampleRate)
  }

  /// The largest absolute sample, 1 at full scale.
  public var peak: Float { samples.reduce(0) { max($0, abs($1)) } }

  /// The root mean square of all samples, 1 for a full-scale square wave.
  public var rms: Float { Audio.rms(samples) }
}

/// The root mean square `sqrt((1/n) Σ x²)`, accumulated in `Double`; 0 for an empty array.
public func rms(_ x: [Float]) -> Float {
  guard !x.isEmpty else { return 0 }
  return Float((energy(x) / Double(x.count)).squareRoot())
}

/// The energy `Σ x²`, accumulated in `Double` so that long signals do not lose precision.
public func energy(_ x: [Float]) -> Double {
  x.reduce(0.0) { $0 + Double($1) * Double($1) }
}

/// The one gain, at most 1, that brings the loudest peak of `signals` down to `peakDBFS`.
///
/// Clips meant to be heard side by side (speech, then speech with noise at 0 dB SNR, whose
/// peaks pass full scale) are all scaled by it: none clips in a 16-bit file, and their levels
/// relative to one another stay as they were. Signals already below the peak keep their level.
public func headroomGain(for signals: [[Float]], peakDBFS: Double = -1) -> Float {
  let peak = signals.joined().reduce(Float(0)) { max($0, abs($1)) }
  guard peak > 0 else { return 1 }
  return min(1, Float(pow(10, peakDBFS / 20)) / peak)
}

/// An amplitude ratio in decibels, `20 log10(a)`: dBFS when `a` is relative to full scale.
///
/// A full-scale sine has RMS `1/√2`, so `decibels(rms)` of it is -3.01 dBFS.
public func decibels(_ amplitude: Double) -> Double { 20 * log10(amplitude) }
