import ArgumentParser
import Audio
import Foundation
import Prior

/// The denoising methods the command offers.
enum Method: String, ExpressibleByArgument, CaseIterable {
  case wiener, subtraction

  var enhancer: any Enhancer {
    switch self {
    case .wiener: DecisionDirectedWiener()
    case .subtraction: SpectralSubtraction()
    }
  }

  /// Whether the method runs iterations (and so takes --iterations, --stop, --seed,
  /// --snapshots).
  var isIterative: Bool { false }
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

      Methods: wiener (default) is a Wiener filter with the decision-directed a-priori SNR \
      (Ephraim and Malah 1984), the noise estimated from the quietest 10% of each segment's \
      frames; subtraction is power spectral subtraction (over-subtraction 2, floor -20 dB).

      Outputs are written in full to a temporary file in the output folder and then renamed, \
      so a failure never leaves half a file; an input is never overwritten. The output format \
      follows the extension: .wav (16-bit), .flac or .ogg. Exit status 0 on success, 1 on \
      any error, with one line on stderr naming the file and the cause. A silent input gives \
      a silent output.

      Examples:
        denoise noisy.wav -o clean.wav
        denoise take1.flac take2.flac -o cleaned/
        denoise --method subtraction --quiet noisy.wav -o clean.wav
      """)

  @Argument(help: "The recordings to denoise (WAV, FLAC, Ogg, AIFF, ... any rate, channels).")
  var inputs: [String]

  @Option(
    name: .shortAndLong,
    help: "The output file for one input; an existing folder for several.")
  var output: String

  @Option(help: "The denoising method.")
  var method: Method = .wiener

  @Option(help: "Iterations per segment (iterative methods only).")
  var iterations: Int?

  @Option(
    help: "auto: the method decides when to stop; fixed: run --iterations (iterative only).")
  var stop: StopMode?

  @Option(help: "The random seed (iterative methods only).")
  var seed: UInt64?

  @Option(help: "A folder for intermediate outputs (iterative methods only).")
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
    // Read every input once before writing anything: a bad file fails the run up front.
    var segments: [Int] = []
    for job in jobs {
      let audio = try read(job.input)
      segments.append(
        Denoiser.segmentCount(frames: audio.frameCount, sampleRate: audio.sampleRate))
    }
    let display = ProgressDisplay(quiet: quiet, totalSegments: segments.reduce(0, +))
    let denoiser = Denoiser(enhancer: method.enhancer)
    for (index, job) in jobs.enumerated() {
      let start = Date()
      let audio = try read(job.input)
      display.begin(file: job.input, index: index, of: jobs.count)
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
