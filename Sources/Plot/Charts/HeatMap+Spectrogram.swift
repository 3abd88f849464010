/// The time and frequency axes of a spectrogram: frame t of an STFT with hop h at rate r is
/// centred on t · h / r seconds and bin f on f · r / nFFT Hz.
public struct SpectrogramAxes: Equatable, Sendable {
  /// Rows (frequency bins) and columns (frames) of the images.
  public var rows: Int
  public var frames: Int
  /// h / r, the time between frames.
  public var frameSeconds: Double
  /// r / nFFT / 1000, the frequency between bins.
  public var binKHz: Double

  public init(rows: Int, frames: Int, frameSeconds: Double, binKHz: Double) {
    (self.rows, self.frames, self.frameSeconds, self.binKHz) = (rows, frames, frameSeconds, binKHz)
  }

  /// The seconds the columns cover, −h/2r … (frames − ½) · h / r, each centred on its frame.
  public var timeRange: ClosedRange<Double> {
    (-frameSeconds / 2)...((Double(frames) - 0.5) * frameSeconds)
  }

  /// The kHz the rows cover, −½ … rows − ½ bins, each centred on its bin.
  public var frequencyRange: ClosedRange<Double> {
    (-binKHz / 2)...((Double(rows) - 0.5) * binKHz)
  }
}

extension HeatMap {
  /// A spectrogram panel: `[rows, frames]` values with time in seconds along x and frequency
  /// in kHz along y.
  /// - Parameters:
  ///   - values: row-major `[axes.rows, axes.frames]`, row 0 the lowest frequency.
  ///   - axes: the image's size and the STFT's spacing.
  ///   - title: the panel's title.
  ///   - colorbarLabel: what the colours stand for.
  ///   - valueRange: the values at the colormap's ends (nil: the values' extent).
  public static func spectrogram(
    _ values: [Float], axes: SpectrogramAxes, title: String = "", colorbarLabel: String = "",
    valueRange: ClosedRange<Float>? = nil
  ) -> HeatMap {
    var map = HeatMap(
      values: values, rows: axes.rows, columns: axes.frames, title: title, xLabel: "time (s)",
      yLabel: "frequency (kHz)", colorbarLabel: colorbarLabel)
    (map.xRange, map.yRange, map.valueRange) = (axes.timeRange, axes.frequencyRange, valueRange)
    return map
  }
}

extension Grid {
  /// Spectrograms on one colour scale, row by row, the colour bar at the end of each row:
  /// a fit's output over the iterations, or a recording before and after.
  /// - Parameters:
  ///   - panels: each panel's title and its `[axes.rows, axes.frames]` values.
  ///   - axes: the images' size and the STFT's spacing.
  ///   - columns: panels per row.
  ///   - valueRange: the values at the colormap's ends, the same in every panel.
  ///   - colorbarLabel: what the colours stand for.
  ///   - title: the figure's title.
  public init(
    spectrograms panels: [(title: String, values: [Float])], axes: SpectrogramAxes,
    columns: Int, valueRange: ClosedRange<Float>, colorbarLabel: String, title: String = ""
  ) {
    let maps = panels.enumerated().map { index, panel in
      var map = HeatMap.spectrogram(
        panel.values, axes: axes, title: panel.title, colorbarLabel: colorbarLabel,
        valueRange: valueRange)
      map.showsColorbar = index % columns == columns - 1 || index == panels.count - 1
      return map
    }
    self.init(columns: columns, panels: maps, title: title)
  }
}
