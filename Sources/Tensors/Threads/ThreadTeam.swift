import Foundation
import Synchronization

// The library's own threads, for work split over the cores (Parallel.swift). A step of the
// 256 × 256 generator is some forty short pieces of work (a GEMM, a batch norm, a column
// scatter), each 0.1 to 1 ms. Handing each piece to a thread pool that parks its threads
// between pieces costs tens of microseconds per wake-up, and OpenBLAS's own threads spin
// after every GEMM, competing with any other thread for the second core. So the library
// keeps its own team: the calling thread and one worker per further core, which spins for a
// short while after each piece (ready for the next one within a microsecond), then yields
// its core between checks, and sleeps only when no work comes for a few milliseconds.

/// The calling thread plus `size − 1` worker threads that run one task at a time together.
public final class ThreadTeam: @unchecked Sendable {
  /// The team every split of the library uses: `threadCount` members (one per core unless
  /// `AUDIOPRIOR_THREADS` says otherwise).
  public static let shared = ThreadTeam(size: threadCount)

  /// The number of members, the calling thread included.
  public let size: Int
  /// Runs each task by `DispatchQueue.concurrentPerform` over `size` members instead of on
  /// the team's own threads: the simpler alternative, kept for the benchmark to measure
  /// against. Change it only while no task runs.
  public var usesConcurrentPerform = false
  /// Incremented for every task; a worker runs the task when it sees a new value.
  private let generation = Atomic<Int>(0)
  /// Each worker's state.
  private let workers: [Worker]
  /// The current task; written before `generation` is incremented, read after.
  private var task: ((Int) -> Void)?
  /// Set while a task runs.
  private let busy = Atomic<Bool>(false)
  /// Seconds of spinning before an idle worker goes to sleep: longer than the gaps between
  /// the pieces of a training step, so that a worker sleeps only when training stops.
  private let spinSeconds = 0.005
  /// Seconds of spinning without yielding: the typical gap between two pieces of a step.
  private let pureSpinSeconds = 0.0005

  /// Whether the tasks started by this thread run on it alone (see `alone`).
  @TaskLocal private static var runsAlone = false

  /// Runs `body` with every team task it starts run member after member on the calling
  /// thread: the same split, so the same numbers, on one core. Several such calls on
  /// different threads run side by side, each on its own core (e.g. one segment per thread).
  public static func alone<R>(_ body: () throws -> R) rethrows -> R {
    try $runsAlone.withValue(true, operation: body)
  }

  /// A team of `size` members (at least 1): the calling thread and `size − 1` new threads.
  public init(size: Int) {
    self.size = max(1, size)
    workers = (0..<max(0, size - 1)).map { _ in Worker() }
    for index in 0..<(self.size - 1) {
      let thread = Thread { [self] in self.workerLoop(index) }
      thread.name = "AudioPrior worker \(index + 1)"
      thread.start()
    }
  }

  /// Runs `body(member)` for every member 0..<size at once, member 0 on the calling thread,
  /// and returns when all have finished. The calls must write disjoint memory.
  ///
  /// When the team is already busy (a task started from inside a task, or from another
  /// thread at the same time), the calls run one after the other on the calling thread:
  /// the same results, without the second core. So do they inside `ThreadTeam.alone`.
  public func run(_ body: (Int) -> Void) {
    if Self.runsAlone {
      for member in 0..<size { body(member) }
      return
    }
    let (started, _) = busy.compareExchange(
      expected: false, desired: true, ordering: .acquiring)
    guard started && size > 1 else {
      if started { busy.store(false, ordering: .releasing) }
      for member in 0..<size { body(member) }
      return
    }
    // The task does not escape: run returns only after every worker has finished it.
    withoutActuallyEscaping(body) { body in
      task = body
      if usesConcurrentPerform {
        DispatchQueue.concurrentPerform(iterations: size) { [self] member in task!(member) }
        task = nil
        return
      }
      let current = generation.add(1, ordering: .sequentiallyConsistent).newValue
      for worker in workers where worker.sleeping.load(ordering: .sequentiallyConsistent) {
        worker.wakeUp.signal()
      }
      body(0)
      for worker in workers {
        // Spin briefly, then yield: if another process holds the worker's core, a thread
        // that only spins would keep its own core busy for a whole time slice.
        var spins = 0
        while worker.finished.load(ordering: .acquiring) != current {
          spins += 1
          if spins > 20_000 { sched_yield() }
        }
      }
      task = nil
    }
    busy.store(false, ordering: .releasing)
  }

  private func workerLoop(_ index: Int) {
    let worker = workers[index]
    var seen = 0
    while true {
      var spins = 0
      var idleSince = 0.0
      while generation.load(ordering: .acquiring) == seen {
        // Spin for `pureSpinSeconds`, then yield the core between checks (to another
        // process that needs it), and sleep after `spinSeconds`. The clock is read only
        // every 256 checks: it costs more than a load.
        spins += 1
        if spins & 255 != 0 { continue }
        let now = monotonicSeconds()
        if idleSince == 0 { idleSince = now }
        if now - idleSince < pureSpinSeconds { continue }
        sched_yield()
        if now - idleSince < spinSeconds { continue }
        // Nothing for a while: sleep. The store and the load are sequentially consistent
        // with the submitter's increment and load, so either this thread sees the new
        // task or the submitter sees it asleep and wakes it.
        worker.sleeping.store(true, ordering: .sequentiallyConsistent)
        if generation.load(ordering: .sequentiallyConsistent) == seen {
          worker.wakeUp.wait()
        }
        worker.sleeping.store(false, ordering: .sequentiallyConsistent)
        idleSince = 0
        spins = 0
      }
      seen = generation.load(ordering: .acquiring)
      task!(index + 1)
      worker.finished.store(seen, ordering: .releasing)
    }
  }

  /// One worker's flags.
  private final class Worker: Sendable {
    /// The generation it last finished.
    let finished = Atomic<Int>(0)
    /// Whether it is asleep and must be woken.
    let sleeping = Atomic<Bool>(false)
    let wakeUp = DispatchSemaphore(value: 0)
  }
}
