// Chapter 2: the spectrogram. The DFT by its definition and by FFTW, the STFT of the speech
// clip and its exact inverse, the scaling the generator will fit, and Griffin-Lim: how much
// of a recording the magnitude alone pins down, written as WAVs to hear it.
import Audio
import ChapterSupport
import Foundation
import Plot
import Random
import Spectral

let options = ChapterOptions.fromCommandLine()
let sampleRate = 16_000
let clipLength = options.quick ? 8_000 : 32_640  // 32 640 samples: exactly 256 frames
let griffinLimIterations = options.quick ? 8 : 500

// MARK: The DFT three ways

section("The DFT at N = 512: the definition, the radix-2 recursion, FFTW")
let n = 512
var generator = Xoshiro256(seed: 2)
let frame = (0..<n).map { _ in Float(generator.uniform() * 2 - 1) }
let fft = try RealFFT(size: n)
let byDefinition = dftDefinition(frame)
let largest = byDefinition.magnitude.max()!
func relativeError(_ x: SplitComplex) -> Double {
  max(
    zip(x.real, byDefinition.real).map { Double(abs($0 - $1)) }.max()!,
    zip(x.imag, byDefinition.imag).map { Double(abs($0 - $1)) }.max()!) / Double(largest)
}
// One FFTW call takes about a microsecond: time batches so the clock resolves them.
let batch = options.quick ? 10 : 1_000
let repeats = options.quick ? 3 : 31
let definitionTime = medianSeconds(repeats: repeats) { _ = dftDefinition(frame) }
let radix2Time = try medianSeconds(repeats: repeats) { _ = try fftRadix2(frame) }
let fftwTime =
  medianSeconds(repeats: repeats) { for _ in 0..<batch { _ = fft.forward(frame) } }
  / Double(batch)
var dftTable = Table(["method", "time (µs)", "× faster", "max error / max |X|"])
dftTable.add(["definition, N² (Double)", fixed(definitionTime * 1e6, 1), "1", "reference"])
for (name, time, result) in [
  ("radix-2, N log N (Swift)", radix2Time, try fftRadix2(frame)),
  ("FFTW r2c (Float)", fftwTime, fft.forward(frame)),
] {
  dftTable.add([
    name, fixed(time * 1e6, 2), fixed(definitionTime / time, 0),
    String(format: "%.1e", relativeError(result)),
  ])
}
dftTable.print()

// MARK: The STFT of speech and its inverse

section("The STFT of the speech clip and its inverse")
var speech = try AudioFile.read("data/speech.wav").mono()
if speech.sampleRate != sampleRate { speech = try speech.resampled(to: sampleRate) }
let clean = Array(speech.samples.prefix(clipLength))
let stft = try STFT(nFFT: 512, hop: 128)
let spectrum = try stft(clean)
let roundTrip = try stft.inverse(spectrum, length: clean.count)
let roundTripError = zip(roundTrip, clean).map { abs($0 - $1) }.max()!
var stftTable = Table(["quantity", "value"])
stftTable.add(["clip", "\(clean.count) samples, \(fixed(Double(clean.count) / 16_000, 2)) s"])
stftTable.add(["STFT (nFFT 512, hop 128)", "\(spectrum.bins) bins × \(spectrum.frames) frames"])
stftTable.add(["max |x - iSTFT(STFT(x))|", String(format: "%.1e", roundTripError)])
stftTable.add(["round-trip SNR (dB)", fixed(try snr(reference: clean, estimate: roundTrip), 1)])

stftTable.print()

// MARK: Figure: clean and noisy spectrograms

let noise = whiteNoise(count: clean.count, seed: 1)  // the mixture of chapter 1
let noisy = try mix(clean, noise, snrDB: 5)
let noisySpectrum = try stft(noisy)
let cleanDB = spectrum.decibels()
let top = cleanDB.max()!.rounded(.up)
let dynamicRange: Float = 80
@MainActor func spectrogramPanel(_ decibels: [Float], _ title: String) -> HeatMap {
  var map = HeatMap(
    values: decibels, rows: spectrum.bins, columns: spectrum.frames, title: title,
    xLabel: "time (s)", yLabel: "frequency (kHz)", colorbarLabel: "20 log10|X| (dB)")
  // Frame t is centred on t · hop / rate seconds, bin f on f · rate / nFFT Hz.
  let frameSeconds = Double(stft.hop) / Double(sampleRate)
  map.xRange = (-frameSeconds / 2)...((Double(spectrum.frames) - 0.5) * frameSeconds)
  let binKHz = Double(sampleRate) / Double(stft.nFFT) / 1000
  map.yRange = (-binKHz / 2)...((Double(spectrum.bins) - 0.5) * binKHz)
  map.valueRange = (top - dynamicRange)...top
  return map
}
let spectrograms = Grid(
  columns: 2,
  panels: [
    spectrogramPanel(cleanDB, "clean speech"),
    spectrogramPanel(noisySpectrum.decibels(), "with white noise at 5 dB SNR"),
  ],
  title: "Spectrograms: nFFT 512, hop 128, periodic Hann, 16 kHz")
