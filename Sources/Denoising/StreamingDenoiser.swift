import Audio
import Foundation

/// The `Denoiser`'s pipeline on a recording that is read, denoised and written block by
/// block, so that memory stays bounded by a few segments whatever the recording's length, and
/// whose segments are spread over the jobs of a `JobPool`. Its output equals `Denoiser`'s.
///
/// One thread reads blocks, mixes them to mono and resamples them to 16 kHz
/// (`ResamplingStream`), and cuts the segments; the jobs compute the segments' gains (step 3)
/// and apply the gain to stretches of about 4 s of every channel (step 5); the reading thread
/// crossfades the gains in segment order (`GainTrack`) and writes the stretches in order.
/// Every step computes what the whole-recording pipeline computes, in the same order, so the
/// output is the same to the bit (`Denoiser.apply(gain:to:startingAt:sampleRate:)` says why a
/// stretch can be done alone).
///
/// With more than one job the enhancer's `gain(for:report:)` is called for several segments
/// at once, from different threads: an enhancer must not keep state from one segment to the
/// next (this module's do not).
public struct StreamingDenoiser {
  public var enhancer: any Enhancer
  /// The jobs the segments are spread over; several denoisers may share one pool.
  public var pool: JobPool
  /// Frames read at a time.
  public var blockFrames = 16_384
  /// STFT frames of the recording's own rate (8 ms each) per stretch of step 5.
  public var stretchFrames = 512

  public init(enhancer: any Enhancer, pool: JobPool) {
    self.enhancer = enhancer
    self.pool = pool
  }

  /// Denoises the recording `read` hands out, in blocks of interleaved frames (`[frames ·
  /// channels]`, empty at its end), and hands the result to `write` in order.
  ///
  /// - Parameters:
  ///   - read: the next block of at most the given number of frames.
  ///   - expectedFrames: the recording's length if known (a file's header), for the segment
  ///     count the enhancer is told (`NoisySegment.count`) before the end is reached.
  ///   - progress: called with the seconds of the recording whose gain is known so far.
  /// - Returns: the number of frames written: the recording's.
  /// - Throws: `DenoiseError` as `Denoiser.denoise` throws it (`.noAudio`, `.nonFiniteSample`
  ///   with the frame counted from the start, `.unsupportedSampleRate`, `.enhancerFailed`),
  ///   and the errors of `read` and `write`. Nothing more is written after an error.
  @discardableResult
  public func denoise(
    channels: Int, sampleRate: Int, expectedFrames: Int? = nil,
    read: (Int) throws(DenoiseError) -> [Float], write: ([Float]) throws(DenoiseError) -> Void,
    progress: (Double) -> Void = { _ in }
  ) throws(DenoiseError) -> Int {
    precondition(channels >= 1 && sampleRate >= 1, "\(channels) channels at \(sampleRate) Hz")
    let run = try StreamRun(
      channels: channels, sampleRate: sampleRate, expectedFrames: expectedFrames,
      settings: self)
    defer { run.cancel() }
    return try run.run(read: read, write: write, progress: progress)
  }

  /// Denoises the file `reader` reads into `writer`, which the caller finishes (or cancels
  /// on an error).
  @discardableResult
  public func denoise(
    _ reader: AudioFileReader, into writer: AudioFileWriter,
    progress: (Double) -> Void = { _ in }
  ) throws(DenoiseError) -> Int {
    try denoise(
      channels: reader.channels, sampleRate: reader.sampleRate,
      expectedFrames: reader.announcedFrames,
      read: { frames throws(DenoiseError) in
        try audio { () throws(AudioError) in
          try reader.read(frames: frames)
        }
      },
      write: { block throws(DenoiseError) in
        try audio { () throws(AudioError) in
          try writer.write(block)
        }
      }, progress: progress)
  }

  /// The recording denoised through the stream, read from memory `blockFrames` at a time:
  /// what `Denoiser.denoise` returns, computed as a file would be.
  public func denoise(_ recording: AudioBuffer) throws(DenoiseError) -> AudioBuffer {
    var position = 0
    var output: [Float] = []
    output.reserveCapacity(recording.samples.count)
    let channels = recording.channels
    try denoise(
      channels: channels, sampleRate: recording.sampleRate,
      expectedFrames: recording.frameCount,
      read: { frames in
        let end = min(recording.samples.count, position + frames * channels)
        defer { position = end }
        return Array(recording.samples[position..<end])
      },
      write: { output.append(contentsOf: $0) })
    return AudioBuffer(samples: output, channels: channels, sampleRate: recording.sampleRate)
  }
}

/// `body`'s value, its error wrapped as `DenoiseError.audio`.
func audio<T>(_ body: () throws(AudioError) -> T) throws(DenoiseError) -> T {
  do throws(AudioError) { return try body() } catch { throw .audio(error) }
}

/// An enhancer handed to the jobs. The pipeline calls it for different segments from
/// different threads, which `StreamingDenoiser` asks of every enhancer it is given.
struct SharedEnhancer: @unchecked Sendable {
  let enhancer: any Enhancer
}

/// Set once a run has failed, so that its jobs still queued do nothing.
final class CancelFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var set = false
  var isSet: Bool { lock.withLock { set } }
  func raise() { lock.withLock { set = true } }
}
