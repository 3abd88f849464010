import Audio
import Foundation
import Spectral

// One recording going through `StreamingDenoiser`: what has been read, which segments and
// stretches are with the jobs, what has been written. The reading thread runs the loop in
// `run`; the jobs only see copies of the samples they work on.

final class StreamRun {
  let channels: Int
  let rate: Int
  let settings: StreamingDenoiser
  /// The hop of step 5's STFT at the recording's rate, and its frame, nFFT = 4 hops.
  let hopR: Int
  /// Samples (of one channel) per stretch of step 5, and the margin read on each side.
  let stretch: Int
  let margin: Int
  let expectedSegments: Int
  let enhancer: SharedEnhancer
  let completions = Completions()
  let cancelled = CancelFlag()
  /// Segments and stretches with the jobs at most: enough to keep every job busy.
  let segmentLimit: Int
  let stretchLimit: Int

  var resampler: ResamplingStream?
  /// The recording's interleaved samples still needed by stretches to come.
  var original = RollingBuffer()
  /// The 16 kHz mono mix still needed by segments to come.
  var mono = RollingBuffer()
  var framesRead = 0
  var atEnd = false
  var segmentCount: Int? = nil
  var nextSegment = 0
  var segmentJobs: [(index: Int, job: JobResult<[Float]>)] = []
  var gains = GainTrack()
  var nextStretch = 0
  var stretchJobs: [JobResult<[Float]>] = []
  var framesWritten = 0

  init(
    channels: Int, sampleRate: Int, expectedFrames: Int?, settings: StreamingDenoiser
  ) throws(DenoiseError) {
    self.channels = channels
    rate = sampleRate
    self.settings = settings
    hopR = Denoiser.applicationHop(sampleRate: sampleRate)
    stretch = max(1, settings.stretchFrames) * hopR
    margin = 4 * hopR
    expectedSegments = Denoiser.segmentCount(
      frames: max(expectedFrames ?? 1, 1), sampleRate: sampleRate)
    enhancer = SharedEnhancer(enhancer: settings.enhancer)
    segmentLimit = settings.pool.jobs + 1
    stretchLimit = max(2, settings.pool.jobs)
    if sampleRate != Denoiser.fittingRate {
      do {
        resampler = ResamplingStream(try Resampler(from: sampleRate, to: Denoiser.fittingRate))
      } catch {
        throw .unsupportedSampleRate(rate: sampleRate, reason: "\(error)")
      }
    }
  }

  /// Stops the jobs of this run still queued from doing anything.
  func cancel() { cancelled.raise() }

  func run(
    read: (Int) throws(DenoiseError) -> [Float], write: ([Float]) throws(DenoiseError) -> Void,
    progress: (Double) -> Void
  ) throws(DenoiseError) -> Int {
    while true {
      let seen = completions.count
      var progressed = false
      // The gains that have come back, in segment order, once it is known whether each is
      // the last (which decides its fade-out).
      while let (s, job) = segmentJobs.first, let outcome = job.outcome {
        let isLast: Bool
        if s + 1 < nextSegment {
          isLast = false
        } else if let segmentCount {
          isLast = s == segmentCount - 1
        } else {
          break
        }
        gains.add(try outcome.get(), isLast: isLast)
        segmentJobs.removeFirst()
        progressed = true
        let known = min(gains.finalFrames * Denoiser.hop, mono.end)
        progress(Double(known) / Double(Denoiser.fittingRate))
      }
      // The stretches done, in order.
      while let job = stretchJobs.first, let outcome = job.outcome {
        let block = try outcome.get()
        try write(block)
        framesWritten += block.count / channels
        stretchJobs.removeFirst()
        progressed = true
      }
      while stretchJobs.count < stretchLimit, submitStretch() { progressed = true }
      if atEnd && stretchJobs.isEmpty && nextStretch * stretch >= framesRead {
        precondition(framesWritten == framesRead, "\(framesWritten) of \(framesRead) written")
        progress(Double(framesRead) / Double(rate))
        return framesWritten
      }
      // Read until the next segment can go to a job, but not further ahead of step 5 than
      // the stretches need: what is read waits in memory until a stretch has used it.
      while segmentJobs.count < segmentLimit && nextSegment * Segmenter.samples.hop <= readAhead {
        if submitSegment() {
          progressed = true
        } else if !atEnd {
          try readBlock(read)
          progressed = true
        } else {
          break
        }
      }
      if !progressed {
        precondition(!segmentJobs.isEmpty || !stretchJobs.isEmpty, "the stream is stuck")
        completions.wait(past: seen)
      }
    }
  }

  /// The last 16 kHz sample at which a segment may start: the next stretch's end and enough
  /// segments after it to keep every job busy.
  private var readAhead: Int {
    let segmenter = Segmenter.samples
    let nextStretchEnd = (nextStretch + 1) * stretch * Denoiser.fittingRate / rate
    return nextStretchEnd + (segmentLimit + 2) * segmenter.hop + segmenter.length
  }

