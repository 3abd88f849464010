import Audio
import Foundation
import Random

/// The kinds of noise in the evaluation set.
public enum NoiseKind: String, CaseIterable, Codable, Sendable {
  /// White Gaussian noise: a flat spectrum, a hiss.
  case white
  /// Pink noise (Voss–McCartney): -3 dB per octave, most power at low frequencies.
  case pink
  /// Other voices talking at once: non-stationary, and shaped like the target itself.
  case babble
}

/// A clean speech recording, mono at 16 kHz.
public struct SpeechClip: Sendable {
  public let name: String
  /// Who speaks: a real speaker's code (`awb`), or for a synthetic voice its clip's name.
  /// Babble for a target never uses its speaker, and the real part is split by speaker.
  public let speaker: String
  public let samples: [Float]

  /// - Parameter speaker: `name` when not given.
  public init(name: String, speaker: String? = nil, samples: [Float]) {
    self.name = name
    self.speaker = speaker ?? name
    self.samples = samples
  }

  /// The clip in `path`, mixed to mono and resampled to 16 kHz.
  /// - Parameter speaker: the file's name without its extension when not given.
  public init(path: String, speaker: String? = nil) throws(AudioError) {
    var audio = try AudioFile.read(path).mono()
    if audio.sampleRate != 16_000 { audio = try audio.resampled(to: 16_000) }
    let url = URL(fileURLWithPath: path)
    self.init(
      name: url.lastPathComponent,
      speaker: speaker ?? url.deletingPathExtension().lastPathComponent,
      samples: audio.samples)
  }
}

/// One noisy example: a clean segment, the noise kind and level, and the mixture.
public struct EvaluationItem: Sendable {
  public let clip: String
  /// The clip's speaker (`SpeechClip.speaker`).
  public let speaker: String
  /// Where the clean segment starts in its clip, in samples.
  public let start: Int
  public let noise: NoiseKind
  /// The SNR of `noisy` against `clean` over the whole segment, in dB.
  public let snrDB: Double
  /// The seed the noise was drawn with (`EvaluationSet.noiseSeed`): with the kind and, for
  /// babble, the talkers, it rebuilds the noise alone.
  public let seed: UInt64
  public let clean: [Float]
  public let noisy: [Float]

  /// - Parameters:
  ///   - speaker: `clip` when not given.
  public init(
    clip: String, speaker: String? = nil, start: Int = 0, noise: NoiseKind, snrDB: Double,
    seed: UInt64 = 0, clean: [Float], noisy: [Float]
  ) {
    precondition(clean.count == noisy.count, "a mixture has the length of its clean segment")
    (self.clip, self.speaker, self.start) = (clip, speaker ?? clip, start)
    (self.noise, self.snrDB, self.seed) = (noise, snrDB, seed)
    (self.clean, self.noisy) = (clean, noisy)
  }

  /// The noise as it was mixed in, `noisy - clean`: known only because the mixture is
  /// synthetic, and used only by oracle references.
  public var noiseSamples: [Float] { zip(noisy, clean).map { $0 - $1 } }

  /// A name for the item's files, `SPEAKER-NOISE-SNRdB` (`awb-babble-5dB`); a segment that
  /// does not start the clip adds its start, `awb_32640-babble-5dB`.
  public var name: String {
    let level = snrDB.rounded() == snrDB ? "\(Int(snrDB))" : "\(snrDB)"
    return "\(speaker)\(start == 0 ? "" : "_\(start)")-\(noise.rawValue)-\(level)dB"
  }
}

/// The chapter's evaluation set: clean speech segments × noise kinds × SNRs, all seeded.
///
/// Each target clip contributes its first `length` samples (2.04 s, one canonical segment).
/// White and pink noise come from chapter 1; babble is `voices` copies of the *other* clips
/// (never the target's), each started at a seeded random place (circularly), scaled to the
/// same RMS, and summed. Every item draws its own noise from a seed derived from its clip,
/// noise kind and SNR (`noiseSeed`), so the set is the same on every run and any item can be
/// rebuilt alone. The recorded speakers are a second part beside this one: `realSpeech`.
public struct EvaluationSet: Sendable {
  /// The clips of `data/` the chapter uses, in order.
  public static let clipFiles = ["speech.wav", "speech-2.wav", "speech-3.wav"]

  public let items: [EvaluationItem]

  /// A set of the given items, e.g. a part of another set.
  public init(items: [EvaluationItem]) {
    self.items = items
  }

