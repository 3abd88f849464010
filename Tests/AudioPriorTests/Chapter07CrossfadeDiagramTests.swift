import Denoising
import Plot
import Testing

@Suite("Chapter 7: the crossfade diagram")
struct Chapter07CrossfadeDiagramTests {
  /// The geometry the diagram reads off the segmenter's weights is the segmenter's own:
  /// length, overlap, hop = length - overlap, and segment s starting at s · hop.
  @Test(arguments: [(32_640, 3_968), (256, 32), (1_600, 800), (48_000, 16)])
  func labelsGiveTheSegmentersLengthOverlapAndStarts(length: Int, overlap: Int) throws {
    let segmenter = try Segmenter(length: length, overlap: overlap)
    let diagram = Diagram.crossfade(segmenter.weights, sampleRate: 16_000)
    let hop = length - overlap
    func ms(_ n: Int) -> String {
      n % 16 == 0 ? "\(n / 16) ms" : String(format: "%.1f ms", Double(n) / 16)
    }
    #expect(
      diagram.labels.first
        == "Segments of \(length) samples (\(ms(length))), \(hop) apart, sharing \(overlap) "
        + "samples (\(ms(overlap)))")
    for s in 0..<3 {
      #expect(diagram.labels.contains("segment \(s): samples \(s * hop) ..< \(s * hop + length)"))
    }
    #expect(diagram.labels.contains("overlap: \(overlap) samples (\(ms(overlap)))"))
  }
}
