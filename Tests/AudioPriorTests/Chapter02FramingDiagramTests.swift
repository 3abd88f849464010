import Plot
import Spectral
import Testing

@Suite("Chapter 2: the framing diagram")
struct Chapter02FramingDiagramTests {
  /// The periodic Hann window's squares, N / hop of them overlapping, sum to (N / hop) · 3/8:
  /// the mean of sin⁴ is 3/8.
  @Test(arguments: [(512, 128, 6), (512, 64, 8), (256, 64, 4)])
  func labelsGiveTheSTFTsFrameHopAndSquaredWindowSum(nFFT: Int, hop: Int, frames: Int) throws {
    let stft = try STFT(nFFT: nFFT, hop: hop)
    let diagram = Diagram.stftFraming(
      nFFT: stft.nFFT, hop: stft.hop, window: stft.window, sampleRate: 16_000, frames: frames)
    let frameMS = nFFT / 16
    let hopMS = hop / 16
    #expect(diagram.labels.contains { $0.hasSuffix("n_fft = \(nFFT) samples (\(frameMS) ms)") })
    #expect(diagram.labels.contains("hop = \(hop) samples (\(hopMS) ms)"))
    let level = Double(nFFT / hop) * 3 / 8
    let sum = diagram.labels.first { $0.hasPrefix("sum over t of w^2") }
    #expect(sum?.hasSuffix(String(format: "= %.2f", level)) == true, "\(sum ?? "no sum label")")
    #expect(diagram.labels.filter { $0.hasPrefix("t = ") }.count == frames)
  }
}
