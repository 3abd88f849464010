import Foundation

extension Diagram {
  /// How the STFT cuts a signal into frames and how the inverse puts them back: the first
  /// `frames` windows drawn over the samples they weight, and below them the sum of the
  /// squared windows that the inverse's overlap-add divides by.
  ///
  /// Frame t is centred on sample t · hop (the signal is reflect-padded by nFFT/2 in front),
  /// so it weights samples `t·hop - nFFT/2 ..< t·hop + nFFT/2`. Every curve is drawn from
  /// `window`, and the level printed is the envelope Σₜ w²[n - t·hop] at a sample that every
  /// frame covering it reaches, read off the curve (1.5 for periodic Hann at a quarter hop).
  /// - Parameters:
  ///   - nFFT: samples per frame; `window.count`.
  ///   - hop: samples between frames.
  ///   - window: the analysis window, `[nFFT]`.
  ///   - sampleRate: samples per second, for the milliseconds.
  ///   - frames: how many frames to draw, from frame 0; more than nFFT / hop - 1.
  public static func stftFraming(
    nFFT: Int, hop: Int, window: [Float], sampleRate: Int, frames: Int = 6
  ) -> Diagram {
    // Samples (nFFT/2 - hop, frames·hop - nFFT/2] are covered by every frame that would
    // cover them in a long signal: the envelope's level is read in the middle of that range.
    precondition(
      window.count == nFFT && hop > 0 && (frames + 1) * hop > nFFT,
      "\(frames) frames of \(nFFT) samples, \(hop) apart, never all overlap")
    let first = -nFFT / 2
    let last = (frames - 1) * hop + nFFT / 2
    let pixelsPerSample = min(1.0, 1150 / Double(last - first))
    let left = 70.0
    var diagram = Diagram(
      width: Int(left + Double(last - first) * pixelsPerSample) + 50, height: 640)
    func x(_ sample: Int) -> Double { left + Double(sample - first) * pixelsPerSample }
    func ms(_ samples: Int) -> String { milliseconds(samples, sampleRate: sampleRate) }

    diagram.text(
      "Framing: n_fft \(nFFT), hop \(hop), frame t centred on sample t * hop", at: 20, 14,
      anchor: TextAnchor(.left, .top), font: .bold)
    // The padding the reflection adds in front of sample 0.
    let top = 130.0
    let base = 300.0
    diagram.box(
      Rect(x: Int(x(first)), y: Int(top) - 10, width: Int(x(0) - x(first)), height: 180),
      fill: Color(gray: 240), stroke: nil)
    diagram.text(
      "reflect padding, \(nFFT / 2) samples", at: Int(x(first)) + 6, Int(top) - 4,
      anchor: TextAnchor(.left, .top), color: .darkGray)
    let height = base - top
    for t in 0..<frames {
      let start = t * hop - nFFT / 2
      let curve = window.enumerated().map { n, w in
        Point(x: x(start + n), y: base - Double(w) * height)
      }
      diagram.line(curve, color: Color.palette(t), width: 2)
      diagram.text(
        "t = \(t)", at: Int(x(t * hop).rounded()), Int(top) - 6,
        anchor: TextAnchor(.center, .bottom), color: Color.palette(t))
    }
    // The lengths, measured on a frame in the middle.
    let shown = min(2, frames - 2)
    let frameStart = shown * hop - nFFT / 2
    diagram.bracket(
      from: x(frameStart), to: x(frameStart + nFFT), at: 62,
      label: "frame t = \(shown): n_fft = \(nFFT) samples (\(ms(nFFT)))", color: .palette(shown))
    diagram.bracket(
      from: x(frameStart), to: x(frameStart + hop), at: 96,
      label: "hop = \(hop) samples (\(ms(hop)))")
    diagram.ruler(
      at: base, from: x(first), to: x(last),
      ticks: stride(from: first, through: last, by: hop).map { (x($0), "\($0)") },
      title: "sample of the signal (\(sampleRate / 1000) kHz: \(hop) samples = \(ms(hop)))")

    // Overlap-add: the inverse adds every frame's weighted samples and divides by Σ w².
    let envelope = squaredWindowEnvelope(window, hop: hop, frames: frames)
    let level = envelope[((frames - 1) * hop) / 2 + nFFT / 2]
    let peak = Double(envelope.max() ?? 1)
    let bottom = 560.0
    let scale = 150 / max(peak, 1e-9)
    diagram.text(
      "Overlap-add: the inverse divides by the sum of the squared windows", at: 20, 366,
      anchor: TextAnchor(.left, .top), font: .bold)
    for t in 0..<frames {
      let start = t * hop - nFFT / 2
      let curve = window.enumerated().map { n, w in
        Point(x: x(start + n), y: bottom - Double(w * w) * scale)
      }
      diagram.line(curve, color: Color.palette(t).withAlpha(110), width: 1.5)
    }
    let sum = envelope.enumerated().map { n, e in
      Point(x: x(first + n), y: bottom - Double(e) * scale)
    }
    diagram.line(sum, color: .black, width: 2.5)
    diagram.text(
      String(format: "sum over t of w^2[n - t * hop] = %.2f", level),
      at: Int(x((frames - 1) * hop / 2)), Int(bottom - Double(level) * scale) - 8,
      anchor: TextAnchor(.center, .bottom))
    diagram.ruler(
      at: bottom, from: x(first), to: x(last),
      ticks: stride(from: first, through: last, by: hop).map { (x($0), "\($0)") },
      title: "sample of the signal")
    return diagram
  }
}

/// `Σₜ w²[n - t·hop]` for frames 0 ..< frames, n counted from the first frame's start.
func squaredWindowEnvelope(_ window: [Float], hop: Int, frames: Int) -> [Float] {
  var envelope = [Float](repeating: 0, count: (frames - 1) * hop + window.count)
  for t in 0..<frames {
    for (n, w) in window.enumerated() { envelope[t * hop + n] += w * w }
  }
  return envelope
}

/// `samples` at `sampleRate` in milliseconds, without decimals when whole: "32 ms", "2.5 ms".
func milliseconds(_ samples: Int, sampleRate: Int) -> String {
  let value = Double(samples) * 1000 / Double(sampleRate)
  return value == value.rounded() ? "\(Int(value)) ms" : String(format: "%.1f ms", value)
}
