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

  /// Writes the classroom copy of the package into `folder`: each solution region of
  /// `chapter` (of every chapter when nil) becomes a `fatalError` that names the exercise,
  /// and book.md is the student's edition, its excerpts taken from the copy's sources.
  ///
  /// A file already in `folder` with the right contents is left alone and its `.build` is
  /// kept, so that one folder rewritten for another chapter rebuilds only what changed.
  ///
  /// - Parameter only: the one exercise to remove, when not nil (the others stay solved).
  /// - Returns: the number of exercises written.
  @discardableResult
  public func writeExerciseCopy(
    to folder: URL, chapter: Int? = nil, only: String? = nil
  ) throws -> Int {
    let chapters = try exerciseChapters()
    if let chapter, !self.chapters().contains(chapter) {
      throw BookError("book.md has no chapter \(chapter); it has \(self.chapters())")
    }
    if let only, chapters[only] == nil {
      throw BookError("no solution is named \(only); see `grep -rn \"BEGIN SOLUTION\" Sources`")
    }
    var sources: [String: String] = [:]
    var count = 0
    for (file, _) in try solutions() {
      let source = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      let exercise = try exerciseVersion(of: source, file: file) { region in
        guard let own = chapters[region.name], chapter == nil || chapter == own,
          only == nil || only == region.name
        else {
          return nil
        }
        count += 1
        return checkpointCommand(chapter: own)
      }
      sources[file] = exercise
    }
    let studentBook = try refreshedBook(book) { [sources] path, name in
      guard let text = sources[path] else { return try region(path, name) }
      guard let region = try sourceRegions(in: text, file: path)[name] else {
        throw BookError("book.md shows \(path)#\(name), which the exercise copy lacks")
      }
      return region
    }
    sources["book.md"] = studentBook
    try synchronise(folder, contents: sources.mapValues { Data($0.utf8) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let list = try encoder.encode(exerciseList())
    let listFile = folder.appendingPathComponent(Self.exerciseListFile)
    if FileManager.default.contents(atPath: listFile.path) != list {
      try list.write(to: listFile)
    }
    return count
  }

  /// Makes the exercise entries of `folder` equal those of the root, with `contents` in place
  /// of the files it names: writes only files that differ, removes files the root lacks.
  private func synchronise(_ folder: URL, contents: [String: Data]) throws {
    let files = FileManager.default
    var wanted: [String: URL] = [:]
    for entry in Self.exerciseEntries {
      for file in filesUnder(root, entry) {
        wanted[file] = root.appendingPathComponent(file)
      }
    }
    for existing in Self.exerciseEntries.flatMap({ filesUnder(folder, $0) })
    where wanted[existing] == nil {
      try files.removeItem(at: folder.appendingPathComponent(existing))
    }
    for (file, source) in wanted {
      let data = try contents[file] ?? Data(contentsOf: source)
      let target = folder.appendingPathComponent(file)
      if files.contents(atPath: target.path) == data { continue }
      try? files.removeItem(at: target)
      try files.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      // A copy keeps the file's permissions (data/make-speech.sh runs as a program).
      if contents[file] == nil {
        try files.copyItem(at: source, to: target)
      } else {
        try data.write(to: target)
      }
    }
  }

  /// The regular files of `entry` (a file or a folder) under `base`, relative to `base`.
  private func filesUnder(_ base: URL, _ entry: String) -> [String] {
    let files = FileManager.default
    var isFolder: ObjCBool = false
    let path = base.appendingPathComponent(entry).path
    guard files.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
    guard isFolder.boolValue else { return [entry] }
    var found: [String] = []
    let walker = files.enumerator(atPath: path)
    while let file = walker?.nextObject() as? String {
      var isSubfolder: ObjCBool = false
      guard files.fileExists(atPath: path + "/" + file, isDirectory: &isSubfolder),
        !isSubfolder.boolValue
      else { continue }
      found.append(entry + "/" + file)
    }
    return found
  }
}
