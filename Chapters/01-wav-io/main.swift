// Chapter 1: audio in and out. Reads the speech clip, makes noise and a 5 dB mixture,
// measures the resampler, draws the waveforms and the resampling filter's response, and
// writes the clip and its mixtures at 0, 5 and 10 dB as WAVs to listen to.
import Audio
import ChapterSupport
import Foundation
import Plot

let options = ChapterOptions.fromCommandLine()
/// The canonical clip of the book: 32 640 samples, 2.04 s at 16 kHz.
let clipFrames = 32640

section("The recording")
let path = "data/speech.wav"
let file = try AudioFile.read(path)
let speech = file.mono()
var recording = Table([
  "file", "rate (Hz)", "channels", "frames", "duration (s)", "peak (dBFS)",
  "RMS (dBFS)",
])
recording.add([
  path, "\(file.sampleRate)", "\(file.channels)", "\(file.frameCount)",
  fixed(file.duration, 2), fixed(decibels(Double(file.peak)), 1),
  fixed(decibels(Double(file.rms)), 1),
])
recording.print()

section("Noise and a 5 dB mixture")
let clean = speech.prefix(frames: clipFrames).samples
let white = whiteNoise(count: clean.count, seed: 1)
let pink = pinkNoise(count: clean.count, seed: 2)
let noisy = try mix(clean, white, snrDB: 5)
let noisyPink = try mix(clean, pink, snrDB: 5)
var mixtures = Table([
  "mixture (2.04 s)", "asked SNR (dB)", "measured SNR (dB)", "SI-SDR (dB)",
  "noise RMS (dBFS)",
])
for (name, mixture) in [("speech + white noise", noisy), ("speech + pink noise", noisyPink)] {
  let added = zip(mixture, clean).map { $0 - $1 }
  mixtures.add([
    name, "5.00", fixed(try snr(reference: clean, estimate: mixture), 4),
    fixed(try siSDR(reference: clean, estimate: mixture), 4),
    fixed(decibels(Double(rms(added))), 1),
  ])
}
mixtures.print()

// The sounds of the chapter, beside its figures: the clip and white-noise mixtures from
// faint noise (10 dB) to noise as loud as the speech (0 dB), all scaled by one gain so that
// the 0 dB mixture's peaks fit in 16 bits and the speech stays equally loud in each.
let clips =
  [("01-clean.wav", clean)]
  + (try [10, 5, 0].map { ("01-white-\($0)db.wav", try mix(clean, white, snrDB: Double($0))) })
let listening = headroomGain(for: clips.map(\.1))
for (name, samples) in clips {
  let clip = try options.figure(name)
  try AudioFile.write(
    AudioBuffer(mono: samples.map { $0 * listening }, sampleRate: file.sampleRate), to: clip)
  print("wrote \(clip)")
}
print("(clips scaled by \(fixed(decibels(Double(listening)), 2)) dB to peak at -1 dBFS)")

section("Resampling")
let down = try Resampler(from: 48000, to: 16000)
let up = try Resampler(from: 16000, to: 48000)
/// The response of `down` from 0 to 24 kHz, every 10 Hz (every 100 Hz with --quick).
let responseHz = Array(stride(from: 0.0, through: 24000, by: options.quick ? 100 : 10))
let response = down.frequencyResponse(at: responseHz)
var design = Table([
  "filter", "phases", "taps/phase", "passband to (kHz)", "cutoff (kHz)",
  "stopband from (kHz)", "Kaiser β",
])
for resampler in [down, up] {
  design.add([
    "\(resampler.inputRate / 1000) → \(resampler.outputRate / 1000) kHz", "\(resampler.up)",
    "\(resampler.taps)", fixed(resampler.passbandEdge / 1000, 3),
    fixed(resampler.cutoff / 1000, 3), fixed(resampler.stopbandEdge / 1000, 3),
    fixed(resampler.beta, 3),
  ])
}
design.print()
let passband = zip(responseHz, response).filter { $0.0 <= down.passbandEdge }.map { abs($0.1) }
let stopband = zip(responseHz, response).filter { $0.0 >= down.stopbandEdge }.map(\.1)
print(
  "\n48 → 16 kHz response from the kernel: passband ripple ±\(fixed(passband.max()!, 5)) dB, "
    + "worst stopband gain \(fixed(stopband.max()!, 1)) dB (designed for -90 dB)\n")

