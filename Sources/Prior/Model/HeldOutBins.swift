import Random

/// A seeded choice of time-frequency tiles to leave out of a fit, `[rows, frames]`: true
/// where a bin is held out.
///
/// The spectrogram is cut into tiles of `tileRows × tileFrames` and each tile is held out
/// with probability `fraction`. Tiles, not single bins, because neighbouring STFT values are
/// not independent: frames overlap by 3/4 of their samples at hop nFFT/4, and the Hann
/// window's main lobe spreads one frequency over four bins. A single held-out bin could be
/// predicted from its neighbours' noise; a tile 4 frames wide shares no samples with the
/// frames beyond it on each side but the tile's own.
public func heldOutTiles(
  rows: Int, frames: Int, fraction: Double, tileRows: Int = 8, tileFrames: Int = 4,
  seed: UInt64
) -> [Bool] {
  precondition(fraction >= 0 && fraction < 1, "fraction \(fraction) is not in [0, 1)")
  precondition(tileRows > 0 && tileFrames > 0, "tiles \(tileRows) × \(tileFrames)")
  var generator = Xoshiro256(seed: seed)
  var mask = [Bool](repeating: false, count: rows * frames)
  for f0 in stride(from: 0, to: rows, by: tileRows) {
    for t0 in stride(from: 0, to: frames, by: tileFrames) where generator.uniform() < fraction {
      for f in f0..<min(f0 + tileRows, rows) {
        for t in t0..<min(t0 + tileFrames, frames) { mask[f * frames + t] = true }
      }
    }
  }
  return mask
}
