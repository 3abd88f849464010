import CPNG
import Foundation
import Plot
import Testing

/// A fresh empty folder under the system's temporary folder.
private func temporaryFolder() throws -> String {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("audioprior-plot-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}

/// A small image whose every pixel differs: r, g, b and alpha follow different patterns.
private func patternBitmap(width: Int = 7, height: Int = 5) -> Bitmap {
  var bitmap = Bitmap(width: width, height: height)
  for y in 0..<height {
    for x in 0..<width {
      bitmap[x, y] = Color(
        r: UInt8(x * 36), g: UInt8(y * 60 + 3), b: UInt8((x * 7 + y * 11) % 256),
        a: UInt8(255 - (x + y * width) * 7))
    }
  }
  return bitmap
}

/// Reads a PNG with libpng's simplified API directly (not through `Bitmap.readPNG`).
/// - Returns: width, height and the 8-bit samples, RGB or RGBA, rows top first.
private func readWithLibpng(_ path: String, alpha: Bool) -> (Int, Int, [UInt8])? {
  var image = png_image()
  image.version = png_uint_32(PNG_IMAGE_VERSION)
  guard png_image_begin_read_from_file(&image, path) != 0 else { return nil }
  image.format = alpha ? 0x03 : 0x02  // PNG_FORMAT_RGBA, PNG_FORMAT_RGB
  let channels = alpha ? 4 : 3
  var samples = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * channels)
  guard png_image_finish_read(&image, nil, &samples, 0, nil) != 0 else {
    png_image_free(&image)
    return nil
  }
  return (Int(image.width), Int(image.height), samples)
}

/// The box around every pixel that is not white, as (minX, minY, maxX, maxY) inclusive.
private func inkedBox(_ bitmap: Bitmap) -> (Int, Int, Int, Int)? {
  var box: (Int, Int, Int, Int)?
  for y in 0..<bitmap.height {
    for x in 0..<bitmap.width where bitmap[x, y] != .white {
      let (a, b, c, d) = box ?? (x, y, x, y)
      box = (min(a, x), min(b, y), max(c, x), max(d, y))
    }
  }
  return box
}

@Suite("Chapter 1: plots")
struct Chapter01PlotTests {
  // MARK: PNG

  @Test(arguments: [false, true])
  func pngReadBackByLibpngEqualsWhatWasWritten(alpha: Bool) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let bitmap = patternBitmap()
    let path = folder + "/pattern.png"
    try bitmap.writePNG(to: path, alpha: alpha)
    let read = try #require(readWithLibpng(path, alpha: alpha))
    #expect(read.0 == bitmap.width && read.1 == bitmap.height)
    let expected = bitmap.pixels.flatMap { alpha ? [$0.r, $0.g, $0.b, $0.a] : [$0.r, $0.g, $0.b] }
    #expect(read.2 == expected)
  }

  @Test func writingTwiceGivesIdenticalBytes() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var plot = LinePlot(title: "twice", xLabel: "x", yLabel: "y")
    plot.line(x: [0.0, 1, 2, 3], y: [1.0, 3, 2, 5], label: "data")
    try plot.write(to: folder + "/a.png", width: 200, height: 150)
    try plot.write(to: folder + "/b.png", width: 200, height: 150)
    try patternBitmap().writePNG(to: folder + "/c.png", alpha: true)
    try patternBitmap().writePNG(to: folder + "/d.png", alpha: true)
    let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a.png"))
    let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/b.png"))
    let c = try Data(contentsOf: URL(fileURLWithPath: folder + "/c.png"))
    let d = try Data(contentsOf: URL(fileURLWithPath: folder + "/d.png"))
    #expect(!a.isEmpty && a == b)
    #expect(!c.isEmpty && c == d)
    // Nothing is left behind but the PNGs themselves (the temporary files were renamed).
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(names == ["a.png", "b.png", "c.png", "d.png"])
  }

  @Test func readPNGDecodesAFileWrittenByLibpng() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let bitmap = patternBitmap(width: 4, height: 3)
    var samples = bitmap.pixels.flatMap { [$0.r, $0.g, $0.b, $0.a] }
    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    image.width = 4
    image.height = 3
    image.format = 0x03  // PNG_FORMAT_RGBA
    let path = folder + "/libpng.png"
    #expect(png_image_write_to_file(&image, path, 0, &samples, 0, nil) != 0)
    #expect(try Bitmap.readPNG(from: path) == bitmap)
  }

  @Test func writingIntoAMissingFolderThrowsNamingThePath() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/no-such-folder/figure.png"
    #expect {
      try patternBitmap().writePNG(to: path)
    } throws: { error in
      guard let error = error as? PlotError else { return false }
      return error.description.contains(path) && error.description.contains("does not exist")
    }
    #expect {
      try Bitmap.readPNG(from: folder + "/missing.png")
    } throws: { error in
      (error as? PlotError)?.description.contains(folder + "/missing.png") == true
    }
  }

  // MARK: Colormaps

  @Test(arguments: Colormap.allCases)
  func colormapTablesHave256Entries(colormap: Colormap) {
    #expect(colormap.table.count == 256)
  }

  /// Entries copied from matplotlib's `_cm_listed.py` (the published floats), each channel
  /// expected as round(255 v).
  @Test(arguments: [
    (Colormap.magma, 0, [0.001462, 0.000466, 0.013866]),
    (Colormap.magma, 128, [0.716387, 0.214982, 0.475290]),
    (Colormap.magma, 255, [0.987053, 0.991438, 0.749504]),
    (Colormap.viridis, 0, [0.267004, 0.004874, 0.329415]),
    (Colormap.viridis, 128, [0.127568, 0.566949, 0.550556]),
    (Colormap.viridis, 255, [0.993248, 0.906157, 0.143936]),
  ])
  func colormapEntriesEqualThePublishedValues(colormap: Colormap, index: Int, rgb: [Double]) {
    let expected = rgb.map { UInt8((255 * $0).rounded()) }
    let entry = colormap.table[index]
    #expect([entry.r, entry.g, entry.b] == expected)
  }

  @Test(.tags(.colormapIndex), arguments: Colormap.allCases)
  func colormapEndsAreTheTableEndsAndValuesAreClamped(colormap: Colormap) {
    let table = colormap.table
    #expect(colormap.color(0) == table[0])
    #expect(colormap.color(1) == table[255])
    #expect(colormap.color(-0.5) == table[0])
    #expect(colormap.color(7) == table[255])
    #expect(colormap.color(-.infinity) == table[0])
    #expect(colormap.color(.infinity) == table[255])
    #expect(colormap.color(.nan) == table[0])
    // 256 equal bins of [0, 1]: t falls in bin floor(256 t).
    #expect(colormap.color(0.5) == table[128])
    #expect(colormap.color(0.999) == table[255])
    #expect(colormap.color(10.0 / 256 + 1e-6) == table[10])
    #expect(colormap.color(10.0 / 256 - 1e-6) == table[9])
  }

  // MARK: Heat map orientation

  @Test(.tags(.colormapIndex)) func heatMapDrawsRowZeroAtTheBottom() {
    // Row 0 = [0, 1] (bottom), row 1 = [2, 3] (top); greyscale from 0 to 3 puts value v in
    // bin floor(256 v / 3): grey levels 0, 85, 170, 255.
    var map = HeatMap(values: [0, 1, 2, 3], rows: 2, columns: 2, colormap: .grayscale)
    map.valueRange = 0...3
    map.showsAxes = false
    map.showsColorbar = false
    let image = map.render(width: 100, height: 100)
    #expect(image[30, 30] == Color(gray: 170))  // top left: row 1, column 0
    #expect(image[70, 30] == Color(gray: 255))  // top right: row 1, column 1
    #expect(image[30, 70] == Color(gray: 0))  // bottom left: row 0, column 0
    #expect(image[70, 70] == Color(gray: 85))  // bottom right: row 0, column 1
  }

  // MARK: Ticks

  @Test(
    arguments: [
      (1e-3...10, [1e-3, 1e-2, 1e-1, 1, 10]),
      (0.5...2000, [1, 10, 100, 1000]),
      (1e-6...1, [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]),
    ] as [(ClosedRange<Double>, [Double])])
  func logTicksAreAtPowersOfTen(range: ClosedRange<Double>, expected: [Double]) {
    let ticks = AxisScale.log.ticks(in: range)
    expectClose(ticks, expected, tolerance: 1e-12, relative: true, "decades")
    for tick in ticks {
      let exponent = log10(tick)
      #expect(abs(exponent - exponent.rounded()) < 1e-12, "\(tick) is not a power of ten")
    }
  }

  @Test(
    .tags(.niceStep),
    arguments: [
      (0...1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
      (0...2.04, [0, 0.5, 1, 1.5, 2]),
      (0...8, [0, 2, 4, 6, 8]),
      (-1...1, [-1, -0.5, 0, 0.5, 1]),
      (0...2000, [0, 500, 1000, 1500, 2000]),
      (0.013...0.087, [0.02, 0.04, 0.06, 0.08]),
      (-37...112, [0, 50, 100]),
    ] as [(ClosedRange<Double>, [Double])])
  func linearTicksAreNiceSteps(range: ClosedRange<Double>, expected: [Double]) {
    expectClose(AxisScale.linear.ticks(in: range), expected, tolerance: 1e-12, "ticks")
  }

  @Test(
    .tags(.niceStep),
    arguments: [
      (1.0 / 6, 0.2), (2.04 / 6, 0.5), (8.0 / 6, 2), (0.1, 0.1), (7, 10), (0.0031, 0.005),
    ] as [(Double, Double)])
  func niceStepIsOneTwoOrFiveTimesAPowerOfTen(raw: Double, expected: Double) {
    expectClose(Ticks.niceStep(span: raw, count: 1), expected, tolerance: 1e-15)
  }

  @Test(
    arguments: [
      (0.5, 0.5, "0.5"), (1, 0.5, "1"), (2000, 500, "2000"), (0.6, 0.2, "0.6"),
      (-0.5, 0.5, "-0.5"), (0, 0.2, "0"), (2e-5, 1e-5, "2e-5"), (1.5e6, 5e5, "1.5e6"),
      (0.04, 0.02, "0.04"),
    ] as [(Double, Double, String)])
  func tickLabelsAreCompact(value: Double, step: Double, expected: String) {
    #expect(Ticks.label(value, step: step) == expected)
  }

  @Test(
    arguments: [
      (0.001, "0.001"), (0.01, "0.01"), (1, "1"), (100, "100"), (1e-5, "1e-5"), (1e6, "1e6"),
      (0.002, "0.002"), (50, "50"),
    ] as [(Double, String)])
  func logTickLabelsAreReadable(value: Double, expected: String) {
    #expect(Ticks.logLabel(value) == expected)
  }

  // MARK: Text

  /// Strings whose first and last glyphs ink the first and last columns of their cells, so
  /// the inked width must equal the measured width exactly.
  @Test(arguments: ["H", "MSE", "0.001", "Hello World", "SNR (dB) 12"], [1, 2])
  func textWidthMatchesTheInkedPixels(text: String, scale: Int) {
    let font = Font.regular
    let width = font.width(of: text, scale: scale)
    var canvas = Bitmap(width: width + 20, height: font.height(scale: scale) + 10)
    canvas.draw(text: text, x: 5, y: 3, color: .black, scale: scale)
    let box = inkedBox(canvas)
    #expect(box?.0 == 5 && box?.2 == 5 + width - 1, "ink spans \(String(describing: box))")
    #expect((box?.1 ?? -1) >= 3 && (box?.3 ?? .max) < 3 + font.height(scale: scale))

    // Turned upwards, the same text is as tall as it was wide.
    var turned = Bitmap(width: font.height(scale: scale) + 10, height: width + 20)
    turned.draw(text: text, x: 3, y: 5, color: .black, scale: scale, direction: .upward)
    let turnedBox = inkedBox(turned)
    #expect(turnedBox?.1 == 5 && turnedBox?.3 == 5 + width - 1)
  }

  @Test(arguments: ["frequency (kHz)", "time (s)", "iteration", "a"])
  func textStaysInsideItsMeasuredBox(text: String) {
    let font = Font.regular
    let width = font.width(of: text)
    var canvas = Bitmap(width: width + 20, height: 30)
    canvas.draw(text: text, x: 5, y: 3, color: .black)
    let box = inkedBox(canvas)
    #expect((box?.0 ?? -1) >= 5 && (box?.2 ?? .max) <= 5 + width - 1)
    #expect((box?.1 ?? -1) >= 3 && (box?.3 ?? .max) < 3 + font.height())
  }

  // MARK: Charts

  @Test func barDotsSitAtTheirValuesSpreadEvenlyAcrossTheBar() {
    // One bar of 4 on a 0...4 axis fills the plot's height, so its own pixels give the axis:
    // value v is the fraction v / 4 of the way from its bottom edge to its top edge. Two dots
    // divide the bar's width (its pixels plus the white gap after it) into three parts.
    let red = Color(r: 255, g: 0, b: 0)
    var chart = BarChart(groups: ["a"])
    chart.showsLegend = false
    chart.yRange = 0...4
    chart.series("mean", values: [4], items: [[1, 3]], color: red)
    let image = chart.render(width: 240, height: 200)
    let barPixels = image.pixels.indices.filter { image.pixels[$0] == red }
    let barX = barPixels.map { $0 % image.width }
    let barY = barPixels.map { $0 / image.width }
    let (left, right) = (Double(barX.min()!), Double(barX.max()! + 2))
    let (top, bottom) = (Double(barY.min()!), Double(barY.max()! + 1))
    let dark = image.pixels.indices.filter { image.pixels[$0].r < 100 && image.pixels[$0].g < 100 }
      .filter { Double($0 % image.width) > left && Double($0 % image.width) < right - 1 }
      .filter { Double($0 / image.width) > top + 2 && Double($0 / image.width) < bottom - 2 }
    let middle = (left + right) / 2
    for (side, value, share) in [(false, 1.0, 1.0 / 3), (true, 3.0, 2.0 / 3)] {
      let blob = dark.filter { (Double($0 % image.width) + 0.5 > middle) == side }
      #expect(blob.count >= 12, "dot for \(value): \(blob.count) dark pixels")
      let x = blob.map { Double($0 % image.width) + 0.5 }.reduce(0, +) / Double(blob.count)
      let y = blob.map { Double($0 / image.width) + 0.5 }.reduce(0, +) / Double(blob.count)
      expectClose(x, left + share * (right - left), tolerance: 1, "x of the dot for \(value)")
      expectClose(y, bottom - value / 4 * (bottom - top), tolerance: 1, "y of the dot")
    }
  }

  @Test func hatchedBarsCarryWhiteStripesRisingToTheRight() {
    let blue = Color(r: 0, g: 0, b: 255)
    var chart = BarChart(groups: ["a"])
    chart.showsLegend = false
    chart.yRange = 0...1
    chart.series("control", values: [1], color: blue, hatched: true)
    let image = chart.render(width: 200, height: 160)
    let blues = image.pixels.indices.filter { image.pixels[$0] == blue }
    let xs = blues.map { $0 % image.width }
    let ys = blues.map { $0 / image.width }
    // Inside the bar, a pixel is white exactly when it lies on a stripe: 2 of every 6
    // diagonals x + y.
    var white = 0
    for y in (ys.min()! + 1)..<ys.max()! {
      for x in (xs.min()! + 1)..<xs.max()! {
        let onStripe = (x + y) % 6 < 2
        #expect(image[x, y] == (onStripe ? .white : blue), "pixel (\(x), \(y))")
        if onStripe { white += 1 }
      }
    }
    #expect(white > 0)
  }

  @Test func linesAreClippedToThePlotArea() {
    // A line far outside the shown range must leave the border of the image untouched.
    var plot = LinePlot()
    plot.yRange = 0...1
    plot.xRange = 0...1
    plot.line(x: [-5.0, 0.5, 6], y: [-50.0, 0.5, 80], color: Color(r: 255, g: 0, b: 0))
    let image = plot.render(width: 160, height: 120)
    let red = image.pixels.enumerated().filter { $0.element.r > 200 && $0.element.g < 100 }
    #expect(!red.isEmpty)
    for (index, _) in red {
      let x = index % image.width
      let y = index / image.width
      #expect(x > 8 && x < 152 && y > 8 && y < 112, "line pixel at (\(x), \(y))")
    }
  }
}
