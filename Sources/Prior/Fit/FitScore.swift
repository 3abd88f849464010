import Audio
import Foundation

/// How close a denoised recording is to the clean one, in dB: SNR and SI-SDR.
///
/// Only measurable when a clean reference exists (a mixture made for the book); on a real
/// recording there is none, which is chapter 7's problem.
public struct FitScore: Equatable, Sendable {
  /// `10 log10(Σ clean² / Σ (clean - estimate)²)`: every sample of error counts, including
  /// a change of level.
  public var snr: Double
  /// Scale-invariant SDR: the error after the best scaling of the reference.
  public var siSDR: Double

  public init(snr: Double, siSDR: Double) {
    self.snr = snr
    self.siSDR = siSDR
  }

  /// The scores of `estimate` against `reference`.
  /// - Throws: `PriorError.audio` when the lengths differ or are zero.
  public init(reference: [Float], estimate: [Float]) throws(PriorError) {
    do {
      snr = try Audio.snr(reference: reference, estimate: estimate)
      siSDR = try Audio.siSDR(reference: reference, estimate: estimate)
    } catch {
      throw .audio(error)
    }
  }
}
