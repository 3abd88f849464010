import Foundation
import Testing

/// Runs `body` with a fresh empty folder, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("audioprior-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: folder) }
  return try body(folder)
}

/// The bytes of a canonical 44-byte-header WAV file, built by hand from the RIFF layout
/// (format tag 1 = integer PCM, 3 = IEEE float), as an independent reference for the reader.
func wavBytes(
  formatTag: UInt16, channels: UInt16, sampleRate: UInt32, bitsPerSample: UInt16, data: [UInt8]
) -> [UInt8] {
  func le<T: FixedWidthInteger>(_ x: T) -> [UInt8] {
    withUnsafeBytes(of: x.littleEndian) { Array($0) }
  }
  let blockAlign = channels * bitsPerSample / 8
  var bytes = Array("RIFF".utf8) + le(UInt32(36 + data.count)) + Array("WAVE".utf8)
  bytes += Array("fmt ".utf8) + le(UInt32(16)) + le(formatTag) + le(channels)
  bytes += le(sampleRate) + le(sampleRate * UInt32(blockAlign)) + le(blockAlign)
  bytes += le(bitsPerSample) + Array("data".utf8) + le(UInt32(data.count)) + data
  return bytes
}

/// The data chunk of a WAV file's bytes, found by walking the RIFF chunks.
func wavDataChunk(_ bytes: [UInt8]) -> [UInt8]? {
  var offset = 12
  while offset + 8 <= bytes.count {
    let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
    let size = bytes[(offset + 4)..<(offset + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
    if id == "data" { return Array(bytes[(offset + 8)..<min(bytes.count, offset + 8 + size)]) }
    offset += 8 + size + size % 2
  }
  return nil
}

/// The amplitude of the sinusoid at `frequency` Hz in `x`, by a least-squares fit of
/// `a sin + b cos + c` (the normal equations solved directly): `√(a² + b²)`.
func fittedAmplitude(_ x: [Float], frequency: Double, sampleRate: Int) -> Double {
  let w = 2 * Double.pi * frequency / Double(sampleRate)
  // Sums for the 3×3 normal equations of the basis (sin, cos, 1).
  var g = [[Double]](repeating: [0, 0, 0], count: 3)
  var rhs = [0.0, 0.0, 0.0]
  for (n, value) in x.enumerated() {
    let basis = [sin(w * Double(n)), cos(w * Double(n)), 1]
    for i in 0..<3 {
      rhs[i] += basis[i] * Double(value)
      for j in 0..<3 { g[i][j] += basis[i] * basis[j] }
    }
  }
  // Gaussian elimination on a 3×3 symmetric positive definite system.
  for col in 0..<3 {
    for row in (col + 1)..<3 {
      let f = g[row][col] / g[col][col]
      for k in col..<3 { g[row][k] -= f * g[col][k] }
      rhs[row] -= f * rhs[col]
    }
  }
  var solution = [0.0, 0.0, 0.0]
  for row in stride(from: 2, through: 0, by: -1) {
    var s = rhs[row]
    for k in (row + 1)..<3 { s -= g[row][k] * solution[k] }
    solution[row] = s / g[row][row]
  }
  return (solution[0] * solution[0] + solution[1] * solution[1]).squareRoot()
}

/// The middle of `x`, without `fraction` of its length at each end (filter edge effects).
func interior(_ x: [Float], dropping fraction: Double = 0.1) -> [Float] {
  let margin = Int(Double(x.count) * fraction)
  return Array(x[margin..<(x.count - margin)])
}

/// The averaged periodogram (Welch: Hann-windowed segments of `length`, half overlapping) by
/// a plain DFT, bins 0 ..< bins, as a two-sided density whose mean over frequency is the
/// signal's variance.
func welchSpectrum(_ x: [Float], length: Int, bins: Int) -> [Double] {
  let window = (0..<length).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(length)) }
  let windowPower = window.reduce(0) { $0 + $1 * $1 }
  var cosines = [Double](repeating: 0, count: length)
  var sines = [Double](repeating: 0, count: length)
  for k in 0..<length {
    cosines[k] = cos(2 * Double.pi * Double(k) / Double(length))
    sines[k] = sin(2 * Double.pi * Double(k) / Double(length))
  }
  var spectrum = [Double](repeating: 0, count: bins)
  var segments = 0
  var start = 0
  var segment = [Double](repeating: 0, count: length)
  while start + length <= x.count {
    for n in 0..<length { segment[n] = Double(x[start + n]) * window[n] }
    for k in 0..<bins {
      var re = 0.0
      var im = 0.0
      for n in 0..<length {
        let index = (k * n) % length
        re += segment[n] * cosines[index]
        im -= segment[n] * sines[index]
      }
      spectrum[k] += (re * re + im * im) / windowPower
    }
    segments += 1
    start += length / 2
  }
  return spectrum.map { $0 / Double(segments) }
}
