/// The mean of each row of a row-major image, summed in Double: how a spectrogram, an image
/// or a gain behaves along frequency, e.g. in the top rows at the generator's border.
/// - Parameters:
///   - values: `[rows, frames]` row-major.
///   - frames: values per row, positive.
/// - Returns: `[rows]`.
public func rowMeans(_ values: [Float], frames: Int) -> [Double] {
  precondition(frames > 0 && values.count % frames == 0, "values are not [rows, frames]")
  return stride(from: 0, to: values.count, by: frames).map { start in
    values[start..<(start + frames)].reduce(0.0) { $0 + Double($1) } / Double(frames)
  }
}