  /// - Parameters:
  ///   - clips: every voice available; babble for a target is made from the others.
  ///   - targets: the indices of `clips` that become clean segments (all by default).
  ///   - length: samples per segment.
  /// - Throws: `EvaluationError.invalidArgument` when a target clip is shorter than `length`,
  ///   or babble has no other clip to use.
  public init(
    clips: [SpeechClip], targets: [Int]? = nil, noises: [NoiseKind] = NoiseKind.allCases,
    snrs: [Double] = [0, 5, 10], length: Int = 32_640, voices: Int = 6, seed: UInt64 = 7
  ) throws(EvaluationError) {
    var items: [EvaluationItem] = []
    for c in targets ?? Array(clips.indices) {
      guard clips[c].samples.count >= length else {
        throw .invalidArgument(
          argument: clips[c].name, reason: "\(clips[c].samples.count) samples, need \(length)")
      }
      let others = clips.indices.filter { $0 != c }.map { clips[$0].samples }
      items += try Self.items(
        of: clips[c], number: c, starts: [0], talkers: others, noises: noises, snrs: snrs,
        length: length, voices: voices, seed: seed)
    }
    self.items = items
  }

  /// The seed of one item's noise: `seed + 1000 c + 100 k + 10 n + s` for clip number `c`,
  /// segment `k` of that clip, noise kind `n` and SNR `s` (indices into the lists asked
  /// for), so that items never share a draw while `k`, `n` and `s` stay below 10.
  public static func noiseSeed(seed: UInt64, clip c: Int, segment k: Int, noise n: Int, snr s: Int)
    -> UInt64
  {
    seed &+ UInt64(1000 * c + 100 * k + 10 * n + s)
  }

  /// The items of one clip: each segment starting at `starts` × `noises` × `snrs`, the noise
  /// drawn from `noiseSeed` with clip number `number`, babble made from `talkers`.
  static func items(
    of clip: SpeechClip, number: Int, starts: [Int], talkers: [[Float]], noises: [NoiseKind],
    snrs: [Double], length: Int, voices: Int, seed: UInt64
  ) throws(EvaluationError) -> [EvaluationItem] {
    var items: [EvaluationItem] = []
    for (k, start) in starts.enumerated() {
      let clean = Array(clip.samples[start..<(start + length)])
      for (n, kind) in noises.enumerated() {
        for (s, snrDB) in snrs.enumerated() {
          let itemSeed = noiseSeed(seed: seed, clip: number, segment: k, noise: n, snr: s)
          let noise: [Float]
          switch kind {
          case .white: noise = whiteNoise(count: length, seed: itemSeed)
          case .pink: noise = pinkNoise(count: length, seed: itemSeed)
          case .babble:
            guard !talkers.isEmpty else {
              throw .invalidArgument(argument: "clips", reason: "babble needs a second voice")
            }
            noise = babbleNoise(talkers: talkers, voices: voices, count: length, seed: itemSeed)
          }
          guard let noisy = try? mix(clean, noise, snrDB: snrDB) else {
            throw .invalidArgument(argument: clip.name, reason: "the segment is silent")
          }
          items.append(
            EvaluationItem(
              clip: clip.name, speaker: clip.speaker, start: start, noise: kind, snrDB: snrDB,
              seed: itemSeed, clean: clean, noisy: noisy))
        }
      }
    }
    return items
  }
}

/// Babble: `voices` talkers at once, taken in turn from `talkers`, each read circularly from
/// a seeded random start and scaled to unit RMS, then summed.
///
/// - Returns: `[count]` samples (silent talkers are skipped).
public func babbleNoise(talkers: [[Float]], voices: Int, count: Int, seed: UInt64) -> [Float] {
  var generator = Xoshiro256(seed: seed)
  var sum = [Float](repeating: 0, count: count)
  for v in 0..<voices {
    let talker = talkers[v % talkers.count]
    let start = Int(generator.uniform() * Double(talker.count))
    let level = rms(talker)
    guard level > 0 else { continue }
    for i in 0..<count { sum[i] += talker[(start + i) % talker.count] / level }
  }
  return sum
}

/// A method's scores on one item: SNR and SI-SDR of its output against the clean segment.
public struct EvaluationScore: Sendable {
  public let noise: NoiseKind
  public let snrDB: Double
  /// SNR of the estimate, dB.
  public let snr: Double
  /// SI-SDR of the estimate, dB.
  public let siSDR: Double

  public init(noise: NoiseKind, snrDB: Double, snr: Double, siSDR: Double) {
    (self.noise, self.snrDB, self.snr, self.siSDR) = (noise, snrDB, snr, siSDR)
  }
}

extension EvaluationSet {
  /// Runs `method` on every noisy item and scores its output against the clean segment.
  public func scores(_ method: (EvaluationItem) throws -> [Float]) throws -> [EvaluationScore] {
    try items.map { item in
      let estimate = try method(item)
      return EvaluationScore(
        noise: item.noise, snrDB: item.snrDB,
        snr: try snr(reference: item.clean, estimate: estimate),
        siSDR: try siSDR(reference: item.clean, estimate: estimate))
    }
  }
}
