import Audio
import Denoising

/// What an evaluation sounds like: for a few items, the noisy input and each method's output,
/// as the `denoise` command would write them, to be heard beside the tables.
///
/// The clips of one set share one gain, the one that keeps the loudest of them inside 16 bits
/// (`headroomGain`), so that one method sounds louder than another only where it keeps more.
public struct ListeningClips {
  /// The file name (`07-white-noisy.wav`) and the 16 kHz mono samples, unscaled.
  public private(set) var clips: [(name: String, samples: [Float])] = []

  /// The clips of `items`: `PREFIX-NOISE-noisy.wav` and, for each method,
  /// `PREFIX-NOISE-METHOD.wav`, each method run through the pipeline on the noisy item.
  /// - Parameters:
  ///   - items: at most one item per noise kind, so that the names differ.
  ///   - methods: a short name for the file and the method.
  public init(
    items: [EvaluationItem], prefix: String, methods: [(name: String, enhancer: any Enhancer)]
  ) throws(EvaluationError) {
    precondition(
      Set(items.map(\.noise)).count == items.count, "one item per noise kind, or names clash")
    for item in items {
      let stem = "\(prefix)-\(item.noise.rawValue)"
      clips.append(("\(stem)-noisy.wav", item.noisy))
      for method in methods {
        let noisy = AudioBuffer(mono: item.noisy, sampleRate: Denoiser.fittingRate)
        do {
          let output = try Denoiser(enhancer: method.enhancer).denoise(noisy)
          clips.append(("\(stem)-\(method.name).wav", output.samples))
        } catch {
          throw .denoise(error)
        }
      }
    }
  }

  /// The one gain every clip is written with.
  public var gain: Float { headroomGain(for: clips.map(\.samples)) }

  /// Writes every clip as 16-bit mono WAV at 16 kHz, scaled by `gain`.
  /// - Parameter path: where a clip of a given file name goes.
  /// - Returns: the paths written.
  public func write(to path: (String) throws -> String) throws -> [String] {
    let gain = self.gain
    return try clips.map { clip in
      let file = try path(clip.name)
      try AudioFile.write(
        AudioBuffer(mono: clip.samples.map { $0 * gain }, sampleRate: Denoiser.fittingRate),
        to: file)
      return file
    }
  }
}