let seconds = options.quick ? 0.1 : 0.5
let tone = sine(frequency: 1000, sampleRate: 48000, count: Int(seconds * 48000), amplitude: 0.5)
let roundTrip = up.resample(down.resample(tone))
let edge = tone.count / 10
let toneMiddle = Array(tone[edge..<(tone.count - edge)])
let roundTripMiddle = Array(roundTrip[edge..<(roundTrip.count - edge)])
// The whole recording (with --quick, the clip: debug builds are slow).
let whole = options.quick ? speech.prefix(frames: clipFrames) : speech
let speech48 = try whole.resampled(to: 48000)
let speechBack = try speech48.resampled(to: 16000)
var measured = Table(["measurement", "value", "required"])
measured.add([
  "1 kHz sine, 48 → 16 → 48 kHz: amplitude change (dB)",
  fixed(decibels(Double(rms(roundTripMiddle) / rms(toneMiddle))), 5), "within ±0.1",
])
measured.add([
  "1 kHz sine, 48 → 16 → 48 kHz: SNR of the waveform (dB)",
  fixed(try snr(reference: toneMiddle, estimate: roundTripMiddle), 1), "",
])
measured.add([
  "10 kHz sine, 48 → 16 kHz: gain (dB)", fixed(down.measuredGain(at: 10000, seconds: seconds), 1),
  "below -60",
])
measured.add([
  "speech, 16 → 48 → 16 kHz: SNR (dB)",
  fixed(try snr(reference: whole.samples, estimate: speechBack.samples), 1), "",
])
measured.add([
  "speech frames, 16 → 48 → 16 kHz",
  "\(whole.frameCount) → \(speech48.frameCount) → \(speechBack.frameCount)", "",
])
measured.print()

let repeats = options.quick ? 1 : 5
let upTime = try medianSeconds(repeats: repeats) { _ = try whole.resampled(to: 48000) }
let downTime = try medianSeconds(repeats: repeats) { _ = try speech48.resampled(to: 16000) }
print(
  "\nResampling the \(fixed(whole.duration, 2)) s recording (median of \(repeats)): "
    + "16 → 48 kHz \(fixed(upTime * 1000, 1)) ms, 48 → 16 kHz \(fixed(downTime * 1000, 1)) ms "
    + "(\(fixed(whole.duration / max(upTime, downTime), 0))× real time or better)")

section("Figures")
// The waveforms: clean, noise, noisy, on one amplitude scale so that they compare.
let times = (0..<clean.count).map { Double($0) / Double(speech.sampleRate) }
let addedNoise = zip(noisy, clean).map { $0 - $1 }
let limit = (Double(noisy.map { abs($0) }.max()!) * 10).rounded(.up) / 10
var panels: [LinePlot] = []
for (title, samples, color) in [
  ("clean speech (data/speech.wav, first 2.04 s)", clean, Color.palette(0)),
  ("white noise, scaled to 5 dB below the speech", addedNoise, Color.palette(1)),
  ("noisy mixture: SNR 5 dB", noisy, Color.palette(2)),
] {
  var plot = LinePlot(title: title, xLabel: "time (s)", yLabel: "amplitude")
  plot.line(x: times, y: samples.map(Double.init), color: color)
  plot.xRange = 0...times.last!
  plot.yRange = -limit...limit
  plot.showsLegend = false
  panels.append(plot)
}
let waveforms = try options.figure("01-waveforms.png")
try Grid(columns: 1, panels: panels, title: "Speech, noise and a 5 dB mixture")
  .write(to: waveforms, width: 1200, height: 900)
print("wrote \(waveforms)")

// The resampling filter: its response from the kernel, tones measured through it.
let toneHz = Array(stride(from: 500.0, to: 24000, by: options.quick ? 4000 : 1000))
let toneDB = toneHz.map { down.measuredGain(at: $0, seconds: options.quick ? 0.05 : 0.25) }
var full = LinePlot(
  title: "48 to 16 kHz: gain of the windowed-sinc filter", xLabel: "frequency (kHz)",
  yLabel: "gain (dB)")
full.line(
  x: responseHz.map { $0 / 1000 }, y: response, label: "from the kernel",
  color: Color.palette(0))
full.points(
  x: toneHz.map { $0 / 1000 }, y: toneDB, label: "tones through the resampler",
  color: Color.palette(1))
full.verticalLine(
  at: down.passbandEdge / 1000, label: "passband edge", color: Color.palette(2))
full.verticalLine(
  at: down.stopbandEdge / 1000, label: "stopband edge (new Nyquist)",
  color: Color.palette(3))
full.horizontalLine(at: -down.stopbandDB, label: "design: -90 dB", color: Color.palette(4))
full.xRange = 0...24
full.yRange = -160...10
var zoom = LinePlot(
  title: "the passband, magnified: ripple within +/-\(fixed(passband.max()!, 4)) dB",
  xLabel: "frequency (kHz)",
  yLabel: "gain (dB)")
let passbandIndices = responseHz.indices.filter { responseHz[$0] <= 7000 }
zoom.line(
  x: passbandIndices.map { responseHz[$0] / 1000 }, y: passbandIndices.map { response[$0] },
  label: "from the kernel", color: Color.palette(0))
zoom.verticalLine(
  at: down.passbandEdge / 1000, label: "passband edge", color: Color.palette(2))
zoom.xRange = 0...7
zoom.yRange = -0.001...0.001
zoom.showsLegend = false
let resampling = try options.figure("01-resampling.png")
try Grid(columns: 2, panels: [full, zoom], title: "The resampling filter")
  .write(to: resampling, width: 1400, height: 560)
print("wrote \(resampling)")
