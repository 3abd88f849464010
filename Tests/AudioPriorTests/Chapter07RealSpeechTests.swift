import Audio
import Evaluation
import Foundation
import Testing

/// The noisy mixture by its definition, in Double: `clean + g · noise` with
/// `g = √(Σ clean² / (Σ noise² · 10^(snr/10)))`.
private func mixedByDefinition(_ clean: [Float], _ noise: [Float], snrDB: Double) -> [Double] {
  let signal = clean.reduce(0.0) { $0 + Double($1) * Double($1) }
  let power = noise.reduce(0.0) { $0 + Double($1) * Double($1) }
  let gain = (signal / (power * pow(10, snrDB / 10))).squareRoot()
  return zip(clean, noise).map { Double($0) + gain * Double($1) }
}

/// The SNR of a mixture by its definition, in dB: `10 log10(Σ c² / Σ (y - c)²)`.
private func snrByDefinition(clean: [Float], noisy: [Float]) -> Double {
  let signal = clean.reduce(0.0) { $0 + Double($1) * Double($1) }
  let error = zip(clean, noisy).reduce(0.0) { $0 + pow(Double($1.1) - Double($1.0), 2) }
  return 10 * log10(signal / error)
}

@Suite("Chapter 7: the real-speech part of the evaluation set")
struct Chapter07RealSpeechTests {
  static let noises = NoiseKind.allCases
  static let snrs: [Double] = [0, 5, 10]

  @Test func realItemsAreRebuiltFromTheirSeeds() throws {
    let split = try EvaluationSet.realSpeech()
    let real = try ["awb", "slt"].map { (speaker: String) in
      try SpeechClip(path: "data/real-\(speaker).wav", speaker: speaker)
    }
    let synthetic = try ["speech", "speech-2", "speech-3"].map {
      try SpeechClip(path: "data/\($0).wav")
    }
    #expect(split.all.items.count == 2 * 3 * 3)
    for item in split.all.items {
      let r = try #require(real.firstIndex { $0.speaker == item.speaker })
      let n = try #require(Self.noises.firstIndex(of: item.noise))
      let s = try #require(Self.snrs.firstIndex(of: item.snrDB))
      // The documented seed: 7 + 1000 (50 + r) + 100 k + 10 n + s, segment k = 0 here.
      #expect(item.seed == 7 + UInt64(1000 * (50 + r) + 10 * n + s), "\(item.name)")
      #expect(item.start == 0)
      #expect(item.clean == Array(real[r].samples.prefix(32_640)))
      let noise: [Float]
      switch item.noise {
      case .white: noise = whiteNoise(count: 32_640, seed: item.seed)
      case .pink: noise = pinkNoise(count: 32_640, seed: item.seed)
      case .babble:
        // The synthetic voices, then the other real speaker: never the target's voice.
        let talkers = synthetic.map(\.samples) + [real[1 - r].samples]
        noise = babbleNoise(talkers: talkers, voices: 6, count: 32_640, seed: item.seed)
      }
      let expected = mixedByDefinition(item.clean, noise, snrDB: item.snrDB)
      expectClose(item.noisy.map(Double.init), expected, tolerance: 1e-6, item.name)
    }
    // A second build draws the same noise.
    let again = try EvaluationSet.realSpeech()
    #expect(again.all.items.map(\.noisy) == split.all.items.map(\.noisy))
  }

  @Test func realItemsHaveTheSNRsAskedFor() throws {
    let items = try EvaluationSet.realSpeech().all.items
    #expect(Set(items.map(\.snrDB)) == Set(Self.snrs))
    for item in items {
      expectClose(
        snrByDefinition(clean: item.clean, noisy: item.noisy), item.snrDB, tolerance: 1e-3,
        item.name)
    }
  }

