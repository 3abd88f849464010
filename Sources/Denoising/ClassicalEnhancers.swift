import Suppression

// The classical gains of the Suppression module as enhancers of the pipeline: each estimates
// the noise power of the segment from its quietest frames (and the decision-directed gains
// may track it from there by speech presence) and computes its gain from it.

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

extension DecisionDirected: Enhancer {
  /// "DD Wiener", "DD LSA"; "SPP + DD Wiener" with the noise tracker; ", known noise" when the
  /// noise power is handed in (which then takes the place of the tracker).
  public var name: String {
    if knownNoisePower != nil { return "DD \(Rule.name), known noise" }
    return noiseTracker == nil ? "DD \(Rule.name)" : "SPP + DD \(Rule.name)"
  }

  public func gain(for segment: NoisySegment, report: (EnhancerProgress) -> Void) -> [Float] {
    let (bins, frames) = (segment.spectrogram.bins, segment.spectrogram.frames)
    let power = segment.power
    return gain(
      power: power, noisePower: noisePower(power, bins: bins, frames: frames),
      bins: bins, frames: frames)
  }

  /// The known noise power, or the quietest frames' estimate, `[bins]`, or the tracker's
  /// `[bins, frames]` started from that estimate (a segment need not begin with a pause).
  private func noisePower(_ power: [Float], bins: Int, frames: Int) -> [Float] {
    if let knownNoisePower { return knownNoisePower }
    let quiet = quietestFramesNoisePower(
      power: power, bins: bins, frames: frames, fraction: noiseFraction)
    guard let noiseTracker else { return quiet }
    return noiseTracker.noisePower(power, bins: bins, frames: frames, initial: quiet)
  }
}
