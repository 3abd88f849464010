import CFFTW
import Foundation

/// FFTW's planner (and its allocator and plan destruction, which touch the same tables) may
/// only be used by one thread at a time; executing distinct plans concurrently is safe.
/// Every `RealFFT` takes this lock to make or destroy its plans.
private let fftwPlanner = NSLock()

/// The FFT of a real signal of a fixed length N, by FFTW (`fftwf_plan_dft_r2c_1d` and its
/// inverse `fftwf_plan_dft_c2r_1d`).
///
/// The plans are made once, in `init`, on buffers from `fftwf_malloc` (aligned for SIMD), and
/// reused by every call. Plans use `FFTW_ESTIMATE`: FFTW picks the algorithm from a model of
/// the machine instead of timing candidates (`FFTW_MEASURE`). A measured plan may differ from
/// one run to the next with the load on the machine, and different algorithms round
/// differently, so the book's figures would not be reproducible to the bit. The measured plan
/// is faster (about 1.5× for N = 512 on the book's machine), but the FFT is only a quarter of
/// the STFT's time, so reproducibility costs the STFT less than 10 %.
///
/// One instance is not safe to use from two threads at once (the buffers are shared);
/// make one per thread.
///
/// https://www.fftw.org/fftw3_doc/One_002dDimensional-DFTs-of-Real-Data.html
public final class RealFFT {
  /// N, the number of real samples.
  public let size: Int
  /// N/2 + 1, the number of complex bins of the forward transform.
  public var bins: Int { size / 2 + 1 }

  /// The real side: N samples.
  let input: UnsafeMutableBufferPointer<Float>
  /// The complex side, interleaved: bin k is `(spectrum[2k], spectrum[2k + 1])`.
  let spectrum: UnsafeMutableBufferPointer<Float>
  private let forwardPlan: OpaquePointer
  private let inversePlan: OpaquePointer

  // book: real-fft
  /// Plans both directions for N real samples.
  /// - Throws: `SpectralError.nonPositiveFFTSize` when `size < 1`.
  public init(size: Int) throws(SpectralError) {
    guard size > 0 else { throw .nonPositiveFFTSize(nFFT: size) }
    self.size = size
    let bins = size / 2 + 1
    fftwPlanner.lock()
    defer { fftwPlanner.unlock() }
    // fftwf_malloc returns memory aligned for FFTW's SIMD code; bound to Float once, here.
    let real = fftwf_malloc(size * MemoryLayout<Float>.stride)!.bindMemory(
      to: Float.self, capacity: size)
    let complex = fftwf_malloc(2 * bins * MemoryLayout<Float>.stride)!.bindMemory(
      to: Float.self, capacity: 2 * bins)
    input = UnsafeMutableBufferPointer(start: real, count: size)
    spectrum = UnsafeMutableBufferPointer(start: complex, count: 2 * bins)
    input.initialize(repeating: 0)
    spectrum.initialize(repeating: 0)
    // fftwf_complex is float[2]: the interleaved Float buffer has exactly its layout.
    let complexPointer = UnsafeMutableRawPointer(complex).assumingMemoryBound(
      to: fftwf_complex.self)
    guard
      let forward = fftwf_plan_dft_r2c_1d(Int32(size), real, complexPointer, FFTW_ESTIMATE),
      let inverse = fftwf_plan_dft_c2r_1d(Int32(size), complexPointer, real, FFTW_ESTIMATE)
    else {
      // FFTW only refuses to plan on invalid arguments, which the guard above excludes.
      preconditionFailure("FFTW could not plan a real transform of \(size) samples")
    }
    forwardPlan = forward
    inversePlan = inverse
  }
  // book: end

  deinit {
    fftwPlanner.lock()
    defer { fftwPlanner.unlock() }
    fftwf_destroy_plan(forwardPlan)
    fftwf_destroy_plan(inversePlan)
    fftwf_free(input.baseAddress)
    fftwf_free(spectrum.baseAddress)
  }

  /// `X[k] = Σₙ x[n] e^(-2πi·kn/N)`, k = 0 … N/2, as `dftDefinition`.
  /// - Precondition: `signal.count == size`.
  /// - Returns: `[N/2 + 1]` complex bins.
  public func forward(_ signal: [Float]) -> SplitComplex {
    precondition(signal.count == size, "RealFFT(size: \(size)) got \(signal.count) samples")
    _ = input.update(fromContentsOf: signal)
    executeForward()
    var result = SplitComplex(count: bins)
    for k in 0..<bins {
      result.real[k] = spectrum[2 * k]
      result.imag[k] = spectrum[2 * k + 1]
    }
    return result
  }

  /// The real signal whose forward transform is `spectrum`:
  /// `x[n] = (1/N) Σₖ X[k] e^(2πi·kn/N)` over all N bins, the missing ones being conjugates.
  /// The imaginary parts of bin 0 (and of bin N/2 for even N) are ignored, as a real signal
  /// cannot have them.
  /// - Precondition: `spectrum.count == size / 2 + 1`.
  /// - Returns: `[N]` samples.
  public func inverse(_ spectrum: SplitComplex) -> [Float] {
    precondition(spectrum.count == bins, "RealFFT(size: \(size)) got \(spectrum.count) bins")
    for k in 0..<bins {
      self.spectrum[2 * k] = spectrum.real[k]
      self.spectrum[2 * k + 1] = spectrum.imag[k]
    }
    executeInverse()
    // FFTW's inverse is unnormalised: it returns N times the signal.
    let scale = 1 / Float(size)
    return input.map { $0 * scale }
  }

  /// Transforms `input` into `spectrum` in place of both.
  func executeForward() { fftwf_execute(forwardPlan) }

  /// Transforms `spectrum` into `input`, times N; overwrites `spectrum` (FFTW's c2r does).
  func executeInverse() { fftwf_execute(inversePlan) }
}
