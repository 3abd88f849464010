import CBLAS
import Foundation

/// The kernels OpenBLAS chose for this processor when it loaded: "Haswell", "SkylakeX",
/// "Zen", …, or "Prescott", its oldest x86-64 kernels (SSE3 only).
public func blasKernels() -> String {
  String(cString: openblas_get_corename())
}

/// The kernels that OpenBLAS 0.3.21 can run on this processor, from the instruction sets
/// Linux lists for it: "SkylakeX" with AVX-512, "Haswell" with AVX2 and FMA; nil otherwise.
func fastestBLASKernels() -> String? {
  guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
  else { return nil }
  let flags = Set(line.split(separator: " ").map(String.init))
  if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) { return "SkylakeX" }
  if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
  return nil
}

/// Starts the program again with OpenBLAS's fast kernels when OpenBLAS did not know this
/// processor, and sets OpenBLAS's thread count to `threadCount`. Call it first thing in a
/// program that multiplies matrices.
///
/// OpenBLAS picks its kernels once, as the library loads, by the processor's model number. A
/// version older than the processor does not know it and falls back to its Prescott kernels:
/// Debian 12's OpenBLAS 0.3.21 does this on Intel's 2023 Xeons, where the generator's step then
/// takes 2.5 times as long. The environment variable `OPENBLAS_CORETYPE` overrides the choice,
/// but only at load time, so this sets it and replaces the process by a fresh run of the same
/// program with the same arguments (`execv` keeps the process id). It does not restart when
/// `OPENBLAS_CORETYPE` is already set, when OpenBLAS chose anything but Prescott, or when the
/// processor has neither AVX-512 nor AVX2.
// book: fast-blas-kernels
public func ensureFastBLASKernels() {
  if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
    blasKernels() == "Prescott", let kernels = fastestBLASKernels()
  {
    setenv("OPENBLAS_CORETYPE", kernels, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    // Only reached when execv failed: carry on with the slow kernels.
  }
  // OpenBLAS starts one thread per core; AUDIOPRIOR_THREADS sets every split, its own too.
  setBLASThreads(threadCount)
}
// book: end
