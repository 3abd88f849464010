import Audio
import Denoising
import Foundation
import Suppression
import Tensors
import Testing

/// A noisy recording of `frames` frames: syllables in white noise on the first channel, the
/// same at half level in pink noise on the others.
func noisyRecording(frames: Int, sampleRate: Int, channels: Int, seed: UInt64 = 1) throws
  -> AudioBuffer
{
  let speech = syllables(count: frames, sampleRate: sampleRate)
  var samples = [Float](repeating: 0, count: frames * channels)
  for c in 0..<channels {
    let noise =
      c == 0
      ? whiteNoise(count: frames, seed: seed) : pinkNoise(count: frames, seed: seed + UInt64(c))
    let noisy = try mix(speech, noise, snrDB: 5)
    for f in 0..<frames { samples[f * channels + c] = (c == 0 ? 1 : 0.5) * noisy[f] }
  }
  return AudioBuffer(samples: samples, channels: channels, sampleRate: sampleRate)
}

/// A pool of `jobs` workers as the `denoise` command makes it: each job on its own core when
/// there are several.
func commandPool(jobs: Int) -> JobPool {
  jobs == 1 ? JobPool(jobs: 1) : JobPool(jobs: jobs, around: { ThreadTeam.alone($0) })
}

/// Where two equally long arrays first differ, for a failure message.
func firstDifference(_ a: [Float], _ b: [Float]) -> String {
  guard a.count == b.count else { return "\(a.count) values against \(b.count)" }
  guard let i = a.indices.first(where: { a[$0] != b[$0] }) else { return "none" }
  return "at \(i): \(a[i]) against \(b[i])"
}

@Suite("Chapter 7: streaming the pipeline")
struct Chapter07StreamingTests {
  @Test(arguments: [(44_100, 16_000), (48_000, 16_000), (8_000, 16_000), (16_000, 44_100)])
  func resamplingStreamEqualsResamplingTheWholeSignal(rates: (Int, Int)) throws {
    let resampler = try Resampler(from: rates.0, to: rates.1)
    let signal = whiteNoise(count: 9_001, seed: 7)
    let whole = resampler.resample(signal)
    for blockSize in [1, 13, 500, 4_096, 20_000] {
      var stream = ResamplingStream(resampler)
      var streamed: [Float] = []
      var position = 0
      while position < signal.count {
        let end = min(signal.count, position + blockSize)
        streamed += stream.process(Array(signal[position..<end]))
        position = end
      }
      streamed += stream.finish()
      #expect(streamed == whole, "blocks of \(blockSize): \(firstDifference(streamed, whole))")
    }
  }

  @Test func readerGivesTheSamplesOfAWholeFileRead() throws {
    try withTemporaryDirectory { folder in
      let path = folder + "/x.flac"
      let recording = try noisyRecording(frames: 10_007, sampleRate: 22_050, channels: 2)
      try AudioFile.write(recording, to: path, format: .flac)
      let reader = try AudioFileReader(path)
      #expect(reader.channels == 2 && reader.sampleRate == 22_050)
      #expect(reader.announcedFrames == 10_007)
      var samples: [Float] = []
      while case let block = try reader.read(frames: 999), !block.isEmpty { samples += block }
      #expect(samples == (try AudioFile.read(path)).samples)
    }
  }

