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
  public let samples: [Float]

  public init(name: String, samples: [Float]) {
    self.name = name
    self.samples = samples
  }

  /// The clip in `path`, mixed to mono and resampled to 16 kHz.
  public init(path: String) throws(AudioError) {
    var audio = try AudioFile.read(path).mono()
    if audio.sampleRate != 16_000 { audio = try audio.resampled(to: 16_000) }
    self.init(name: URL(fileURLWithPath: path).lastPathComponent, samples: audio.samples)
  }
}

/// One noisy example: a clean segment, the noise kind and level, and the mixture.
public struct EvaluationItem: Sendable {
  public let clip: String
  public let noise: NoiseKind
  /// The SNR of `noisy` against `clean` over the whole segment, in dB.
  public let snrDB: Double
  public let clean: [Float]
  public let noisy: [Float]

  public init(clip: String, noise: NoiseKind, snrDB: Double, clean: [Float], noisy: [Float]) {
    precondition(clean.count == noisy.count, "a mixture has the length of its clean segment")
    (self.clip, self.noise, self.snrDB, self.clean, self.noisy) = (clip, noise, snrDB, clean, noisy)
  }

  /// The noise as it was mixed in, `noisy - clean`: known only because the mixture is
  /// synthetic, and used only by oracle references.
  public var noiseSamples: [Float] { zip(noisy, clean).map { $0 - $1 } }
}

/// The chapter's evaluation set: clean speech segments × noise kinds × SNRs, all seeded.
///
/// Each target clip contributes its first `length` samples (2.04 s, one canonical segment).
/// White and pink noise come from chapter 1; babble is `voices` copies of the *other* clips
/// (never the target's), each started at a seeded random place (circularly), scaled to the
/// same RMS, and summed. Every item draws its own noise from a seed derived from its clip,
/// noise kind and SNR, so the set is the same on every run and any item can be rebuilt alone.
public struct EvaluationSet: Sendable {
  /// The clips of `data/` the chapter uses, in order.
  public static let clipFiles = ["speech.wav", "speech-2.wav", "speech-3.wav"]

  public let items: [EvaluationItem]

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
      let clean = Array(clips[c].samples.prefix(length))
      for (n, kind) in noises.enumerated() {
        for (s, snrDB) in snrs.enumerated() {
          let itemSeed = seed &+ UInt64(1000 * c + 10 * n + s)
          let others = clips.indices.filter { $0 != c }.map { clips[$0].samples }
          let noise: [Float]
          switch kind {
          case .white: noise = whiteNoise(count: length, seed: itemSeed)
          case .pink: noise = pinkNoise(count: length, seed: itemSeed)
          case .babble:
            guard !others.isEmpty else {
              throw .invalidArgument(argument: "clips", reason: "babble needs a second voice")
            }
            noise = babbleNoise(talkers: others, voices: voices, count: length, seed: itemSeed)
          }
          guard let noisy = try? mix(clean, noise, snrDB: snrDB) else {
            throw .invalidArgument(argument: clips[c].name, reason: "the segment is silent")
          }
          items.append(
            EvaluationItem(
              clip: clips[c].name, noise: kind, snrDB: snrDB, clean: clean, noisy: noisy))
        }
      }
    }
    self.items = items
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
