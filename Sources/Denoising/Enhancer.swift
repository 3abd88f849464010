import Spectral
import Suppression

/// One segment of the recording as an enhancer sees it: 2.04 s of the mono mix at 16 kHz and
/// its spectrogram (nFFT 512, hop 128, periodic Hann, centred).
public struct NoisySegment: Sendable {
  /// The samples, `[32 640]` for the canonical segmenter, at 16 kHz.
  public let samples: [Float]
  /// Their STFT, `[257, 256]` for the canonical segment.
  public let spectrogram: Spectrogram
  /// This segment's position among `count` (from 0), e.g. to vary a seed per segment.
  public let index: Int
  /// How many segments the recording has.
  public let count: Int

  public init(samples: [Float], spectrogram: Spectrogram, index: Int = 0, count: Int = 1) {
    self.samples = samples
    self.spectrogram = spectrogram
    self.index = index
    self.count = count
  }

  /// `|X|²`, `[bins, frames]` row-major.
  public var power: [Float] { powerSpectrum(spectrogram.real, spectrogram.imag) }
}

/// Where an iterative enhancer is within one segment, for progress displays.
public struct EnhancerProgress: Equatable, Sendable {
  /// Iterations done so far (1 … iterations).
  public var iteration: Int
  /// Iterations planned; an automatic stop may end the segment earlier.
  public var iterations: Int
  /// The fitting loss after `iteration`, if the method has one.
  public var loss: Double?

  public init(iteration: Int, iterations: Int, loss: Double? = nil) {
    self.iteration = iteration
    self.iterations = iterations
    self.loss = loss
  }
}

// book: enhancer
/// A denoising method, as the pipeline uses it: from one noisy segment, a gain for every
/// time-frequency value of its spectrogram.
///
/// The enhanced segment is `iSTFT(G · X)`: the noisy spectrogram `X` (its phase included),
/// scaled value by value. Classical methods compute `G` in closed form; a method that
/// produces a magnitude `M` instead gives `G = M / |X|` (and 0 where `|X| = 0`), which
/// reproduces "magnitude `M` with the noisy phase" exactly. A gain, unlike a waveform, can be
/// carried to another sample rate and applied to every channel of the original recording.
public protocol Enhancer {
  /// A short name for tables and messages ("DD Wiener").
  var name: String { get }

  /// The gain for `segment`, `[bins, frames]` row-major like its spectrogram, each finite and
  /// non-negative. `report` may be called as the work proceeds.
  func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) throws -> [Float]
}
// book: end

/// The enhancer that changes nothing: gain 1 everywhere. With it the pipeline must give the
/// recording back, which is how its segmenting, resampling and crossfades are tested.
public struct IdentityEnhancer: Enhancer {
  public var name: String { "identity" }

  public init() {}

  public func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) -> [Float] {
    [Float](repeating: 1, count: segment.spectrogram.bins * segment.spectrogram.frames)
  }
}
