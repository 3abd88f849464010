import ArgumentParser
import Audio
import Foundation
import Denoising
import Suppression
import Tensors

/// The denoising methods the command offers. A new method is a case here and a line in
/// `DenoiseCommand.enhancer(for:)`.
enum Method: String, ExpressibleByArgument, CaseIterable {
  case prior, wiener, lsa, subtraction
  case sppWiener = "spp-wiener"
  case sppLSA = "spp-lsa"

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
      gets its mean gain over 4-8 kHz. A recording is read, denoised and written a few \
      segments at a time: memory does not grow with its length.

      Methods: prior (default) fits a DCGAN generator to each segment's power spectrogram as \
      speech plus a noise power per frequency (kept above a speech-presence tracker's), by \
      the Itakura-Saito divergence, for 50 iterations (--stop fixed; --stop auto stops where \
      the divergence reaches Euler's constant), and applies the geometric mean of the \
      model's Wiener gain and the decision-directed Wiener gain with the learnt noise: \
      seconds per segment. On the book's recorded speech (chapter 8) it beats the best \
      classical method, spp-lsa, by about 0.5 dB SI-SDR, mostly on pink noise, is worse on \
      babble, and its fit adds less than 0.1 dB over an untrained network: for babble, or \
      when time matters, use spp-lsa. wiener is a Wiener filter with the decision-directed \
      a-priori SNR (Ephraim and Malah 1984), the noise estimated from the quietest 10% of \
      each segment's frames; lsa the same with the log-spectral-amplitude gain (Ephraim and \
      Malah 1985); spp-wiener and spp-lsa track the noise by speech-presence probability \
      (Gerkmann and Hendriks 2012); subtraction is power spectral subtraction \
      (over-subtraction 2, floor -20 dB). These take milliseconds.

      Jobs and threads: --jobs N denoises N segments at once, each on one thread, across \
      the files too (up to N files at once); --jobs 1 denoises one segment at a time with \
      its fit split over AUDIOPRIOR_THREADS threads (default: one per core). The output is \
      the same either way.

      Archives: --list names the inputs in a file, one a line; --shard I/N takes every N-th \
      of them from the I-th (0 <= I < N), so that N processes of a job array (Slurm, \
      Kubernetes) share the list; --skip-existing leaves out the inputs whose output is \
      already there and complete, so a run that was stopped can be started again.

      Progress on stderr: files done and to go, audio denoised per second, the run's ETA; a \
      line per file written, one per file that failed, and for several files a summary. A \
      file that fails does not stop the others.

      Outputs are written to a temporary file in the output folder and renamed once \
      complete, so a failure or an interruption (Ctrl-C, SIGTERM) never leaves half a file; \
      an input is never overwritten. The output format follows the extension: .wav \
      (16-bit), .flac or .ogg. Exit status 0 when every file was written, 1 when any failed \
      (one line on stderr each, naming the file and the cause), 130 or 143 when interrupted \
      by SIGINT or SIGTERM. A silent input gives a silent output.

      Examples:
        denoise noisy.wav -o clean.wav
        denoise take1.flac take2.flac -o cleaned/
        denoise --method wiener --quiet noisy.wav -o clean.wav
        denoise --stop fixed --iterations 300 --snapshots fit/ noisy.wav -o clean.wav
        denoise --list archive.txt --shard 3/16 --skip-existing -o cleaned/
      """)

  @Argument(help: "The recordings to denoise (WAV, FLAC, Ogg, AIFF, ... any rate, channels).")
  var inputs: [String] = []

  @Option(
    name: .shortAndLong,
    help: "The output file for one input; an existing folder for several.")
  var output: String

  @Option(help: "The denoising method.")
  var method: Method = .prior

  @Option(
    help: """
      Segments denoised at once, each on one thread (1: one at a time on \
      AUDIOPRIOR_THREADS threads). (default: \(Self.defaultJobs), from AUDIOPRIOR_THREADS \
      or the cores)
      """)
  var jobs: Int?

  @Option(help: "A file naming more inputs, one path a line (blank lines and # lines skipped).")
  var list: String?

  @Option(
    help: """
      I/N: denoise only the inputs at positions I, I + N, I + 2N, ... of the whole list \
      (from 0), e.g. the task of a job array.
      """)
  var shard: Shard?

  @Flag(help: "Leave out the inputs whose output exists and is complete (same length).")
  var skipExisting = false

  @Option(
    help: """
      Iterations per segment (prior): the most with --stop auto \
      (default \(PriorEnhancer.recommendedBudget)), exactly with --stop fixed \
      (default \(PriorEnhancer.recommendedFixedIterations)).
      """)
  var iterations: Int?

  @Option(
    help: """
      fixed: run --iterations (prior), the count the book measured best; auto: stop each \
      segment's fit when its divergence reaches Euler's constant. (default: fixed)
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

  @Flag(help: "No progress on stderr (errors still).")
  var quiet = false

  /// Segments at once unless --jobs says otherwise: one per thread of AUDIOPRIOR_THREADS.
  static var defaultJobs: Int { threadCount }

  func validate() throws {
    if inputs.isEmpty && list == nil { throw ValidationError("give at least one input file") }
    if let iterations, iterations < 1 {
      throw ValidationError("--iterations \(iterations): must be at least 1")
    }
    if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): must be at least 1") }
  }

  func run() throws {
    let interruptHandlers = installInterruptHandlers()
    defer { withExtendedLifetime(interruptHandlers) {} }
    let failures: Int
    do {
      failures = try denoiseAll()
    } catch {
      FileHandle.standardError.write(Data("denoise: error: \(error)\n".utf8))
      throw ExitCode.failure
    }
    if failures > 0 { throw ExitCode.failure }
  }

  /// Plans the whole list, takes this shard's part, leaves out the finished ones, and runs
  /// them. Throws for a problem with the command itself (before anything is written).
  /// - Returns: the number of files that failed.
  private func denoiseAll() throws(CommandError) -> Int {
    if !method.isIterative {
      let given = [
        ("--iterations", iterations != nil), ("--stop", stop != nil), ("--seed", seed != nil),
        ("--snapshots", snapshots != nil),
      ].filter { $0.1 }.map { $0.0 }
      if let first = given.first {
        throw CommandError("\(first): --method \(method.rawValue) does not iterate")
      }
    }
    let allInputs =
      inputs + (try list.map { path throws(CommandError) in try listedInputs(in: path) } ?? [])
    if allInputs.isEmpty { throw CommandError("--list \(list ?? ""): names no input") }
    // The whole list is planned, so every shard refuses the same clashes.
    var planned = try plannedFiles(inputs: allInputs, output: output)
    if let snapshots { try checkSnapshotFolder(snapshots) }
    if let shard { planned = shard.items(of: planned) }
    let display = ProgressDisplay(quiet: quiet)
    var skipped = 0
    if skipExisting {
      planned = planned.filter { file in
        guard let input = try? AudioFileReader(file.input), hasCompleteOutput(file, input: input)
        else { return true }
        skipped += 1
        return false
      }
      if skipped > 0 {
        display.note("denoise: \(skipped) skipped, their output is there and complete")
      }
    }
    let jobCount = jobs ?? Self.defaultJobs
    // Several jobs: each computes on its own thread (the same numbers as the whole team).
    let pool =
      jobCount == 1
      ? JobPool(jobs: 1) : JobPool(jobs: jobCount, around: { body in ThreadTeam.alone(body) })
    let settings = EnhancerSettings(
      method: method, iterations: iterations, autoStop: (stop ?? .fixed) == .auto,
      seed: seed ?? 0, snapshots: snapshots)
    let run = ArchiveRun(files: planned, pool: pool, display: display) { file in
      settings.enhancer(for: file)
    }
    let failures = run.run()
    if allInputs.count > 1 || list != nil { display.summary(skipped: skipped) }
    return failures
  }
}

/// What `--method` and the prior's options ask for, handed to the jobs.
struct EnhancerSettings: Sendable {
  let method: Method
  let iterations: Int?
  let autoStop: Bool
  let seed: UInt64
  let snapshots: String?

  /// The enhancer for `file`; the prior's snapshots of it go to `snapshots`.
  func enhancer(for file: PlannedFile) -> any Enhancer {
    switch method {
    case .wiener: return DecisionDirectedWiener()
    case .lsa: return DecisionDirectedLSA()
    case .sppWiener: return DecisionDirectedWiener(noiseTracker: SpeechPresenceNoiseTracker())
    case .sppLSA: return DecisionDirectedLSA(noiseTracker: SpeechPresenceNoiseTracker())
    case .subtraction: return SpectralSubtraction()
    case .prior:
      var prior = PriorEnhancer.recommended(autoStop: autoStop)
      if let iterations { prior.iterations = iterations }
      prior.seed = seed
      if let snapshots {
        let name = URL(fileURLWithPath: file.input).deletingPathExtension().lastPathComponent
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
}
