/// The iterations at which a fit's loss spikes: those whose loss lies more than `rise` times
/// above the lowest loss of the `window` iterations before them.
///
/// Full-batch Adam, as in the prior fit, does not settle into a minimum: once the loss has
/// flattened, a step of about the learning rate in every parameter overshoots now and then
/// and the loss jumps, to recover over the next few iterations. This counts such iterations
/// (each iteration of a spike counts), so that fits can be compared by how often it happens.
/// - Parameters:
///   - losses: the loss at iterations 0, 1, ….
///   - after: only iterations above this one count.
///   - window: the iterations before each one that its loss is compared with, positive.
///   - rise: the factor, above 1 (1.1: 10 % above).
/// - Returns: the spiking iterations, in order.
public func lossSpikes(_ losses: [Float], after: Int = 0, window: Int = 10, rise: Float = 1.1)
  -> [Int]
{
  precondition(window > 0 && rise > 1, "window \(window) and rise \(rise)")
  let first = max(window, after + 1)
  guard first < losses.count else { return [] }
  return (first..<losses.count).filter { i in
    losses[i] > rise * losses[(i - window)..<i].min()!
  }
}
