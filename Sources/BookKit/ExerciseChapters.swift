import Foundation

// A region's chapter is the chapter whose section of book.md shows it: the `## Chapter N:`
// heading above the excerpt whose source region contains the solution region. That is where
// the student meets the exercise, and it needs no second record beside the book. The few
// regions no excerpt shows name their chapter in the marker instead.

/// The chapter of each line of the book: N under `## Chapter N: …`, nil under any other
/// `## ` heading (the preface, the limits, the references) and before the first.
func chapterOfLines(in book: String) -> [Int?] {
  var chapter: Int?
  return book.split(separator: "\n", omittingEmptySubsequences: false).map { line in
    if line.hasPrefix("## ") {
      let words = line.dropFirst(3).split(separator: " ")
      chapter = nil
      if words.count >= 2, words[0] == "Chapter", words[1].hasSuffix(":") {
        chapter = Int(words[1].dropLast())
      }
    }
    return chapter
  }
}

/// The checkpoint of chapter `n`: the command that runs its tests.
public func checkpointCommand(chapter n: Int) -> String {
  "swift test --filter " + checkpointName(chapter: n)
}

/// The prefix shared by chapter `n`'s test suites, `Chapter03` for 3.
public func checkpointName(chapter n: Int) -> String {
  "Chapter" + (n < 10 ? "0" : "") + String(n)
}

extension BookProject {
  /// The chapters the book has, from its `## Chapter N:` headings.
  public func chapters() -> [Int] {
    Set(chapterOfLines(in: book).compactMap { $0 }).sorted()
  }

  /// The chapter of every solution region, by name.
  ///
  /// Throws when a region is shown in no chapter and names none, is shown in two chapters,
  /// names a chapter the book does not have, or names one while an excerpt shows it.
  public func exerciseChapters() throws -> [String: Int] {
    let lineChapters = chapterOfLines(in: book)
    let known = Set(chapters())
    // The chapters showing each book region, keyed "path#name".
    var shownIn: [String: Set<Int>] = [:]
    for excerpt in try bookExcerpts(in: book) {
      let key = "\(excerpt.path)#\(excerpt.name)"
      shownIn[key, default: []].formUnion(lineChapters[excerpt.fences.open].map { [$0] } ?? [])
    }
    var chapters: [String: Int] = [:]
    for (file, solutions) in try solutions() {
      let bookRegions = try regions(inFile: file).values
      for solution in solutions {
        let shown = bookRegions.filter { $0.lines.contains(solution.lines.lowerBound) }
          .reduce(into: Set<Int>()) { $0.formUnion(shownIn["\(file)#\($1.name)"] ?? []) }
        let place = "\(file): solution \(solution.name)"
        let showing = shown.sorted().map(String.init).joined(separator: " and ")
        switch (shown.count, solution.chapter) {
        case (1, nil):
          chapters[solution.name] = shown.first
        case (0, let named?) where known.contains(named):
          chapters[solution.name] = named
        case (0, let named?):
          throw BookError("\(place) names chapter \(named), which the book does not have")
        case (0, nil):
          throw BookError("\(place) is shown in no chapter; write `(chapter N)` after its name")
        case (_, let named?):
          throw BookError("\(place) names chapter \(named) but chapter \(showing) shows it")
        default:
          throw BookError("\(place) is shown in chapters \(showing); show it in one")
        }
      }
    }
    return chapters
  }
}
