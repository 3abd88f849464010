// The definitions of convolution and transposed convolution as nested loops: slow, obviously
// right, and kept as the references that the im2col + GEMM versions are tested against.

/// y[n, o, Y, X] = Σ_c Σ_i Σ_j w[o, c, i, j] · x[n, c, Y·s − p + i, X·s − p + j], with x taken
/// as 0 outside the image.
///
/// - Parameters:
///   - input: `[N, C, H, W]`.
///   - weight: `[O, C, kh, kw]`.
/// - Returns: `[N, O, Ho, Wo]`.
public func directConv2d(
  _ input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0
) -> Tensor {
  let g = convGeometry(
    input: input.shape, weight: weight.shape, stride: stride, padding: padding, "directConv2d")
  let (batch, outChannels) = (input.shape[0], weight.shape[0])
  let (kh, kw, outH, outW) = (g.kernelHeight, g.kernelWidth, g.outputHeight, g.outputWidth)
  var output = Tensor.zeros([batch, outChannels, outH, outW])
  for n in 0..<batch {
    for o in 0..<outChannels {
      for y in 0..<outH {
        for x in 0..<outW {
          var sum: Float = 0
          for c in 0..<g.channels {
            for i in 0..<kh {
              for j in 0..<kw {
                let (row, column) = (y * stride - padding + i, x * stride - padding + j)
                if row >= 0 && row < g.height && column >= 0 && column < g.width {
                  sum += weight[o, c, i, j] * input[n, c, row, column]
                }
              }
            }
          }
          output[n, o, y, x] = sum
        }
      }
    }
  }
  return output
}

// book: direct-conv-transpose2d
/// y[n, o, Y·s − p + i, X·s − p + j] += w[c, o, i, j] · x[n, c, Y, X] for every input value
/// and kernel tap whose target lies inside the output.
///
/// - Parameters:
///   - input: `[N, Cin, H, W]`.
///   - weight: `[Cin, Cout, kh, kw]`.
/// - Returns: `[N, Cout, Ho, Wo]` with Ho = (H − 1)·s − 2p + kh + outputPadding.
public func directConvTranspose2d(
  _ input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0
) -> Tensor {
  check(
    input.rank == 4 && weight.rank == 4 && input.shape[1] == weight.shape[0],
    "directConvTranspose2d: input \(input.shape) and weight \(weight.shape) do not fit")
  let (batch, inChannels, height, width) =
    (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
  let (outChannels, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
  let outH = convTransposeOutputSize(
    height, kernelSize: kh, stride: stride, padding: padding, outputPadding: outputPadding)
  let outW = convTransposeOutputSize(
    width, kernelSize: kw, stride: stride, padding: padding, outputPadding: outputPadding)
  var output = Tensor.zeros([batch, outChannels, outH, outW])
  for n in 0..<batch {
    for c in 0..<inChannels {
      for y in 0..<height {
        for x in 0..<width {
          for o in 0..<outChannels {
            for i in 0..<kh {
              for j in 0..<kw {
                let (row, column) = (y * stride - padding + i, x * stride - padding + j)
                if row >= 0 && row < outH && column >= 0 && column < outW {
                  output[n, o, row, column] += weight[c, o, i, j] * input[n, c, y, x]
                }
              }
            }
          }
        }
      }
    }
  }
  return output
}
// book: end
