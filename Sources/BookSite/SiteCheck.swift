import Foundation

/// The check that every page of a written site holds together: each relative `href` and
/// `src` names a file of the site, each `#anchor` an `id` of its page, and nothing is loaded
/// from the network. A browser (`make html-check`) then sees that each loads and draws.

/// A relative link or source of a page: the path (empty for a link within the page) and the
/// anchor after `#`, if any.
public struct RelativeTarget: Equatable, Sendable {
  public let path: String
  public let anchor: String?
}

/// The `href` and `src` attributes of `html` that name no scheme (`https:`, `mailto:`).
public func relativeTargets(inHTML html: String) -> [RelativeTarget] {
  attributeValues(inHTML: html).filter { !$0.value.contains(":") }.map { attribute in
    let parts = attribute.value.split(
      separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
    let path = String(parts[0]).removingPercentEncoding ?? String(parts[0])
    return RelativeTarget(path: path, anchor: parts.count > 1 ? String(parts[1]) : nil)
  }
}

/// Every `href="…"` and `src="…"` of `html`, in order, with `&amp;` and `&quot;` undone.
func attributeValues(inHTML html: String) -> [(name: String, value: String)] {
  var values: [(name: String, value: String)] = []
  var rest = Substring(html)
  while let quote = rest.firstRange(of: "=\"") {
    let name = rest[..<quote.lowerBound].reversed().prefix { $0.isLetter }.reversed()
    let after = rest[quote.upperBound...]
    guard let end = after.firstIndex(of: "\"") else { break }
    if name.elementsEqual("href") || name.elementsEqual("src") {
      let value = after[..<end].replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&amp;", with: "&")
      values.append((String(name), value))
    }
    rest = after[after.index(after: end)...]
  }
  return values
}

/// The `id`s of the elements of `html`.
func elementIDs(inHTML html: String) -> Set<String> {
  var ids: Set<String> = []
  var rest = Substring(html)
  while let start = rest.firstRange(of: " id=\"") {
    let after = rest[start.upperBound...]
    guard let end = after.firstIndex(of: "\"") else { break }
    ids.insert(String(after[..<end]))
    rest = after[end...]
  }
  return ids
}

/// What the check of a site found.
public struct SiteCheckReport: Sendable {
  public let pages: Int
  /// How many `href` and `src` attributes were followed.
  public let targets: Int
  public let problems: [String]
}

/// Checks every `.html` page of `folder` (and of its subfolders).
public func checkSite(in folder: URL) throws -> SiteCheckReport {
  let manager = FileManager.default
  let pages = (manager.enumerator(atPath: folder.path)?.allObjects as? [String] ?? [])
    .filter { $0.hasSuffix(".html") }.sorted()
  var problems: [String] = []
  var targets = 0
  var idsOfPage: [String: Set<String>] = [:]
  func ids(of page: String) throws -> Set<String> {
    if let ids = idsOfPage[page] { return ids }
    let html = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
    let found = elementIDs(inHTML: html)
    idsOfPage[page] = found
    return found
  }
  for page in pages {
    let html = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
    let base = (page as NSString).deletingLastPathComponent
    for attribute in attributeValues(inHTML: html) {
      targets += 1
      if attribute.name == "src", attribute.value.contains(":") {
        problems.append("\(page): loads \(attribute.value) from outside the site")
      }
    }
    for target in relativeTargets(inHTML: html) {
      let path = target.path.isEmpty ? page : (base as NSString).appendingPathComponent(target.path)
      guard manager.fileExists(atPath: folder.appendingPathComponent(path).path) else {
        problems.append("\(page): \(target.path) does not exist")
        continue
      }
      if let anchor = target.anchor, path.hasSuffix(".html"), !(try ids(of: path)).contains(anchor)
      {
        problems.append("\(page): \(path) has no anchor #\(anchor)")
      }
    }
  }
  return SiteCheckReport(pages: pages.count, targets: targets, problems: problems)
}
