// Chapter 7: the `denoise` pipeline on the recording the speed target names, 10 s of stereo
// at 44.1 kHz: the default method (the prior fit, stopped by its rule), the DD Wiener filter,
// and the same pipeline with the identity enhancer (resampling, segmenting, the STFTs and the
// gain mapping, without any denoising) as the reference.
import Audio
import ChapterSupport
import Foundation
import Denoising
import Suppression

/// The default `denoise` on 10 s of noisy stereo speech at 44.1 kHz against the two-minute
/// target; the DD Wiener filter and the identity pipeline beside it.
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
  let segments = Denoiser.segmentCount(frames: frames, sampleRate: rate)
  let size = "10 s stereo, 44.1 kHz, \(segments) segments"

  let identity = try medianSeconds(repeats: 7) {
    _ = try Denoiser(enhancer: IdentityEnhancer()).denoise(recording)
  }
  let wiener = try medianSeconds(repeats: 7) {
    _ = try Denoiser(enhancer: DecisionDirectedWiener()).denoise(recording)
  }
  // The prior fit takes about a minute: one run, noting where each segment's fit stopped.
  var stoppedAt = [Int](repeating: 0, count: segments)
  let prior = try medianSeconds(repeats: 1, warmUp: 0) {
    _ = try Denoiser(enhancer: PriorEnhancer.recommended(autoStop: true)).denoise(recording) {
      if let step = $0.step { stoppedAt[$0.segmentsDone] = step.iteration }
    }
  }
  let meanIterations = stoppedAt.reduce(0, +) / segments
  return [
    BenchRow(
      what: "denoise pipeline, identity enhancer", size: size, seconds: identity,
      rate: "\(fixed(seconds / identity, 0))× real time", ofReference: "reference"),
    BenchRow(
      what: "denoise --method wiener", size: size, seconds: wiener,
      rate: "\(fixed(seconds / wiener, 0))× real time",
      ofReference: "\(fixed(wiener / identity, 2))× identity"),
    BenchRow(
      what: "denoise (prior, --stop auto)", size: size + ", \(meanIterations) iterations each",
      seconds: prior, rate: "\(fixed(seconds / prior, 2))× real time",
      ofReference: "\(fixed(100 * prior / 120, 0)) % of the 2 min goal"),
  ]
}
