import Foundation

/// A fixed number of worker threads that run submitted work in the order it was submitted:
/// the "jobs" of `denoise --jobs N`, shared by every recording being denoised at once.
///
/// Each worker runs its whole life inside `around`, so a setting that `around` binds to the
/// thread holds for every piece of work it runs. The `denoise` command passes
/// `ThreadTeam.alone` when there is more than one job: then each job computes on its own
/// core, with the same numbers as one job on the whole thread team.
public final class JobPool: @unchecked Sendable {
  /// The number of worker threads.
  public let jobs: Int
  private let condition = NSCondition()
  /// Work not yet started: `queue[head...]` (started work is set to nil, which frees what it
  /// holds at once).
  private var queue: [(@Sendable () -> Void)?] = []
  private var head = 0
  private var closed = false

  /// Starts `jobs` workers (at least one), each running inside `around`.
  public init(
    jobs: Int, around: @escaping @Sendable (() -> Void) -> Void = { body in body() }
  ) {
    self.jobs = max(1, jobs)
    for index in 0..<self.jobs {
      let thread = Thread { [self] in around { self.workerLoop() } }
      thread.name = "AudioPrior job \(index + 1)"
      // As much stack as the main thread has: a job runs what a program runs on it.
      thread.stackSize = 8 << 20
      thread.start()
    }
  }

  /// Lets the workers end once the work already submitted is done; nothing more may come.
  public func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// Queues `work`; a worker runs it when the work submitted before it has started.
  public func submit(_ work: @escaping @Sendable () -> Void) {
    condition.lock()
    precondition(!closed, "JobPool: submit after close")
    queue.append(work)
    condition.signal()
    condition.unlock()
  }

  private func workerLoop() {
    while true {
      condition.lock()
      while head == queue.count && !closed { condition.wait() }
      if head == queue.count {
        condition.unlock()
        return
      }
      let work = queue[head]!
      queue[head] = nil
      head += 1
      // Drop the started slots now and then, so that the queue does not grow with the run.
      if head > 1024 && head * 2 > queue.count {
        queue.removeFirst(head)
        head = 0
      }
      condition.unlock()
      work()
    }
  }
}

/// Counts the pieces of work a waiter submitted that have finished, so that it can sleep
/// until the next one does without missing any.
final class Completions: @unchecked Sendable {
  private let condition = NSCondition()
  private var finished = 0

  /// The number finished so far.
  var count: Int {
    condition.lock()
    defer { condition.unlock() }
    return finished
  }

  func signal() {
    condition.lock()
    finished += 1
    condition.broadcast()
    condition.unlock()
  }

  /// Returns once more than `seen` pieces have finished.
  func wait(past seen: Int) {
    condition.lock()
    while finished <= seen { condition.wait() }
    condition.unlock()
  }
}

/// The result of one piece of work submitted to a `JobPool`, set once by the worker.
final class JobResult<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var result: Result<Value, DenoiseError>?

  /// Runs `work` on `pool`; `completions` is signalled when it has finished.
  init(
    on pool: JobPool, signalling completions: Completions,
    _ work: @escaping @Sendable () throws(DenoiseError) -> Value
  ) {
    pool.submit { [self] in
      let outcome: Result<Value, DenoiseError>
      do throws(DenoiseError) { outcome = .success(try work()) } catch { outcome = .failure(error) }
      lock.withLock { result = outcome }
      completions.signal()
    }
  }

  /// The result, once the work has finished; nil before.
  var outcome: Result<Value, DenoiseError>? { lock.withLock { result } }
}
