import Foundation

/// The number of threads that work is split over: `AUDIOPRIOR_THREADS` when it is set to a
/// positive whole number, otherwise the cores this process may use. Read once, as the
/// program starts; every split (the fast path's team, its loops, its GEMMs, and OpenBLAS's
/// threads from `ensureFastBLASKernels()` on) follows it, so a test or a program can run with
/// more parts than the machine has cores.
public let threadCount: Int = {
  if let text = ProcessInfo.processInfo.environment["AUDIOPRIOR_THREADS"] {
    guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count >= 1 else {
      fatalError("AUDIOPRIOR_THREADS=\(text): expected a whole number of threads, 1 or more")
    }
    return count
  }
  return max(1, ProcessInfo.processInfo.activeProcessorCount)
}()
