/// One row of a network's layer table.
public struct LayerSummary: Sendable, Equatable {
  /// What the layer is, e.g. "ConvT 512→256 k4 s2 p1" or "BatchNorm + ReLU".
  public var name: String
  /// `[channels, height, width]` of one input image.
  public var inputShape: [Int]
  /// `[channels, height, width]` of one output image.
  public var outputShape: [Int]
  /// Learnable values.
  public var parameters: Int
  /// Floating-point operations of the forward pass for one image, counted as 2 per
  /// multiply–add of a transposed convolution; 0 for the elementwise layers, which are not
  /// counted (batch norm, ReLU and sigmoid add about 5 operations per value: under 1% of the
  /// canonical generator's total).
  public var flops: Int
}

extension Generator {
  // book: layer-table
  /// The generator layer by layer, with the shapes, parameters and forward FLOPs of each.
  /// A k×k transposed convolution from Cin to Cout channels on an H × W input has
  /// Cin·Cout·k² weights and Cin·Cout·k²·H·W multiply–adds (every input value meets every
  /// tap); a batch norm has 2·C parameters.
  public var layerTable: [LayerSummary] {
    var rows: [LayerSummary] = []
    var shape = [configuration.latentChannels, 1, 1]
    for (index, convolution) in convolutions.enumerated() {
      let (cin, cout) = (convolution.inputChannels, convolution.outputChannels)
      let size = convolution.outputSize(height: shape[1], width: shape[2])
      let output = [cout, size.height, size.width]
      let kernel =
        convolution.kernelHeight == convolution.kernelWidth
        ? "k\(convolution.kernelHeight)"
        : "k\(convolution.kernelHeight)×\(convolution.kernelWidth)"
      rows.append(
        LayerSummary(
          name: "ConvT \(cin)→\(cout) \(kernel) s\(convolution.stride) p\(convolution.padding)",
          inputShape: shape, outputShape: output, parameters: convolution.parameterCount,
          flops: 2 * convolution.multiplyAdds(height: shape[1], width: shape[2])))
      if index < norms.count {
        rows.append(
          LayerSummary(
            name: "BatchNorm + ReLU", inputShape: output, outputShape: output,
            parameters: norms[index].parameterCount, flops: 0))
      } else {
        rows.append(
          LayerSummary(
            name: "Sigmoid", inputShape: output, outputShape: output, parameters: 0, flops: 0))
      }
      shape = output
    }
    return rows
  }
  // book: end

  /// The learnable values of all layers.
  public var totalParameters: Int { layerTable.reduce(0) { $0 + $1.parameters } }

  /// Forward FLOPs for one image (2 per multiply–add of the transposed convolutions).
  public var forwardFLOPs: Int { layerTable.reduce(0) { $0 + $1.flops } }

  /// FLOPs of one training step, forward and backward: the backward pass of a transposed
  /// convolution is two products as large as the forward one (the input gradient, a
  /// convolution, and the weight gradient), so a step is 3 × the forward count. (The first
  /// layer's input gradient is not needed and not computed: 0.16% of the canonical count.)
  public var trainingStepFLOPs: Int { 3 * forwardFLOPs }
}
