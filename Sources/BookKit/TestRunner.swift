import Foundation

/// Builds and runs the tests of a package folder through `swift build` and `swift test`, each
/// command its own process, so that one test that stops the process (an unsolved exercise's
/// `fatalError`) stops only the tests run with it.
public struct TestRunner {
  /// The package root.
  public let folder: URL
  /// Where each command's output goes; the caller prints it when a command fails.
  public let log: URL

  public init(folder: URL) {
    self.folder = folder
    log = FileManager.default.temporaryDirectory
      .appendingPathComponent("book-tests-\(UUID().uuidString).log")
  }

  /// The last `count` lines of the latest command's output.
  public func logTail(_ count: Int = 30) -> String {
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count)
      .joined(separator: "\n")
  }

  /// Runs `swift arguments` in the folder with its output in `log`.
  /// - Returns: the exit status (a signal's number for a process it ended).
  @discardableResult
  public func swift(_ arguments: [String], environment: [String: String] = [:]) throws -> Int32 {
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
      throw BookError("cannot write \(log.path)")
    }
    let output = try FileHandle(forWritingTo: log)
    defer { try? output.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["swift"] + arguments
    process.currentDirectoryURL = folder
    // A crashing test must end at once rather than wait on the backtracer.
    process.environment = ProcessInfo.processInfo.environment
      .merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }.merging(environment) { $1 }
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Builds the package and its tests.
  /// - Throws: `BookError` with the end of the build's output when it fails.
  public func build() throws {
    guard try swift(["build", "--build-tests"]) == 0 else {
      throw BookError("\(folder.path): the build fails:\n\(logTail())")
    }
  }

  /// Every test function of the built package, with its tags.
  public func listTests() throws -> [ListedTest] {
    let events = temporaryFile("jsonl")
    defer { try? FileManager.default.removeItem(at: events) }
    let status = try swift(
      ["test", "list", "--skip-build", "--experimental-event-stream-output", events.path],
      environment: ["SWT_EXPERIMENTAL_EVENT_STREAM_FIELDS_ENABLED": "1"])
    guard status == 0, let text = try? String(contentsOf: events, encoding: .utf8) else {
      throw BookError("\(folder.path): `swift test list` fails:\n\(logTail())")
    }
    return try listedTests(fromEventStream: text)
  }

  /// Runs exactly `tests`, in one process.
  /// - Returns: the identifiers of those that ended with no issue recorded; whether the
  ///   process stopped before every test ended (a crash, such as a `fatalError`); and the
  ///   exercises whose placeholder `fatalError("Exercise NAME: …")` it reports.
  public func run(_ tests: [ListedTest]) throws -> TestRun {
    guard !tests.isEmpty else { return TestRun(passed: [], stopped: false, stoppedBy: []) }
    let events = temporaryFile("jsonl")
    defer { try? FileManager.default.removeItem(at: events) }
    let status = try swift([
      "test", "--skip-build", "--filter", testFilter(matching: tests.map(\.id)),
      "--experimental-event-stream-output", events.path,
    ])
    let text = (try? String(contentsOf: events, encoding: .utf8)) ?? ""
    var ended: Set<String> = []
    var failed: Set<String> = []
    for line in text.split(separator: "\n") {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
        let payload = (object as? [String: Any])?["payload"] as? [String: Any],
        let id = payload["testID"] as? String
      else { continue }
      switch payload["kind"] as? String {
      case "testEnded": ended.insert(id)
      case "issueRecorded": failed.insert(id)
      default: break
      }
    }
    let passed = Set(tests.map(\.id)).intersection(ended).subtracting(failed)
    let stopped = !Set(tests.map(\.id)).isSubset(of: ended)
    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    let exercises = output.matches(of: #/Fatal error: Exercise ([A-Za-z0-9-]+): /#).map {
      String($0.1)
    }
    // A process that exits with an error has failed somewhere, even if every test it ran
    // says otherwise.
    return TestRun(
      passed: status != 0 && passed.count == tests.count ? [] : passed, stopped: stopped,
      stoppedBy: Array(Set(exercises)).sorted())
  }

  /// What one run of some tests gave.
  public struct TestRun: Sendable {
    public let passed: Set<String>
    public let stopped: Bool
    public let stoppedBy: [String]

    public init(passed: Set<String>, stopped: Bool, stoppedBy: [String]) {
      self.passed = passed
      self.stopped = stopped
      self.stoppedBy = stoppedBy
    }
  }

  private func temporaryFile(_ suffix: String) -> URL {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("book-\(UUID().uuidString).\(suffix)")
  }
}
