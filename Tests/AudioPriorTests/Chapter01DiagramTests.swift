import Foundation
import Plot
import Testing

/// The pixels of `bitmap` that are not white.
private func inked(_ bitmap: Bitmap) -> [(x: Int, y: Int)] {
  var points: [(x: Int, y: Int)] = []
  for y in 0..<bitmap.height {
    for x in 0..<bitmap.width where bitmap[x, y] != .white { points.append((x, y)) }
  }
  return points
}

@Suite("Chapter 1: diagrams")
struct Chapter01DiagramTests {
  @Test func boxFillsItsRectangleInsideAOnePixelOutline() {
    let red = Color(r: 200, g: 0, b: 0)
    var diagram = Diagram(width: 20, height: 16)
    diagram.box(Rect(x: 4, y: 5, width: 8, height: 6), fill: red, stroke: .black)
    let image = diagram.render()
    // Columns 4...11 and rows 5...10: the outline on the border, red inside, white around.
    for y in 0..<16 {
      for x in 0..<20 {
        let inside = (4...11).contains(x) && (5...10).contains(y)
        let border = inside && (x == 4 || x == 11 || y == 5 || y == 10)
        let expected: Color = border ? .black : inside ? red : .white
        #expect(image[x, y] == expected, "pixel (\(x), \(y))")
      }
    }
  }

  @Test func arrowHeadEndsAtTheTipAndItsBarbsPointBack() {
    var diagram = Diagram(width: 48, height: 24)
    diagram.arrow(
      from: Point(x: 4.5, y: 12.5), to: Point(x: 36.5, y: 12.5), width: 1, head: 10)
    let image = diagram.render()
    let ink = inked(image)
    // A stroke of width 1 has a soft edge one pixel wide: at the tip's centre (36.5) the
    // coverage is 1, at the next pixel's centre 0.5 + 0.5 - 1 = 0, so column 36 is the last.
    #expect(ink.map(\.x).max() == 36)
    #expect(ink.map(\.x).min() == 4)
    #expect(image[36, 12] == .black)
    // The barbs end 10 px back and 10 sin 25° = 4.23 px to either side of the shaft.
    let back = 36.5 - 10 * cos(25 * Double.pi / 180)
    let side = 10 * sin(25 * Double.pi / 180)
    for y in [12.5 - side, 12.5 + side] {
      #expect(image[Int(back), Int(y)] != .white, "barb end near (\(back), \(y))")
    }
    // Nothing beyond the barbs across the shaft.
    #expect(ink.map(\.y).min() == Int(12.5 - side - 1))
    #expect(ink.map(\.y).max() == Int(12.5 + side + 1))
  }

  @Test func bracketHasTicksAtBothEndsAndItsLabelAbove() {
    var diagram = Diagram(width: 120, height: 60)
    diagram.bracket(from: 20.5, to: 100.5, at: 40.5, label: "hop")
    let image = diagram.render()
    #expect(image[20, 36] != .white && image[20, 44] != .white)
    #expect(image[100, 36] != .white && image[100, 44] != .white)
    #expect(image[60, 40] != .white)
    #expect(image[60, 36] == .white && image[102, 40] == .white)
    // The label: ink above the ticks (which reach row 45), centred on x = 60.5.
    let label = inked(image).filter { $0.y < 34 }
    #expect(!label.isEmpty)
    let centre = Double(label.map(\.x).min()! + label.map(\.x).max()! + 1) / 2
    #expect(abs(centre - 60.5) <= 1)
    #expect(diagram.labels == ["hop"])
  }

  @Test func drawnInAFrameTheDiagramMovesWithTheFrameCorner() {
    var diagram = Diagram(width: 40, height: 30)
    diagram.box(Rect(x: 2, y: 3, width: 20, height: 10), fill: .palette(0), label: "A")
    diagram.arrow(from: Point(x: 5, y: 25), to: Point(x: 35, y: 20))
    let alone = diagram.render()
    var canvas = Bitmap(width: 70, height: 60, fill: .white)
    diagram.draw(on: &canvas, in: Rect(x: 17, y: 11, width: 40, height: 30))
    for y in 0..<60 {
      for x in 0..<70 {
        let inFrame = (17..<57).contains(x) && (11..<41).contains(y)
        #expect(canvas[x, y] == (inFrame ? alone[x - 17, y - 11] : .white), "(\(x), \(y))")
      }
    }
  }
}
