import Audio
import Foundation
import Testing

/// What a run of the `denoise` executable printed and returned.
struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs the `denoise` executable that `swift build` (and `swift test`) put next to the tests.
func runDenoise(_ arguments: [String]) throws -> CommandResult {
  let process = Process()
  process.executableURL = Bundle.main.bundleURL.appendingPathComponent("denoise")
  process.arguments = arguments
  let (out, err) = (Pipe(), Pipe())
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Read before waiting, so a full pipe cannot block the child.
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return CommandResult(
    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: stderr, as: UTF8.self))
}

/// The names in `folder`, hidden ones (temporary files) included, sorted.
func folderContents(_ folder: String) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
}

/// A WAV of 32-bit floats written byte by byte, so that it can hold NaN and infinities.
func floatWAV(_ samples: [Float], sampleRate: UInt32 = 16_000) -> Data {
  let data = samples.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
  return Data(
    wavBytes(formatTag: 3, channels: 1, sampleRate: sampleRate, bitsPerSample: 32, data: data))
}

@Suite("Chapter 7: the denoise command")
struct Chapter07CommandTests {
  @Test func commandKeepsLengthRateAndChannelsAndRemovesNoise() throws {
    try withTemporaryDirectory { folder in
      let (rate, frames) = (22_050, 22_050)
      let clean = syllables(count: frames, sampleRate: rate)
      let noisy = try mix(clean, whiteNoise(count: frames, seed: 2), snrDB: 5)
      var stereo = [Float](repeating: 0, count: 2 * frames)
      for i in 0..<frames { (stereo[2 * i], stereo[2 * i + 1]) = (noisy[i], 0.5 * noisy[i]) }
      let input = folder + "/noisy.wav"
      try AudioFile.write(AudioBuffer(samples: stereo, channels: 2, sampleRate: rate), to: input)
      let result = try runDenoise([
        input, "-o", folder + "/clean.wav", "--method", "wiener", "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stderr.isEmpty, "--quiet prints nothing")
      let output = try AudioFile.read(folder + "/clean.wav")
      #expect(output.sampleRate == rate && output.channels == 2 && output.frameCount == frames)
      let before = try snr(reference: clean, estimate: noisy)
      let after = try snr(reference: clean, estimate: output.channel(0))
      #expect(after > before + 3, "SNR \(before) dB → \(after) dB")
    }
  }

  @Test func priorMethodKeepsLengthRateAndChannelsAndWritesSnapshots() throws {
    try withTemporaryDirectory { folder in
      let (rate, frames) = (44_100, 30_000)
      let noisy = try mix(
        syllables(count: frames, sampleRate: rate), whiteNoise(count: frames, seed: 3),
        snrDB: 5)
      let stereo = noisy.flatMap { [$0, -$0 / 2] }
      let input = folder + "/noisy.wav"
      try AudioFile.write(AudioBuffer(samples: stereo, channels: 2, sampleRate: rate), to: input)
      let snapshots = folder + "/snapshots"
      try FileManager.default.createDirectory(atPath: snapshots, withIntermediateDirectories: false)
      let result = try runDenoise([
        input, "-o", folder + "/clean.wav", "--iterations", "2", "--stop", "fixed",
        "--snapshots", snapshots, "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let output = try AudioFile.read(folder + "/clean.wav")
      #expect(output.sampleRate == rate && output.channels == 2 && output.frameCount == frames)
      // One segment (30 000 samples at 44.1 kHz are 10 885 at 16 kHz), snapshot at iteration 0.
      #expect(try folderContents(snapshots) == ["noisy-segment1-iteration0.wav"])
    }
  }

  @Test func severalInputsGoIntoTheFolderUnderTheirNames() throws {
    try withTemporaryDirectory { folder in
      let out = folder + "/out"
      try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
      for (name, rate) in [("a.wav", 16_000), ("b.flac", 48_000)] {
        let noise = whiteNoise(count: rate / 4, rms: 0.1, seed: 4)
        try AudioFile.write(
          AudioBuffer(mono: noise, sampleRate: rate), to: folder + "/" + name,
          format: name.hasSuffix("flac") ? .flac : .pcm16)
      }
      let result = try runDenoise([
        folder + "/a.wav", folder + "/b.flac", "-o", out, "--method", "subtraction",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try folderContents(out) == ["a.wav", "b.flac"])
      #expect(try AudioFile.read(out + "/b.flac").frameCount == 12_000)
      // Not a terminal: plain lines, no carriage returns redrawing a bar.
      #expect(result.stderr.contains("→") && !result.stderr.contains("\r"))
    }
  }

  @Test func silentInputGivesSilentOutput() throws {
    try withTemporaryDirectory { folder in
      let input = folder + "/silence.wav"
      try AudioFile.write(
        AudioBuffer(
          samples: [Float](repeating: 0, count: 2 * 3_000), channels: 2,
          sampleRate: 8_000), to: input)
      let result = try runDenoise([input, "-o", folder + "/out.wav", "--quiet"])
      #expect(result.status == 0, "\(result.stderr)")
      let output = try AudioFile.read(folder + "/out.wav")
      #expect(output.frameCount == 3_000 && output.channels == 2)
      #expect(output.samples.allSatisfy { $0 == 0 })
    }
  }

  /// A bad input and the words its one-line message must contain.
  enum BadInput: String, CaseIterable {
    case notAudio, emptyFile, noFrames, nanSample, infiniteSample, missingInput
    case outputIsInput, outputFolderMissing, outputFolderIsAFile, severalInputsToAFile
    case unknownOutputFormat, optionOfAnotherMethod, snapshotFolderMissing

    var message: String {
      switch self {
      case .notAudio: "not an audio file"
      case .emptyFile: "the file is empty"
      case .noFrames: "the recording has no samples"
      case .nanSample: "sample 3 of channel 0 is nan"
      case .infiniteSample: "sample 1 of channel 0 is inf"
      case .missingInput: "no such file"
      case .outputIsInput: "refusing to overwrite an input"
      case .outputFolderMissing: "does not exist"
      case .outputFolderIsAFile: "is a file, not a folder"
      case .severalInputsToAFile: "several inputs need -o to name an existing folder"
      case .unknownOutputFormat: "unknown output format"
      case .optionOfAnotherMethod: "--iterations: --method wiener does not iterate"
      case .snapshotFolderMissing: "--snapshots"
      }
    }

    /// Prepares `folder` and returns the command's arguments.
    func arguments(in folder: String) throws -> [String] {
      let good = folder + "/good.wav"
      try AudioFile.write(
        AudioBuffer(
          mono: sine(
            frequency: 440, sampleRate: 16_000,
            count: 4_000, amplitude: 0.3), sampleRate: 16_000), to: good)
      let input = folder + "/input.wav"
      let output = folder + "/output.wav"
      switch self {
      case .notAudio: try Data("not a sound".utf8).write(to: URL(fileURLWithPath: input))
      case .emptyFile: try Data().write(to: URL(fileURLWithPath: input))
      case .noFrames: try floatWAV([]).write(to: URL(fileURLWithPath: input))
      case .nanSample:
        try floatWAV([0.1, 0.2, 0.3, .nan, 0.1]).write(to: URL(fileURLWithPath: input))
      case .infiniteSample: try floatWAV([0.1, .infinity]).write(to: URL(fileURLWithPath: input))
      case .missingInput: break
      case .outputIsInput: return [good, "-o", folder + "/./good.wav"]
      case .outputFolderMissing: return [good, "-o", folder + "/missing/output.wav"]
      case .outputFolderIsAFile: return [good, "-o", good + "/output.wav"]
      case .severalInputsToAFile: return [good, good, "-o", output]
      case .unknownOutputFormat: return [good, "-o", folder + "/output.mp3"]
      case .optionOfAnotherMethod:
        return [good, "-o", output, "--method", "wiener", "--iterations", "5"]
      case .snapshotFolderMissing: return [good, "-o", output, "--snapshots", folder + "/none"]
      }
      return [input, "-o", output]
    }
  }

  @Test(arguments: BadInput.allCases)
  func badInputFailsWithOneLineAndNoOutput(_ bad: BadInput) throws {
    try withTemporaryDirectory { folder in
      let arguments = try bad.arguments(in: folder)
      let before = try folderContents(folder)
      let good = try Data(contentsOf: URL(fileURLWithPath: folder + "/good.wav"))
      let result = try runDenoise(arguments)
      #expect(result.status == 1)
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == 1, "stderr: \(result.stderr)")
      #expect(result.stderr.contains(bad.message), "stderr: \(result.stderr)")
      #expect(try folderContents(folder) == before, "nothing written, no temporary file left")
      #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/good.wav")) == good)
    }
  }
}
