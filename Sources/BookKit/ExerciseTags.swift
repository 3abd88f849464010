import Foundation

// Which tests check an exercise is said once, in the tests: each test (or suite) that checks
// exercise `hann-window` carries the Swift Testing tag `.hannWindow`. The tools read the tags
// back from `swift test list`'s event stream, where a suite's tags are listed on the suite
// only, so a test's tags are its own and those of every suite around it.

/// The Swift Testing tag of the exercise `name`: its words in lower camel case,
/// `hann-window` → `hannWindow`, `si-sdr` → `siSdr`.
public func exerciseTag(_ name: String) -> String {
  let words = name.split(separator: "-").map(String.init)
  guard let first = words.first else { return "" }
  return first + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

/// One test function of the package, as `swift test list` describes it.
public struct ListedTest: Equatable, Sendable {
  /// The full identifier, `Target.Suite/function(labels:)/File.swift:line:column`, which a
  /// `swift test --filter` pattern matches.
  public let id: String
  /// The function's name, `periodicHannMatchesTorchValues()`.
  public let name: String
  /// Its tags and those of the suites around it, without the leading dot.
  public let tags: Set<String>

  public init(id: String, name: String, tags: Set<String>) {
    self.id = id
    self.name = name
    self.tags = tags
  }

  /// Whether the test belongs to a suite of chapter `n`: its type's name starts with
  /// `Chapter03` for 3, as every checkpoint's test file and type are named.
  public func belongs(toChapter n: Int) -> Bool {
    let afterTarget = id.split(separator: ".", maxSplits: 1).last ?? ""
    return afterTarget.hasPrefix(checkpointName(chapter: n))
  }
}

/// The test functions of an event stream written by `swift test list
/// --experimental-event-stream-output` (JSON lines) with the environment variable
/// `SWT_EXPERIMENTAL_EVENT_STREAM_FIELDS_ENABLED=1`, which adds each record's `_tags`.
///
/// - Throws: `BookError` when a line is not a JSON object.
public func listedTests(fromEventStream text: String) throws -> [ListedTest] {
  var suites: [String: Set<String>] = [:]
  var functions: [(id: String, name: String, tags: Set<String>)] = []
  for line in text.split(separator: "\n") where !line.isEmpty {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
      let record = object as? [String: Any]
    else { throw BookError("the test listing has a line that is not JSON: \(line.prefix(80))") }
    guard record["kind"] as? String == "test", let test = record["payload"] as? [String: Any],
      let id = test["id"] as? String
    else { continue }
    let tags = Set((test["_tags"] as? [String] ?? []).map { String($0.drop(while: { $0 == "." })) })
    if test["kind"] as? String == "suite" {
      suites[id] = tags
    } else {
      functions.append((id, test["name"] as? String ?? id, tags))
    }
  }
  return functions.map { function in
    // A suite encloses the test when its identifier and a slash begin the test's.
    let inherited = suites.filter { function.id.hasPrefix($0.key + "/") }.values
    return ListedTest(
      id: function.id, name: function.name,
      tags: inherited.reduce(function.tags) { $0.union($1) })
  }.sorted { $0.id < $1.id }
}

/// A `swift test --filter` pattern that matches exactly the tests `ids` name: each
/// identifier with the regular expression's special characters escaped, joined by `|`.
public func testFilter(matching ids: [String]) -> String {
  let special = Set("\\^$.|?*+()[]{}")
  return ids.map { id in
    String(id.flatMap { special.contains($0) ? ["\\", $0] : [$0] })
  }.joined(separator: "|")
}
