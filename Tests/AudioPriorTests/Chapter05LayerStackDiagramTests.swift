import NN
import Plot
import Testing

@Suite("Chapter 5: the layer-stack diagram")
struct Chapter05LayerStackDiagramTests {
  /// The shapes under the boxes are z, then each block's output by the configuration's rule
  /// (the first layer makes the base map, every later one doubles both axes), then the image;
  /// the arrows carry one BatchNorm + ReLU per hidden block and the final Sigmoid.
  @Test(arguments: [(256, 256), (256, 128), (32, 32)])
  func shapesUnderTheBoxesAreTheGeneratorsActivations(height: Int, width: Int) throws {
    let configuration = try GeneratorConfiguration(height: height, width: width)
    let generator = Generator(configuration, seed: 0)
    let diagram = Diagram.layerStack(
      input: generator.layerTable[0].inputShape,
      layers: generator.layerTable.map { ($0.name, $0.outputShape) }, title: "generator")
    var expected = [[configuration.latentChannels, 1, 1]]
    for (l, channels) in configuration.channels.enumerated() {
      expected.append([channels, configuration.baseHeight << l, configuration.baseWidth << l])
    }
    expected.append([1, height, width])
    let shapes = diagram.labels.filter { $0.contains(" x ") && $0.first!.isNumber }
    #expect(shapes == expected.map { $0.map(String.init).joined(separator: " x ") })
    #expect(
      diagram.labels.filter { $0 == "BatchNorm + ReLU" }.count == configuration.channels.count)
    #expect(diagram.labels.filter { $0 == "Sigmoid" }.count == 1)
    #expect(
      diagram.labels.contains("ConvT \(configuration.latentChannels)->\(configuration.channels[0])")
    )
  }
}
