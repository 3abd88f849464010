import Foundation

extension BookProject {
  /// What the exercise copy contains: the package, the book and the data; not the build.
  static let exerciseEntries = [
    "Package.swift", "Makefile", "README.md", "book.md", ".swift-format",
    "Sources", "Chapters", "Tests", "Tools", "Benchmarks", "data", "figures",
  ]

  /// Every solution region under Sources/, by file; names are unique across the package.
  public func solutions() throws -> [(file: String, regions: [SolutionRegion])] {
    var seen: [String: String] = [:]
    var all: [(file: String, regions: [SolutionRegion])] = []
    for file in sourceFiles() {
      let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      let regions = try solutionRegions(in: text, file: file)
      for region in regions {
        if let other = seen[region.name] {
          throw BookError("\(file): solution \(region.name) is also defined in \(other)")
        }
        seen[region.name] = file
      }
      if !regions.isEmpty { all.append((file, regions)) }
    }
    return all
  }

  /// Writes the classroom copy of the package into `folder` (replaced if it exists): every
  /// solution region in Sources/ becomes a `fatalError` that names the exercise.
  ///
  /// - Returns: the number of exercises written.
  @discardableResult
  public func writeExerciseCopy(to folder: URL) throws -> Int {
    let files = FileManager.default
    try? files.removeItem(at: folder)
    try files.createDirectory(at: folder, withIntermediateDirectories: true)
    for entry in Self.exerciseEntries {
      let source = root.appendingPathComponent(entry)
      if files.fileExists(atPath: source.path) {
        try files.copyItem(at: source, to: folder.appendingPathComponent(entry))
      }
    }
    var count = 0
    for (file, regions) in try solutions() {
      let source = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      let exercise = try exerciseVersion(of: source, file: file)
      try exercise.write(
        to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
      count += regions.count
    }
    return count
  }
}
