import Suppression

// The classical gains of the Suppression module as enhancers of the pipeline: each estimates
// the noise power of the segment from its quietest frames and computes its gain from it.

extension SpectralSubtraction: Enhancer {
  public var name: String { "spectral subtraction" }

  public func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) -> [Float] {
    let (bins, frames) = (segment.spectrogram.bins, segment.spectrogram.frames)
    let power = segment.power
    let noise = quietestFramesNoisePower(
      power: power, bins: bins, frames: frames, fraction: noiseFraction)
    return gain(power: power, noisePower: noise, bins: bins, frames: frames)
  }
}

extension DecisionDirectedWiener: Enhancer {
  public var name: String { knownNoisePower == nil ? "DD Wiener" : "DD Wiener, known noise" }

  public func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) -> [Float] {
    let (bins, frames) = (segment.spectrogram.bins, segment.spectrogram.frames)
    let power = segment.power
    let noise =
      knownNoisePower
      ?? quietestFramesNoisePower(power: power, bins: bins, frames: frames, fraction: noiseFraction)
    return gain(power: power, noisePower: noise, bins: bins, frames: frames)
  }
}