  /// Reads the next block: its mono mix resampled to 16 kHz joins `mono`; at the end, the
  /// resampler's last outputs.
  private func readBlock(_ read: (Int) throws(DenoiseError) -> [Float]) throws(DenoiseError) {
    let block = try read(settings.blockFrames)
    if block.isEmpty {
      guard framesRead > 0 else { throw .noAudio }
      atEnd = true
      if var resampler { mono.append(resampler.finish()) }
      segmentCount = Segmenter.samples.segmentCount(length: mono.end)
      return
    }
    precondition(block.count % channels == 0, "a block of \(block.count) samples")
    if let bad = block.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteSample(
        frame: framesRead + bad / channels, channel: bad % channels, value: block[bad])
    }
    original.append(block)
    framesRead += block.count / channels
    let mixed = AudioBuffer(samples: block, channels: channels, sampleRate: rate).mono().samples
    if resampler != nil {
      mono.append(resampler!.process(mixed))
    } else {
      mono.append(mixed)
    }
  }

  /// Hands the next segment to a job if its samples are all there; false if not.
  private func submitSegment() -> Bool {
    let segmenter = Segmenter.samples
    let s = nextSegment
    let from = s * segmenter.hop
    let samples: [Float]
    if let segmentCount {
      guard s < segmentCount else { return false }
      samples = segmentSamples(from: from, count: mono.end)
    } else {
      guard from + segmenter.length <= mono.end else { return false }
      samples = mono.slice(from..<(from + segmenter.length))
    }
    let count = segmentCount ?? expectedSegments
    let (enhancer, cancelled) = (self.enhancer, self.cancelled)
    segmentJobs.append(
      (
        s,
        JobResult(on: settings.pool, signalling: completions) { () throws(DenoiseError) in
          if cancelled.isSet { return [] }
          let stft = try! STFT(nFFT: Denoiser.nFFT, hop: Denoiser.hop)  // valid constants
          return try Denoiser.gain(
            of: samples, index: s, count: count, enhancer: enhancer.enhancer, stft: stft)
        }
      ))
    nextSegment += 1
    // The next segment reads back at most one hop (the mirror at the end), never before.
    mono.forget(before: (nextSegment - 1) * segmenter.hop)
    return true
  }

  /// The segment starting at `from` once the 16 kHz signal is known to have `n` samples: as
  /// `Segmenter.segments` cuts it, mirror-extended past the end (`mirrorExtended`).
  private func segmentSamples(from: Int, count n: Int) -> [Float] {
    let length = Segmenter.samples.length
    guard from + length > n else { return mono.slice(from..<(from + length)) }
    guard n > 1 else { return [Float](repeating: mono[0], count: length) }
    let period = 2 * (n - 1)
    return (from..<(from + length)).map { i in
      let j = i % period
      return mono[j < n ? j : period - j]
    }
  }

  /// The 16 kHz gain frame (fractional) that frame t of step 5's STFT looks up.
  private func gainPosition(_ t: Int) -> Double {
    Double(t * hopR * Denoiser.fittingRate) / Double(rate * Denoiser.hop)
  }

  /// Hands the next stretch of step 5 to a job if its samples and its gains are there.
  ///
  /// Stretch c is the output's frames `a ..< b`, `a = c · stretch`; it is computed from the
  /// input `a - margin ..< b + margin` (cut at the recording's ends), and the STFT frames
  /// that reach into `a ..< b` are those from `a / hop - 1` to `b / hop + 1`.
  private func submitStretch() -> Bool {
    let a = nextStretch * stretch
    guard !atEnd || a < framesRead else { return false }
    guard atEnd || a + stretch + margin <= framesRead else { return false }
    let b = atEnd ? min(a + stretch, framesRead) : a + stretch
    let (c0, c1) = (max(0, a - margin), atEnd ? min(b + margin, framesRead) : b + margin)
    // The gain frames that those STFT frames interpolate between, with one to spare.
    var low = Int(gainPosition(max(0, a / hopR - 2)))
    var high = Int(gainPosition((b + hopR - 1) / hopR + 2)) + 2
    if let total = gains.total {
      (low, high) = (min(low, total - 1), min(high, total))
    } else if high > gains.finalFrames {
      return false
    }
    let gain = gains.frames(low..<high)
    let input = original.slice((c0 * channels)..<(c1 * channels))
    let (channels, rate, cancelled) = (self.channels, self.rate, self.cancelled)
    stretchJobs.append(
      JobResult(on: settings.pool, signalling: completions) { () throws(DenoiseError) in
        if cancelled.isSet { return [] }
        var output = [Float](repeating: 0, count: (b - a) * channels)
        for c in 0..<channels {
          let channel =
            channels == 1 ? input : stride(from: c, to: input.count, by: channels).map { input[$0] }
          let y = Denoiser.apply(gain: gain, to: channel, startingAt: c0, sampleRate: rate)
          for f in a..<b { output[(f - a) * channels + c] = y[f - c0] }
        }
        return output
      })
    nextStretch += 1
    let next = nextStretch * stretch
    original.forget(before: max(0, next - margin) * channels)
    gains.forget(before: Int(gainPosition(max(0, next / hopR - 2))))
    return true
  }
}
