import Foundation
import Testing

/// A target of Package.swift as the manifest's text declares it.
private struct DeclaredTarget {
  let name: String
  let kind: String
  let dependencies: Set<String>
  let path: String
}

/// The targets of Package.swift, read from its text: `.target`, `.executableTarget`,
/// `.testTarget`, and the manifest's own `chapter(…)` (which adds ChapterSupport) and
/// `systemLibrary(…)`. A product dependency counts by its product name.
private func declaredTargets() throws -> [DeclaredTarget] {
  let manifest = try String(contentsOfFile: "Package.swift", encoding: .utf8)
  let body = manifest[manifest.range(of: "targets: [")!.upperBound...]
  let products = try Regex(
    #"\.product\(name: "([^"]+)", package: "[^"]+"\)"#, as: (Substring, Substring).self)
  let quoted = try Regex(#""([^"]+)""#, as: (Substring, Substring).self)
  let pathArgument = try Regex(#"path: "([^"]+)""#, as: (Substring, Substring).self)
  var targets: [DeclaredTarget] = []
  for kind in [".target(", ".executableTarget(", ".testTarget(", "chapter(", "systemLibrary("] {
    var rest = body[...]
    while let start = rest.range(of: "\n    " + kind) {
      // The call's text: up to its balanced closing parenthesis.
      var depth = 0
      var end = start.upperBound
      for i in rest[start.upperBound...].indices {
        if rest[i] == "(" { depth += 1 }
        if rest[i] == ")" {
          if depth == 0 { end = i; break }
          depth -= 1
        }
      }
      let call = String(rest[start.upperBound..<end]).replacing(products) { "\"\($0.1)\"" }
      let strings = call.matches(of: quoted).map { String($0.1) }
      let name = strings[0]
      var dependencies: Set<String> = []
      if let list = call.range(of: kind == "chapter(" ? "[" : "dependencies: [") {
        let inner = call[list.upperBound...].prefix { $0 != "]" }
        dependencies = Set(inner.matches(of: quoted).map { String($0.1) })
      }
      let path = call.matches(of: pathArgument).first.map { String($0.1) }
      switch kind {
      case "chapter(":
        targets.append(
          DeclaredTarget(
            name: name, kind: "chapter", dependencies: dependencies.union(["ChapterSupport"]),
            path: "Chapters/\(name)"))
      case "systemLibrary(":
        targets.append(DeclaredTarget(name: name, kind: "system", dependencies: [], path: ""))
      default:
        let folder = kind == ".testTarget(" ? "Tests/\(name)" : "Sources/\(name)"
        targets.append(
          DeclaredTarget(
            name: name,
            kind: kind == ".target(" ? "library" : kind == ".testTarget(" ? "test" : "executable",
            dependencies: dependencies, path: path ?? folder))
      }
      rest = rest[end...]
    }
  }
  return targets
}

/// The modules the Swift files under `path` import (`import X`, `@testable import X`), apart
/// from the system's own.
private func importedModules(under path: String) throws -> Set<String> {
  let system: Set<String> = [
    "Foundation", "Synchronization", "Testing", "Dispatch", "Glibc", "Darwin",
  ]
  var modules: Set<String> = []
  let files = try FileManager.default.subpathsOfDirectory(atPath: path)
  for file in files where file.hasSuffix(".swift") {
    let text = try String(contentsOfFile: path + "/" + file, encoding: .utf8)
    for line in text.split(separator: "\n") {
      let words = line.split(separator: " ")
      if words.first == "import"
        || (words.first == "@testable" && words.dropFirst().first == "import")
      {
        modules.insert(String(words.last!))
      }
    }
  }
  return modules.subtracting(system)
}

@Suite("The package: each target imports exactly what it declares, as the README shows")
struct PackageLayoutTests {
  @Test func everyTargetImportsExactlyItsDeclaredDependencies() throws {
    let targets = try declaredTargets()
    #expect(targets.count > 20, "Package.swift read: \(targets.map(\.name))")
    let executables = Set(targets.filter { $0.kind == "executable" }.map(\.name))
    for target in targets where target.kind != "system" {
      let imported = try importedModules(under: target.path)
      // A test target depends on an executable without importing it: it runs the binary.
      let declared =
        target.kind == "test" ? target.dependencies.subtracting(executables) : target.dependencies
      #expect(
        imported == declared,
        "\(target.name): imports \(imported.sorted()), declares \(declared.sorted())")
    }
  }

  @Test func theReadmeLayoutShowsEveryModuleWithItsImports() throws {
    let readme = try String(contentsOfFile: "README.md", encoding: .utf8)
    let section = readme.components(separatedBy: "## Layout").dropFirst().first ?? ""
    // Rows `| `Name` | chapter | concept | `A`, `B` |`, the last cell "—" for none.
    var shown: [String: Set<String>] = [:]
    for line in section.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      let name = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      let imports = cells.last!.split(separator: ",").map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: "` "))
      }.filter { $0 != "—" }
      shown[name] = Set(imports)
    }
    let libraries = try declaredTargets().filter { $0.kind == "library" }
    #expect(Set(shown.keys) == Set(libraries.map(\.name)), "the layout lists every module")
    for library in libraries {
      #expect(shown[library.name] == library.dependencies, "\(library.name) in README.md")
    }
  }
}
