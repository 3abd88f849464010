import ArgumentParser
import Audio
import Foundation
import Denoising
import Suppression

/// The denoising methods the command offers.
enum Method: String, ExpressibleByArgument, CaseIterable {
  case prior, wiener, subtraction

  /// Whether the method runs iterations (and so takes --iterations, --stop, --seed,
  /// --snapshots).
  var isIterative: Bool { self == .prior }
}

/// How an iterative method decides when to stop.
enum StopMode: String, ExpressibleByArgument, CaseIterable {
  case auto, fixed
}

struct DenoiseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "denoise",
    abstract: "Removes background noise from speech recordings.",
    discussion: """
      Any length, sample rate and channel count: the output has exactly the input's length, \
      rate and channels. The channels are mixed to mono and resampled to 16 kHz; the method \
      computes a time-frequency gain on that mix, 2.04 s segment by segment (crossfaded), \
      and the one gain is applied to every channel at its own rate. Above 8 kHz each moment \
      gets its mean gain over 4-8 kHz.

      Methods: prior (default) fits a DCGAN generator to each segment's spectrogram (p = 0.3 \
      power law), stops by the windowed moving variance of its outputs (--stop auto) or \
      after --iterations (--stop fixed), and applies the geometric mean of the fit's Wiener \
      gain and the decision-directed Wiener gain: seconds per segment. wiener is a Wiener \
      filter with the decision-directed a-priori SNR (Ephraim and Malah 1984), the noise \
      estimated from the quietest 10% of each segment's frames; subtraction is power \
      spectral subtraction (over-subtraction 2, floor -20 dB). Both take milliseconds.

      Threads: the fit is split over every core this process may use; the environment \
      variable AUDIOPRIOR_THREADS=N sets another count (N >= 1).

      Outputs are written in full to a temporary file in the output folder and then renamed, \
      so a failure never leaves half a file; an input is never overwritten. The output format \
      follows the extension: .wav (16-bit), .flac or .ogg. Exit status 0 on success, 1 on \
      any error, with one line on stderr naming the file and the cause. A silent input gives \
      a silent output.

      Examples:
        denoise noisy.wav -o clean.wav
        denoise take1.flac take2.flac -o cleaned/
        denoise --method wiener --quiet noisy.wav -o clean.wav
        denoise --stop fixed --iterations 300 --snapshots fit/ noisy.wav -o clean.wav
      """)

  @Argument(help: "The recordings to denoise (WAV, FLAC, Ogg, AIFF, ... any rate, channels).")
  var inputs: [String]

  @Option(
    name: .shortAndLong,
    help: "The output file for one input; an existing folder for several.")
  var output: String

  @Option(help: "The denoising method.")
  var method: Method = .prior

  @Option(
    help: """
      Iterations per segment (prior): the most with --stop auto \
      (default \(PriorEnhancer.recommendedBudget)), exactly with --stop fixed \
      (default \(PriorEnhancer.recommendedFixedIterations)).
      """)
  var iterations: Int?

  @Option(
    help: """
      auto: stop each segment's fit by the rule the book measured best; fixed: run \
      --iterations (prior). (default: auto)
      """)
  var stop: StopMode?

  @Option(help: "Seeds the generator of segment s with SEED + s (prior). (default: 0)")
  var seed: UInt64?

  @Option(
    help: """
      An existing folder where each segment's audio (16 kHz, mono) is written every \
      50 iterations, to listen to the fit (prior).
      """)
  var snapshots: String?

  @Flag(help: "No progress on stderr.")
  var quiet = false

  func validate() throws {
    if inputs.isEmpty { throw ValidationError("give at least one input file") }
    if let iterations, iterations < 1 {
      throw ValidationError("--iterations \(iterations): must be at least 1")
    }
  }

  func run() throws {
    do {
      try denoiseAll()
    } catch {
      FileHandle.standardError.write(Data("denoise: error: \(error)\n".utf8))
      throw ExitCode.failure
    }
  }

  private func denoiseAll() throws(CommandError) {
    if !method.isIterative {
      let given = [
        ("--iterations", iterations != nil), ("--stop", stop != nil), ("--seed", seed != nil),
        ("--snapshots", snapshots != nil),
      ].filter { $0.1 }.map { $0.0 }
      if let first = given.first {
        throw CommandError("\(first): --method \(method.rawValue) does not iterate")
      }
    }
    let jobs = try plannedJobs(inputs: inputs, output: output)
    if let snapshots { try checkSnapshotFolder(snapshots) }
    // Read every input once before writing anything: a bad file fails the run up front.
    var segments: [Int] = []
    for job in jobs {
      let audio = try read(job.input)
      segments.append(
        Denoiser.segmentCount(frames: audio.frameCount, sampleRate: audio.sampleRate))
    }
    let display = ProgressDisplay(quiet: quiet, totalSegments: segments.reduce(0, +))
    for (index, job) in jobs.enumerated() {
      let start = Date()
      let audio = try read(job.input)
      display.begin(file: job.input, index: index, of: jobs.count)
      let denoiser = Denoiser(enhancer: enhancer(for: job))
      do {
        let clean = try denoiser.denoise(audio) { display.update($0) }
        try AudioFile.write(clean, to: job.output, format: job.format)
      } catch let error as DenoiseError {
        display.interrupt()
        throw CommandError("\(job.input): \(error)")
      } catch {
        display.interrupt()
        throw CommandError("\(error)")
      }
      display.finish(
        output: job.output, segments: segments[index], seconds: Date().timeIntervalSince(start))
    }
  }

  /// The enhancer `--method` and the prior's options ask for; snapshots of `job` go to
  /// `--snapshots`.
  private func enhancer(for job: Job) -> any Enhancer {
    switch method {
    case .wiener: return DecisionDirectedWiener()
    case .subtraction: return SpectralSubtraction()
    case .prior:
      var prior = PriorEnhancer.recommended(autoStop: (stop ?? .auto) == .auto)
      if let iterations { prior.iterations = iterations }
      prior.seed = seed ?? 0
      if let snapshots {
        let name = URL(fileURLWithPath: job.input).deletingPathExtension().lastPathComponent
        prior.snapshotInterval = 50  // five evaluations
        prior.onSnapshot = { segment, iteration, audio in
          let path = (snapshots as NSString).appendingPathComponent(
            "\(name)-segment\(segment + 1)-iteration\(iteration).wav")
          try? AudioFile.write(AudioBuffer(mono: audio, sampleRate: 16_000), to: path)
        }
      }
      return prior
    }
  }

  /// The recording at `path`, refused when it has no frames or a sample that is not finite.
  private func read(_ path: String) throws(CommandError) -> AudioBuffer {
    let audio: AudioBuffer
    do {
      audio = try AudioFile.read(path)
    } catch {
      throw CommandError("\(error)")
    }
    guard audio.frameCount > 0 else {
      throw CommandError("\(path): \(DenoiseError.noAudio)")
    }
    if let bad = audio.samples.firstIndex(where: { !$0.isFinite }) {
      let error = DenoiseError.nonFiniteSample(
        frame: bad / audio.channels, channel: bad % audio.channels, value: audio.samples[bad])
      throw CommandError("\(path): \(error)")
    }
    return audio
  }
}