  @Test func writerShowsTheFileOnlyWhenFinishedAndCancelLeavesNothing() throws {
    try withTemporaryDirectory { folder in
      let recording = try noisyRecording(frames: 3_000, sampleRate: 16_000, channels: 2)
      let writer = try AudioFileWriter(path: folder + "/out.wav", channels: 2, sampleRate: 16_000)
      try writer.write(Array(recording.samples.prefix(2_000)))
      try writer.write(Array(recording.samples.dropFirst(2_000)))
      let during = try folderContents(folder)
      #expect(during.count == 1 && during[0].hasPrefix(".out.wav.") && during[0].hasSuffix(".tmp"))
      try writer.finish()
      #expect(try folderContents(folder) == ["out.wav"])
      // The same 16-bit rounding as writing the buffer in one call.
      try AudioFile.write(recording, to: folder + "/whole.wav")
      #expect(
        try AudioFile.read(folder + "/out.wav").samples
          == AudioFile.read(folder + "/whole.wav").samples)
      let cancelled = try AudioFileWriter(path: folder + "/no.wav", channels: 1, sampleRate: 8_000)
      try cancelled.write([0.1, 0.2])
      cancelled.cancel()
      #expect(try folderContents(folder) == ["out.wav", "whole.wav"])
    }
  }

  /// Recordings of several segments, rates and channel counts, and lengths that end a segment
  /// early or late (the last one mostly mirrored), and one shorter than a segment.
  static let recordings: [(frames: Int, rate: Int, channels: Int)] = [
    (200_000, 44_100, 2), (100_000, 16_000, 1), (150_001, 48_000, 3), (5_000, 22_050, 2),
    (Int(Double(32_640 + 28_672 + 4_000) * 44_100 / 16_000), 44_100, 1),
  ]

  @Test(arguments: recordings)
  func streamingEqualsTheWholeRecordingPipelineBitForBit(
    recording shape: (frames: Int, rate: Int, channels: Int)
  ) throws {
    let recording = try noisyRecording(
      frames: shape.frames, sampleRate: shape.rate, channels: shape.channels)
    let expected = try Denoiser(enhancer: DecisionDirectedWiener()).denoise(recording)
    for (jobs, block, stretch) in [(1, 16_384, 1_024), (3, 1_000, 37), (4, 77_777, 300)] {
      var streaming = StreamingDenoiser(
        enhancer: DecisionDirectedWiener(), pool: commandPool(jobs: jobs))
      streaming.blockFrames = block
      streaming.stretchFrames = stretch
      let output = try streaming.denoise(recording)
      defer { streaming.pool.close() }
      #expect(output.channels == recording.channels && output.sampleRate == recording.sampleRate)
      #expect(
        output.samples == expected.samples,
        "\(jobs) jobs, blocks of \(block), stretches of \(stretch): \(firstDifference(output.samples, expected.samples))"
      )
    }
  }

  @Test func priorFitStreamedOverSeveralJobsEqualsTheWholeRecordingPipeline() throws {
    let recording = try noisyRecording(frames: 100_000, sampleRate: 44_100, channels: 2)
    var prior = PriorEnhancer.recommended(autoStop: false)
    prior.iterations = 1
    let expected = try Denoiser(enhancer: prior).denoise(recording)
    for jobs in [1, 3] {
      let streaming = StreamingDenoiser(enhancer: prior, pool: commandPool(jobs: jobs))
      defer { streaming.pool.close() }
      let output = try streaming.denoise(recording)
      #expect(
        output.samples == expected.samples,
        "\(jobs) jobs: \(firstDifference(output.samples, expected.samples))")
    }
  }

  /// An enhancer that fails on a segment of digital silence and halves everything else.
  struct RefusesSilence: Enhancer {
    var name: String { "refuses silence" }
    func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) throws -> [Float] {
      if segment.samples.allSatisfy({ $0 == 0 }) { throw DenoiseError.noAudio }
      return [Float](repeating: 0.5, count: segment.spectrogram.bins * segment.spectrogram.frames)
    }
  }

  @Test func silentSegmentsNeverReachTheEnhancerAndStaySilent() throws {
    // Sound, then 6 s of digital silence (more than two whole segments), then sound.
    let rate = 16_000
    var samples = try noisyRecording(frames: 200_000, sampleRate: rate, channels: 1).samples
    for i in 40_000..<136_000 { samples[i] = 0 }
    let recording = AudioBuffer(mono: samples, sampleRate: rate)
    let whole = try Denoiser(enhancer: RefusesSilence()).denoise(recording)
    let streaming = StreamingDenoiser(enhancer: RefusesSilence(), pool: commandPool(jobs: 2))
    defer { streaming.pool.close() }
    #expect(try streaming.denoise(recording).samples == whole.samples)
    #expect(whole.samples[70_000..<100_000].allSatisfy { $0 == 0 })
    // Elsewhere the enhancer's gain of one half, within the STFT's rounding.
    let ratio =
      energy(Array(whole.samples[150_000..<190_000]))
      / energy(Array(samples[150_000..<190_000]))
    #expect(abs(ratio - 0.25) < 1e-3, "energy ratio \(ratio)")
  }

  @Test func aSampleThatIsNotFiniteIsNamedByItsFrameInTheWholeRecording() throws {
    var recording = try noisyRecording(frames: 50_000, sampleRate: 44_100, channels: 2)
    recording.samples[2 * 41_234 + 1] = .infinity
    var streaming = StreamingDenoiser(enhancer: DecisionDirectedWiener(), pool: JobPool(jobs: 2))
    defer { streaming.pool.close() }
    streaming.blockFrames = 4_096
    #expect(throws: DenoiseError.nonFiniteSample(frame: 41_234, channel: 1, value: .infinity)) {
      try streaming.denoise(recording)
    }
    #expect(throws: DenoiseError.noAudio) {
      try streaming.denoise(AudioBuffer(samples: [], channels: 1, sampleRate: 8_000))
    }
  }
}