  @Test func theSplitCoversEveryRealItemOnceAndNoSpeakerTwice() throws {
    let split = try EvaluationSet.realSpeech()
    // Every speaker × noise × SNR, named as the items name themselves.
    let expected = ["awb", "slt"].flatMap { speaker in
      Self.noises.flatMap { noise in
        Self.snrs.map { "\(speaker)-\(noise.rawValue)-\(Int($0))dB" }
      }
    }
    let halves = split.selection.items.map(\.name) + split.report.items.map(\.name)
    #expect(halves.sorted() == expected.sorted())
    #expect(split.all.items.map(\.name) == halves)
    #expect(split.speakers(in: .selection) == ["awb"])
    #expect(split.speakers(in: .report) == ["slt"])
    #expect(
      Set(split.selection.items.map(\.speaker)).isDisjoint(with: split.report.items.map(\.speaker)))
    #expect(split[.selection].items.map(\.name) == split.selection.items.map(\.name))
  }

  @Test func babbleLeavesOutTheTargetsVoice() throws {
    // Each speaker is one sine: a babble of the others has no energy at the target's pitch.
    // Every pitch is a whole number of cycles over a clip (8 000 samples, so babble read
    // circularly has no seam) and over a segment (4 000): the sines are orthogonal there.
    let pitches: [String: Double] = ["a": 200, "b": 332, "c": 472, "d": 612]
    let clip = { (speaker: String) in
      SpeechClip(
        name: speaker, speaker: speaker,
        samples: sine(frequency: pitches[speaker]!, sampleRate: 16_000, count: 8_000))
    }
    let split = try EvaluationSet.realSpeech(
      clips: [clip("a"), clip("b")], babbleVoices: [clip("c"), clip("d")],
      selectionSpeakers: ["a"], noises: [.babble], snrs: [0], length: 4_000, voices: 3)
    for item in split.all.items {
      let noise = item.noiseSamples
      for (speaker, pitch) in pitches {
        let amplitude = fittedAmplitude(noise, frequency: pitch, sampleRate: 16_000)
        if speaker == item.speaker {
          #expect(amplitude < 1e-3, "\(item.name): the target's own voice at \(pitch) Hz")
        } else {
          // Three unit-RMS talkers mixed at 0 dB under a unit sine: each at amplitude 1/√3.
          expectClose(amplitude, 1 / 3.0.squareRoot(), tolerance: 1e-3, "\(item.name) \(speaker)")
        }
      }
    }
  }

  @Test func aClipGivesEveryWholeSegmentWithoutOverlap() throws {
    // 3.5 segments long: three segments, at 0, L and 2L; the half left over is not used.
    let length = 1_000
    let long = SpeechClip(
      name: "long", speaker: "x",
      samples: sine(frequency: 300, sampleRate: 16_000, count: 3_500))
    let other = SpeechClip(
      name: "other", speaker: "y",
      samples: sine(frequency: 500, sampleRate: 16_000, count: 1_000))
    let split = try EvaluationSet.realSpeech(
      clips: [long, other], babbleVoices: [], selectionSpeakers: ["x"], noises: [.white],
      snrs: [5], length: length)
    #expect(split.selection.items.map(\.start) == [0, 1_000, 2_000])
    #expect(split.report.items.map(\.start) == [0])
    for item in split.selection.items {
      #expect(item.clean == Array(long.samples[item.start..<(item.start + length)]))
    }
    #expect(Set(split.selection.items.map(\.seed)).count == 3, "one noise draw per segment")
    #expect(split.selection.items.map(\.name)[1] == "x_1000-white-5dB")
  }

  @Test func theSyntheticPartKeepsItsSeeds() throws {
    let clips = try EvaluationSet.clipFiles.map { try SpeechClip(path: "data/" + $0) }
    let set = try EvaluationSet(clips: clips, noises: [.white], snrs: [5, 10])
    for (i, item) in set.items.enumerated() {
      let (c, s) = (i / 2, i % 2)
      // seed + 1000 c + 10 n + s, as before the real part existed.
      let noise = whiteNoise(count: 32_640, seed: 7 + UInt64(1000 * c + s))
      let expected = mixedByDefinition(item.clean, noise, snrDB: item.snrDB)
      expectClose(item.noisy.map(Double.init), expected, tolerance: 1e-6, item.name)
      #expect(item.speaker == ["speech", "speech-2", "speech-3"][c])
    }
  }

  @Test func aSplitThatLeavesAHalfEmptyIsRefused() throws {
    let clip = SpeechClip(
      name: "a", speaker: "a", samples: sine(frequency: 200, sampleRate: 16_000, count: 2_000))
    let other = SpeechClip(
      name: "b", speaker: "b", samples: sine(frequency: 300, sampleRate: 16_000, count: 2_000))
    #expect(throws: EvaluationError.self) {
      try EvaluationSet.realSpeech(
        clips: [clip, other], babbleVoices: [], selectionSpeakers: ["nobody"], length: 1_000)
    }
    #expect(throws: EvaluationError.self) {
      try EvaluationSet.realSpeech(
        clips: [clip, other], babbleVoices: [], selectionSpeakers: ["a", "b"], length: 1_000)
    }
    #expect(throws: EvaluationError.self) {
      try EvaluationSet.realSpeech(
        clips: [clip, other], babbleVoices: [], selectionSpeakers: ["a"], length: 4_000)
    }
  }

  @Test func scoreFoldersHoldEachItemUnderItsName() throws {
    let split = try EvaluationSet.realSpeech(noises: [.white, .babble], snrs: [5])
    let set = split.report
    try withTemporaryDirectory { directory in
      try set.writeClean(to: directory)
      try set.write(outputs: set.items.map(\.noisy), method: "noisy", to: directory)
      for folder in ["clean", "noisy"] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder)
        #expect(files.sorted() == ["slt-babble-5dB.wav", "slt-white-5dB.wav"])
      }
      for item in set.items {
        let clean = try AudioFile.read(directory + "/clean/\(item.name).wav")
        let noisy = try AudioFile.read(directory + "/noisy/\(item.name).wav")
        #expect(clean.sampleRate == 16_000 && clean.channels == 1)
        // Float WAV: the samples come back bit for bit, none clipped.
        #expect(clean.samples == item.clean)
        #expect(noisy.samples == item.noisy)
      }
      #expect(throws: EvaluationError.self) {
        try set.write(outputs: set.items.map(\.noisy), method: "clean", to: directory)
      }
      #expect(throws: EvaluationError.self) {
        try set.write(outputs: [], method: "empty", to: directory)
      }
    }
  }
}
