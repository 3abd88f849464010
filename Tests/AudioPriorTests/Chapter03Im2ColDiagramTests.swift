import Foundation
import Plot
import Tensors
import Testing

@Suite("Chapter 3: the im2col diagram")
struct Chapter03Im2ColDiagramTests {
  /// Each row of the drawn matrix, read after its row label, holds tap (i, j) of channel c at
  /// every output position (y, x): image[c, y + i, x + j], indexed here by hand.
  @Test(arguments: [(2, 3, 3, 2), (1, 4, 3, 2), (3, 3, 4, 3)])
  func drawnColumnsAreThePatchesOfTheImage(channels: Int, height: Int, width: Int, k: Int) {
    let values = (0..<(channels * height * width)).map { Float($0 + 1) }
    let image = Tensor(values, shape: [channels, height, width])
    let diagram = Diagram.im2col(
      image: image.scalars, shape: image.shape, kernel: k,
      columns: im2col(image, kernelHeight: k, kernelWidth: k).scalars)
    let labels = diagram.labels
    let (outH, outW) = (height - k + 1, width - k + 1)
    for c in 0..<channels {
      for i in 0..<k {
        for j in 0..<k {
          guard let row = labels.firstIndex(of: "c\(c) (\(i),\(j))") else {
            Issue.record("no row label for channel \(c), tap (\(i), \(j))")
            continue
          }
          let drawn = labels[(row + 1)..<(row + 1 + outH * outW)]
          let expected = (0..<(outH * outW)).map { p in
            String(format: "%g", values[(c * height + p / outW + i) * width + p % outW + j])
          }
          #expect(Array(drawn) == expected, "channel \(c), tap (\(i), \(j))")
        }
      }
    }
    let product = "[\(channels * k * k), \(outH * outW)]"
    #expect(labels.contains { $0.contains(product) }, "the matrix's shape \(product)")
  }
}
