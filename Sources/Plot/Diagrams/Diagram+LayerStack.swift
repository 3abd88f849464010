import Foundation

extension Diagram {
  /// A network as a row of its activations, `[channels, height, width]` each, joined by
  /// arrows labelled with the layers between them.
  ///
  /// A box's height grows with log₂ of the activation's height and its width with log₂ of
  /// its channels, so the generator's trade of channels for pixels shows as boxes getting
  /// taller and thinner. A layer that keeps its input's shape (a batch norm, an activation)
  /// gets no box of its own: its name joins the label of the arrow before it.
  /// - Parameters:
  ///   - input: the shape of the first layer's input.
  ///   - layers: each layer's name and output shape, in order.
  public static func layerStack(
    input: [Int], layers: [(name: String, output: [Int])], title: String
  ) -> Diagram {
    precondition(input.count == 3 && layers.allSatisfy { $0.output.count == 3 }, "[C, H, W]")
    var shapes = [input]
    var steps: [[String]] = []
    for layer in layers {
      let name = layer.name.replacingOccurrences(of: "→", with: "->")
      if layer.output == shapes.last, !steps.isEmpty {
        steps[steps.count - 1].append(name)
      } else {
        shapes.append(layer.output)
        steps.append(halved(name, longerThan: 16))
      }
    }
    func boxWidth(_ shape: [Int]) -> Int { 14 + Int(9 * log2(Double(max(shape[0], 1)))) }
    func boxHeight(_ shape: [Int]) -> Int { 24 + Int(26 * log2(Double(max(shape[1], 1)))) }
    func shapeLabel(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: " x ") }
    let gap = 124
    let left = 30
    // Room on the right for the last shape's label, which is wider than a thin last box.
    let right = max(left, Font.regular.width(of: shapeLabel(shapes.last!)) / 2 + 10)
    let tallest = shapes.map(boxHeight).max() ?? 0
    let middle = 60 + tallest / 2
    let total = shapes.map(boxWidth).reduce(0, +) + gap * (shapes.count - 1)
    var diagram = Diagram(width: left + total + right, height: middle + tallest / 2 + 76)
    diagram.text(title, at: 20, 14, anchor: TextAnchor(.left, .top), font: .bold)
    var x = left
    for (index, shape) in shapes.enumerated() {
      let (w, h) = (boxWidth(shape), boxHeight(shape))
      let rect = Rect(x: x, y: middle - h / 2, width: w, height: h)
      let fill = Color.palette(0).mixed(with: .white, 0.55 + 0.35 * Double(index) / 8)
      diagram.box(rect, fill: fill, stroke: .darkGray)
      diagram.text(
        shapeLabel(shape), at: x + w / 2, rect.maxY + 8,
        anchor: TextAnchor(.center, .top))
      if index == 0 {
        diagram.text("z", at: x + w / 2, middle, font: .bold)
      }
      if index + 1 < shapes.count {
        let start = Point(x: Double(rect.maxX + 4), y: Double(middle))
        let end = Point(x: Double(rect.maxX + gap - 4), y: Double(middle))
        diagram.arrow(from: start, to: end)
        let lines = steps[index]
        let centre = rect.maxX + gap / 2
        for (row, line) in lines.enumerated() {
          diagram.text(
            line, at: centre, middle - 8 - (lines.count - 1 - row) * 14,
            anchor: TextAnchor(.center, .bottom))
        }
      }
      x += w + gap
    }
    diagram.text(
      "each box an activation: channels x height x width (box height ~ log2 height, "
        + "width ~ log2 channels)", at: 20, middle + tallest / 2 + 50,
      anchor: TextAnchor(.left, .top),
      color: .darkGray)
    return diagram
  }
}

/// `name` on one line, or on two split at its middle word when longer than `limit`
/// characters: "ConvT 512->256 k4 s2 p1" becomes "ConvT 512->256" and "k4 s2 p1".
func halved(_ name: String, longerThan limit: Int) -> [String] {
  let words = name.split(separator: " ")
  guard name.count > limit, words.count > 1 else { return [name] }
  return [words[..<(words.count / 2)], words[(words.count / 2)...]].map {
    $0.joined(separator: " ")
  }
}
