// Chapter 7: the `denoise` pipeline on the recording the speed target names, 10 s of stereo
// at 44.1 kHz, with the default method, against the same pipeline with the identity enhancer
// (resampling, segmenting, the STFTs and the gain mapping, without any denoising).
import Audio
import ChapterSupport
import Foundation
import Prior

/// The default `denoise` on 10 s of noisy stereo speech at 44.1 kHz, as × real time and as a
/// share of the two-minute budget; the identity pipeline as the reference.
func chapter07Benchmarks() throws -> [BenchRow] {
  let rate = 44_100
  let seconds = 10.0
  let frames = Int(seconds) * rate
  let speech = try AudioFile.read("data/speech.wav").mono().resampled(to: rate).samples
  let clean = Array(speech.prefix(frames))
  let left = try mix(clean, whiteNoise(count: frames, seed: 1), snrDB: 5)
  let right = try mix(clean, pinkNoise(count: frames, seed: 2), snrDB: 5)
  var samples = [Float](repeating: 0, count: 2 * frames)
  for i in 0..<frames { (samples[2 * i], samples[2 * i + 1]) = (left[i], right[i]) }
  let recording = AudioBuffer(samples: samples, channels: 2, sampleRate: rate)
  let size =
    "10 s stereo, 44.1 kHz, \(Denoiser.segmentCount(frames: frames, sampleRate: rate)) segments"

  let identity = try medianSeconds(repeats: 7) {
    _ = try Denoiser(enhancer: IdentityEnhancer()).denoise(recording)
  }
  let wiener = try medianSeconds(repeats: 7) {
    _ = try Denoiser(enhancer: DecisionDirectedWiener()).denoise(recording)
  }
  return [
    BenchRow(
      what: "denoise pipeline, identity enhancer", size: size, seconds: identity,
      rate: "\(fixed(seconds / identity, 0))× real time", ofReference: "reference"),
    BenchRow(
      what: "denoise, default method (DD Wiener)", size: size, seconds: wiener,
      rate: "\(fixed(seconds / wiener, 0))× real time",
      ofReference: "\(fixed(wiener / identity, 2))× identity; "
        + "\(fixed(100 * wiener / 120, 2)) % of the 2 min budget"),
  ]
}
