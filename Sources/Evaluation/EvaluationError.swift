/// What can go wrong when building or scoring an evaluation set; each case names the value
/// and the cause.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A parameter is out of range; `argument` names it (a clip, a list of clips).
  case invalidArgument(argument: String, reason: String)

  public var description: String {
    switch self {
    case .invalidArgument(let argument, let reason): "\(argument): \(reason)"
    }
  }
}
