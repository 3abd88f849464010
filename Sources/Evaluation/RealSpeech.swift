import Audio
import Foundation

/// The real-speech part of the evaluation set, split by speaker into two halves: one to
/// choose settings on, the other to report them on.
///
/// A setting chosen and scored on the same recordings is scored too well: it fits them,
/// their voice and their room. Splitting by *speaker* rather than by item keeps every
/// recording of a voice on one side, so the report half measures a choice on a voice the
/// choice never saw. Each real item is in exactly one half.
public struct RealSpeechSplit: Sendable {
  /// The two halves.
  public enum Half: String, CaseIterable, Sendable {
    /// The items settings are chosen on.
    case selection
    /// The items the chosen settings are reported on.
    case report
  }

  /// The items of the selection speakers.
  public let selection: EvaluationSet
  /// The items of every other real speaker.
  public let report: EvaluationSet

  /// Splits `items` by speaker: those of `selectionSpeakers` into `selection`, the rest into
  /// `report`, each in the order of `items`.
  /// - Throws: `EvaluationError.invalidArgument` when a selection speaker has no item, or
  ///   either half would be empty.
  public init(items: [EvaluationItem], selectionSpeakers: Set<String>) throws(EvaluationError) {
    let present = Set(items.map(\.speaker))
    guard selectionSpeakers.isSubset(of: present) else {
      throw .invalidArgument(
        argument: "selection speakers",
        reason: "\(selectionSpeakers.subtracting(present).sorted()) have no item")
    }
    let chosen = items.filter { selectionSpeakers.contains($0.speaker) }
    let others = items.filter { !selectionSpeakers.contains($0.speaker) }
    guard !chosen.isEmpty, !others.isEmpty else {
      throw .invalidArgument(
        argument: "selection speakers",
        reason: "\(selectionSpeakers.sorted()) leave a half of \(present.sorted()) empty")
    }
    selection = EvaluationSet(items: chosen)
    report = EvaluationSet(items: others)
  }

  /// One half.
  public subscript(half: Half) -> EvaluationSet {
    switch half {
    case .selection: selection
    case .report: report
    }
  }

  /// Both halves together: the selection's items, then the report's.
  public var all: EvaluationSet { EvaluationSet(items: selection.items + report.items) }

  /// The speakers of one half, sorted.
  public func speakers(in half: Half) -> [String] {
    Set(self[half].items.map(\.speaker)).sorted()
  }
}

extension EvaluationSet {
  /// The real recordings of `data/`: the speaker (a CMU ARCTIC voice) and the file.
  /// See `data/README.md` for where they come from and their licence.
  public static let realClipFiles: [(speaker: String, file: String)] = [
    ("awb", "real-awb.wav"), ("slt", "real-slt.wav"),
  ]

  /// The speakers whose items choose settings: awb (male, Scottish). Every other real
  /// speaker (slt, female, US) reports them.
  public static let selectionSpeakers: Set<String> = ["awb"]

  /// The real-speech part read from `directory`, made like the synthetic part, split by
  /// speaker (`realSpeech(clips:babbleVoices:...)`); babble uses `clipFiles` too.
  /// - Throws: `EvaluationError.audio` when a file cannot be read, or the errors of
  ///   `realSpeech(clips:babbleVoices:...)`.
  public static func realSpeech(
    directory: String = "data", noises: [NoiseKind] = NoiseKind.allCases,
    snrs: [Double] = [0, 5, 10], seed: UInt64 = 7
  ) throws(EvaluationError) -> RealSpeechSplit {
    let folder = URL(fileURLWithPath: directory)
    let path = { (file: String) in folder.appendingPathComponent(file).path }
    let (real, synthetic) = try wrappingErrors {
      (
        try realClipFiles.map { try SpeechClip(path: path($0.file), speaker: $0.speaker) },
        try clipFiles.map { try SpeechClip(path: path($0)) }
      )
    }
    return try realSpeech(
      clips: real, babbleVoices: synthetic, noises: noises, snrs: snrs, seed: seed)
  }

  /// The real-speech part: each clip's non-overlapping segments × `noises` × `snrs`.
  ///
  /// Clip `r` gives `⌊samples / length⌋` segments, starting at 0, `length`, `2 length` …, so
  /// that no stretch of speech is scored twice: the awb clip (64 000 samples) and the slt
  /// clip (49 520) give one canonical segment each (a second awb segment would overlap the
  /// first by 1 280 samples, 80 ms, and is not taken). The noise is drawn as in the
  /// synthetic part, from `noiseSeed` with clip number `50 + r`, so that no real item shares
  /// a draw with a synthetic one. Babble for a speaker's items is made from `babbleVoices`
  /// followed by `clips`, leaving out every clip of that speaker.
  ///
  /// - Parameters:
  ///   - clips: real recordings at 16 kHz, each with its `speaker`.
  ///   - babbleVoices: further voices for babble (the synthetic clips).
  ///   - selectionSpeakers: the speakers of the selection half.
  /// - Throws: `EvaluationError.invalidArgument` when a clip is shorter than `length`,
  ///   babble has no voice, or the split leaves a half empty.
  public static func realSpeech(
    clips: [SpeechClip], babbleVoices: [SpeechClip],
    selectionSpeakers: Set<String> = selectionSpeakers, noises: [NoiseKind] = NoiseKind.allCases,
    snrs: [Double] = [0, 5, 10], length: Int = 32_640, voices: Int = 6, seed: UInt64 = 7
  ) throws(EvaluationError) -> RealSpeechSplit {
    var items: [EvaluationItem] = []
    for (r, clip) in clips.enumerated() {
      guard clip.samples.count >= length else {
        throw .invalidArgument(
          argument: clip.name, reason: "\(clip.samples.count) samples, need \(length)")
      }
      let starts = Array(stride(from: 0, through: clip.samples.count - length, by: length))
      let talkers = (babbleVoices + clips).filter { $0.speaker != clip.speaker }.map(\.samples)
      items += try Self.items(
        of: clip, number: 50 + r, starts: starts, talkers: talkers, noises: noises, snrs: snrs,
        length: length, voices: voices, seed: seed)
    }
    return try RealSpeechSplit(items: items, selectionSpeakers: selectionSpeakers)
  }
}