try spectrograms.write(to: try options.figure("02-spectrograms.png"), width: 1400, height: 560)
try Diagram.stftFraming(nFFT: stft.nFFT, hop: stft.hop, window: stft.window, sampleRate: sampleRate)
  .write(to: try options.figure("02-framing.png"))

// MARK: Griffin-Lim: the phase from the magnitude alone

section("Griffin-Lim from the clean magnitude (\(griffinLimIterations) iterations)")
let magnitude = spectrum.magnitude
@MainActor func reconstruction(phase: [Float]) throws -> [Float] {
  try stft.inverse(
    Spectrogram(magnitude: magnitude, phase: phase, bins: stft.bins, frames: spectrum.frames),
    length: clean.count)
}
@MainActor func convergence(_ signal: [Float]) throws -> Float {
  spectralConvergence(of: try stft(signal).magnitude, to: magnitude)
}
var griffinLimSNR: [Double] = []
let griffinLim = try stft.griffinLim(
  magnitude: magnitude, length: clean.count, iterations: griffinLimIterations,
  initialPhase: .random(seed: 7)
) { _, estimate in
  griffinLimSNR.append((try? snr(reference: clean, estimate: estimate)) ?? .nan)
}
let withNoisyPhase = try reconstruction(phase: noisySpectrum.phase)
let withTruePhase = try reconstruction(phase: spectrum.phase)
var phaseTable = Table(["magnitude + phase", "spectral convergence", "SNR vs clean (dB)"])
for (name, signal) in [
  ("clean + true phase", withTruePhase),
  ("clean + noisy phase (5 dB)", withNoisyPhase),
  ("clean + Griffin-Lim phase", griffinLim.signal),
  ("noisy + noisy phase (the input)", noisy),
] {
  phaseTable.add([
    name, String(format: "%.2e", try convergence(signal)),
    fixed(try snr(reference: clean, estimate: signal), 2),
  ])
}
phaseTable.print()
// To be heard side by side, at one level: the clip, the clean magnitude with Griffin-Lim's
// phase, and with the noisy phase (the denoiser's ceiling).
let clips = [
  ("02-original.wav", clean), ("02-griffin-lim.wav", griffinLim.signal),
  ("02-noisy-phase.wav", withNoisyPhase),
]
let listening = headroomGain(for: clips.map(\.1))
for (name, signal) in clips {
  let clip = try options.figure(name)
  try AudioFile.write(
    AudioBuffer(mono: signal.map { $0 * listening }, sampleRate: sampleRate), to: clip)
  print("wrote \(clip)")
}
let sc = griffinLim.spectralConvergence
print(
  "Griffin-Lim spectral convergence: \(fixed(sc[0], 3)) at the random start, "
    + "\(fixed(sc[min(50, sc.count - 1)], 3)) after \(min(50, sc.count - 1)), "
    + "\(fixed(sc.last!, 4)) after \(sc.count - 1) iterations")

// MARK: Figure: Griffin-Lim's convergence and the gap to the true phase

let iterations = (0..<sc.count).map(Double.init)
let (griffinLimColor, noisyPhaseColor) = (Color.palette(0), Color.palette(1))
// The true phase's convergence (rounding, about 1e-7) is in the table above: on this axis it
// would squeeze the Griffin-Lim curve into the top of the panel.
let truePhaseConvergence = try convergence(withTruePhase)
var convergencePlot = LinePlot(
  title: "Spectral convergence of |STFT(x)| to the clean |X| "
    + "(true phase: \(String(format: "%.0e", truePhaseConvergence)), rounding)",
  xLabel: "Griffin-Lim iteration", yLabel: "spectral convergence (log scale)")
convergencePlot.yScale = .log
convergencePlot.yRange = 0.01...1
convergencePlot.line(
  x: iterations, y: sc.map(Double.init), label: "Griffin-Lim (random start)",
  color: griffinLimColor)
convergencePlot.horizontalLine(
  at: Double(try convergence(withNoisyPhase)), label: "clean magnitude + noisy phase",
  color: noisyPhaseColor)
var snrPlot = LinePlot(
  title: "Distance to the clean waveform", xLabel: "Griffin-Lim iteration",
  yLabel: "SNR vs clean (dB)")
snrPlot.yRange = -10...25
snrPlot.line(
  x: iterations, y: griffinLimSNR, label: "Griffin-Lim (random start)", color: griffinLimColor)
snrPlot.horizontalLine(
  at: try snr(reference: clean, estimate: withNoisyPhase), label: "clean magnitude + noisy phase",
  color: noisyPhaseColor)
snrPlot.horizontalLine(
  at: try snr(reference: clean, estimate: noisy), label: "noisy input (5 dB)",
  color: Color.palette(3))
let phaseFigure = Grid(
  columns: 2, panels: [convergencePlot, snrPlot],
  title: "The magnitude alone does not give the waveform back")
try phaseFigure.write(to: try options.figure("02-phase.png"), width: 1400, height: 560)
print(
  "\nfigures: \(try options.figure("02-spectrograms.png")), \(try options.figure("02-phase.png"))")
