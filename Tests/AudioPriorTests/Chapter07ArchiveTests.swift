import Audio
import Foundation
import Testing

/// Writes `count` short 16 kHz recordings `name0.wav`, `name1.wav`, … into `folder`, each
/// with its own noise, and returns their paths.
func shortRecordings(_ count: Int, in folder: String, name: String = "take", seconds: Double = 0.3)
  throws -> [String]
{
  try (0..<count).map { i in
    let path = "\(folder)/\(name)\(i).wav"
    let noise = whiteNoise(count: Int(seconds * 16_000), rms: 0.1, seed: UInt64(i + 1))
    try AudioFile.write(AudioBuffer(mono: noise, sampleRate: 16_000), to: path)
    return path
  }
}

/// Makes the folder `path` and returns it.
func makeFolder(_ path: String) throws -> String {
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

@Suite("Chapter 7: denoising an archive")
struct Chapter07ArchiveTests {
  @Test func shardsOfAListCoverEveryFileExactlyOnce() throws {
    try withTemporaryDirectory { folder in
      let inputs = try shortRecordings(7, in: folder)
      // A blank line and a comment, which name no file.
      let list = folder + "/list.txt"
      let lines = inputs[..<3] + ["", "# the rest"] + inputs[3...]
      try lines.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
      let names = inputs.map { URL(fileURLWithPath: $0).lastPathComponent }
      for count in [1, 3, 4] {
        var seen: [String] = []
        for index in 0..<count {
          let out = try makeFolder("\(folder)/out-\(count)-\(index)")
          let result = try runDenoise([
            "--list", list, "--shard", "\(index)/\(count)", "-o", out, "--method", "wiener",
            "--quiet",
          ])
          #expect(result.status == 0, "\(result.stderr)")
          let written = try folderContents(out)
          // Positions I, I + N, I + 2N, … of the list, counted independently here.
          let expected = names.indices.filter { $0 % count == index }.map { names[$0] }
          #expect(written == expected.sorted(), "shard \(index)/\(count)")
          seen += written
        }
        #expect(seen.sorted() == names.sorted(), "\(count) shards: every file exactly once")
      }
    }
  }

  @Test(arguments: ["3/3", "-1/2", "2", "a/b", "1/0"])
  func aShardOutsideItsCountIsRefused(shard: String) throws {
    try withTemporaryDirectory { folder in
      let inputs = try shortRecordings(2, in: folder)
      let result = try runDenoise(inputs + ["-o", folder, "--shard", shard, "--quiet"])
      #expect(result.status != 0 && result.stderr.contains("--shard"), "\(result.stderr)")
      #expect(try folderContents(folder) == ["take0.wav", "take1.wav"])
    }
  }

  @Test func skipExistingSkipsOnlyCompleteOutputs() throws {
    try withTemporaryDirectory { folder in
      let inputs = try shortRecordings(5, in: folder, seconds: 0.5)
      let out = try makeFolder(folder + "/out")
      let frames = 8_000
      // take0: a complete output (a recognisable one: a constant), kept as it is.
      let complete = AudioBuffer(
        mono: [Float](repeating: 0.25, count: frames), sampleRate: 16_000)
      try AudioFile.write(complete, to: out + "/take0.wav")
      // take1: the same cut short, as a run that was killed mid-write would leave a file
      // written in place (ours never do).
      let full = try Data(contentsOf: URL(fileURLWithPath: out + "/take0.wav"))
      try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: out + "/take1.wav"))
      // take2: not audio; take3: a whole file of another length; take4: no output, and a
      // temporary file of a run that was killed, which is not an output.
      try Data("not audio".utf8).write(to: URL(fileURLWithPath: out + "/take2.wav"))
      try AudioFile.write(complete.prefix(frames: frames - 1), to: out + "/take3.wav")
      try Data("partial".utf8).write(to: URL(fileURLWithPath: out + "/.take4.wav.77-1.tmp"))
      let result = try runDenoise(inputs + ["-o", out, "--method", "wiener", "--skip-existing"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stderr.contains("1 skipped"), "\(result.stderr)")
      #expect(try AudioFile.read(out + "/take0.wav") == complete, "the complete one is kept")
      for i in 1..<5 {
        let output = try AudioFile.read(out + "/take\(i).wav")
        #expect(output.frameCount == frames, "take\(i) redone at full length")
        #expect(output.samples != complete.samples, "take\(i) redone")
        #expect(!result.stderr.contains("take0.wav →"), "take0 not redone")
        #expect(result.stderr.contains("take\(i).wav → "), "\(result.stderr)")
      }
    }
  }

  /// A bad file among good ones: one that is not audio, found when its header is read, and
  /// one with a NaN after three seconds, found while its output is being written.
  enum BadFile: String, CaseIterable {
    case notAudio, nanAfterThreeSeconds
  }

  @Test(arguments: BadFile.allCases)
  func aBadFileAmongGoodOnesFailsAloneWithOneLine(_ bad: BadFile) throws {
    try withTemporaryDirectory { folder in
      let good = try shortRecordings(3, in: folder, seconds: 1)
      let badPath = folder + "/bad.wav"
      switch bad {
      case .notAudio: try Data("not audio".utf8).write(to: URL(fileURLWithPath: badPath))
      case .nanAfterThreeSeconds:
        var samples = whiteNoise(count: 5 * 16_000, rms: 0.1, seed: 9)
        samples[3 * 16_000 + 5] = .nan
        try floatWAV(samples).write(to: URL(fileURLWithPath: badPath))
      }
      let inputs = [good[0], badPath, good[1], good[2]]
      for quiet in [true, false] {
        let out = try makeFolder(folder + "/out-\(quiet)")
        let result = try runDenoise(
          inputs + ["-o", out, "--method", "wiener", "--jobs", "2"] + (quiet ? ["--quiet"] : []))
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        let aboutBad = lines.filter { $0.contains("bad.wav") }
        #expect(aboutBad.count == 1, "\(result.stderr)")
        #expect(aboutBad.first?.hasPrefix("denoise: error: ") == true)
        if quiet { #expect(lines.count == 1, "\(result.stderr)") }
        if !quiet {
          #expect(lines.last?.contains("3 files written") == true, "\(result.stderr)")
          #expect(lines.last?.contains("1 failed") == true, "\(result.stderr)")
        }
        // Every good output whole, nothing for the bad one, no temporary file.
        #expect(try folderContents(out) == ["take0.wav", "take1.wav", "take2.wav"])
        for path in good {
          let name = URL(fileURLWithPath: path).lastPathComponent
          #expect(try AudioFile.read(out + "/" + name).frameCount == 16_000)
        }
      }
    }
  }

  @Test(arguments: [SIGINT, SIGTERM])
  func anInterruptionLeavesNoPartialOutputAndFailsTheRun(signal: Int32) throws {
    try withTemporaryDirectory { folder in
      // A silent file, done at once, then a fit that would take minutes.
      let silent = folder + "/silent.wav"
      try AudioFile.write(
        AudioBuffer(mono: [Float](repeating: 0, count: 8_000), sampleRate: 16_000), to: silent)
      let long = try shortRecordings(1, in: folder, name: "long", seconds: 3)[0]
      let out = try makeFolder(folder + "/out")
      let process = Process()
      process.executableURL = Bundle.main.bundleURL.appendingPathComponent("denoise")
      process.arguments = [
        silent, long, "-o", out, "--jobs", "1", "--stop", "fixed", "--iterations", "100000",
        "--quiet",
      ]
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Wait until the long file's output is under way: its temporary file exists.
      let deadline = Date().addingTimeInterval(120)
      while try !folderContents(out).contains(where: { $0.hasPrefix(".long0.wav.") }) {
        try #require(Date() < deadline && process.isRunning, "no temporary file appeared")
        Thread.sleep(forTimeInterval: 0.05)
      }
      kill(process.processIdentifier, signal)
      process.waitUntilExit()
      #expect(process.terminationReason == .exit)
      #expect(process.terminationStatus == 128 + signal)
      #expect(try folderContents(out) == ["silent.wav"], "the finished output stays, nothing else")
    }
  }

  @Test(arguments: ["wiener", "prior"])
  func moreJobsThanCoresGiveTheOutputOfOneJob(method: String) throws {
    try withTemporaryDirectory { folder in
      let input = folder + "/in.wav"
      try AudioFile.write(
        try noisyRecording(frames: 3 * 44_100, sampleRate: 44_100, channels: 2), to: input)
      let options = method == "prior" ? ["--stop", "fixed", "--iterations", "2"] : []
      var outputs: [Data] = []
      for jobs in [1, 3, 4] {
        let output = "\(folder)/out\(jobs).wav"
        let result = try runDenoise(
          [input, "-o", output, "--method", method, "--jobs", "\(jobs)", "--quiet"] + options)
        #expect(result.status == 0, "\(result.stderr)")
        outputs.append(try Data(contentsOf: URL(fileURLWithPath: output)))
      }
      #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0], "the same bytes")
    }
  }
}
