import Audio
import ChapterSupport

/// Chapter 1: the resampler's polyphase table against evaluating the kernel at every tap.
func chapter01Benchmarks() throws -> [BenchRow] {
  let seconds = 10.0
  var rows: [BenchRow] = []
  for (inputRate, outputRate) in [(48000, 16000), (44100, 16000)] {
    let resampler = try Resampler(from: inputRate, to: outputRate)
    let signal = whiteNoise(count: Int(seconds * Double(inputRate)), seed: 1)
    let table = medianSeconds(repeats: 5) { _ = resampler.resample(signal) }
    // The direct twin is slow: one run of a tenth of the signal, scaled up.
    let short = Array(signal.prefix(signal.count / 10))
    let direct = 10 * medianSeconds(repeats: 1) { _ = resampler.resampleDirectly(short) }
    let what = "resample \(kiloHertz(inputRate)) → \(kiloHertz(outputRate)) kHz"
    rows.append(
      BenchRow(
        what: "\(what), polyphase table", size: "\(Int(seconds)) s, \(resampler.taps) taps",
        seconds: table, rate: "\(fixed(seconds / table, 0))× real time",
        ofReference: "\(fixed(direct / table, 1))× faster than direct"))
    rows.append(
      BenchRow(
        what: "\(what), kernel per tap (direct)", size: "\(Int(seconds)) s",
        seconds: direct, rate: "\(fixed(seconds / direct, 0))× real time"))
  }
  return rows
}

/// 48000 as "48", 44100 as "44.1".
private func kiloHertz(_ rate: Int) -> String {
  rate % 1000 == 0 ? "\(rate / 1000)" : "\(Double(rate) / 1000)"
}
