import Audio
import Denoising
import Prior
import Spectral

/// What can go wrong when building or scoring an evaluation set; each case names the value
/// and the cause. Errors of the layers below are passed on wrapped, with their own messages.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A parameter is out of range; `argument` names it (a clip, a list of clips).
  case invalidArgument(argument: String, reason: String)
  /// Reading a clip or scoring an output failed.
  case audio(AudioError)
  /// A spectrogram of an item could not be taken.
  case spectral(SpectralError)
  /// A prior fit or its reconstruction failed.
  case prior(PriorError)
  /// The denoising pipeline refused an item.
  case denoise(DenoiseError)
  /// A method under evaluation failed with an error of its own.
  case methodFailed(reason: String)

  public var description: String {
    switch self {
    case .invalidArgument(let argument, let reason): "\(argument): \(reason)"
    case .audio(let error): error.description
    case .spectral(let error): error.description
    case .prior(let error): error.description
    case .denoise(let error): error.description
    case .methodFailed(let reason): "the method failed: \(reason)"
    }
  }
}

/// Runs `body`, passing an error of a layer below on wrapped in its `EvaluationError` case.
func wrappingErrors<T>(_ body: () throws -> T) throws(EvaluationError) -> T {
  do {
    return try body()
  } catch let error as EvaluationError {
    throw error
  } catch let error as AudioError {
    throw .audio(error)
  } catch let error as SpectralError {
    throw .spectral(error)
  } catch let error as PriorError {
    throw .prior(error)
  } catch let error as DenoiseError {
    throw .denoise(error)
  } catch {
    throw .methodFailed(reason: "\(error)")
  }
}
