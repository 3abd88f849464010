/// Syntax highlighting for the book's code blocks, as HTML spans the style sheet colours:
/// `kw` keywords and attributes, `ty` type names, `str` string literals, `com` comments,
/// `num` number literals. Swift gets all five; shell blocks get their `#` comments; anything
/// else is only escaped. A reader's eye needs the comments and strings set apart, not a
/// full Swift parser: identifiers are words, and a word that starts with a capital is a type.

/// The kinds of token the style sheet colours, by their CSS class.
public enum TokenKind: String, Sendable {
  case keyword = "kw"
  case type = "ty"
  case string = "str"
  case comment = "com"
  case number = "num"
}

/// `code` as HTML: escaped, with the tokens of `language` ("swift", "sh") wrapped in
/// `<span class="KIND">`.
public func highlighted(_ code: String, language: String) -> String {
  switch language {
  case "swift": return SwiftTokens(code).html
  case "sh", "shell", "bash", "console": return shellHighlighted(code)
  default: return htmlEscaped(code)
  }
}

/// The words Swift reserves, plus the few contextual ones the book's code leans on.
let swiftKeywords: Set<String> = [
  "actor", "as", "associatedtype", "async", "await", "break", "case", "catch", "class",
  "continue", "convenience", "default", "defer", "deinit", "do", "else", "enum", "extension",
  "fallthrough", "false", "fileprivate", "final", "for", "func", "get", "guard", "if", "import",
  "in", "indirect", "init", "inout", "internal", "is", "lazy", "let", "mutating", "nil",
  "nonisolated", "open", "operator", "override", "private", "protocol", "public", "repeat",
  "rethrows", "return", "self", "Self", "set", "some", "static", "struct", "subscript", "super",
  "switch", "throw", "throws", "true", "try", "typealias", "var", "weak", "where", "while",
  "any", "borrowing", "consuming", "didSet", "willSet",
]

/// A scanner over Swift source that appends each token, escaped, to `html`.
struct SwiftTokens {
  private let characters: [Character]
  private var index = 0
  private(set) var html = ""

  init(_ code: String) {
    characters = Array(code)
    while index < characters.count { scanToken() }
  }

  private func peek(_ offset: Int = 0) -> Character? {
    index + offset < characters.count ? characters[index + offset] : nil
  }

  private func starts(with text: String) -> Bool {
    text.enumerated().allSatisfy { peek($0.offset) == $0.element }
  }

  private mutating func scanToken() {
    let start = index
    let character = characters[index]
    if starts(with: "//") {
      while let next = peek(), next != "\n" { index += 1 }
      emit(.comment, from: start)
    } else if starts(with: "/*") {
      index += 2
      while peek() != nil, !starts(with: "*/") { index += 1 }
      index = min(index + 2, characters.count)
      emit(.comment, from: start)
    } else if starts(with: "\"\"\"") {
      index += 3
      while peek() != nil, !starts(with: "\"\"\"") { index += peek() == "\\" ? 2 : 1 }
      index = min(index + 3, characters.count)
      emit(.string, from: start)
    } else if character == "\"" {
      index += 1
      while let next = peek(), next != "\"", next != "\n" { index += next == "\\" ? 2 : 1 }
      index = min(index + 1, characters.count)
      emit(.string, from: start)
    } else if character.isDigit {
      scanNumber()
      emit(.number, from: start)
    } else if character.isLetter || character == "_" || character == "@" || character == "#" {
      index += 1
      while let next = peek(), next.isLetter || next.isNumber || next == "_" { index += 1 }
      let word = String(characters[start..<index])
      if character == "@" || character == "#" || swiftKeywords.contains(word) {
        emit(.keyword, from: start)
      } else if character.isUppercase {
        emit(.type, from: start)
      } else {
        emit(nil, from: start)
      }
    } else if character == "$" {
      // `$0`: a closure's argument, a name and not a number.
      index += 1
      while let next = peek(), next.isDigit { index += 1 }
      emit(nil, from: start)
    } else {
      index += 1
      emit(nil, from: start)
    }
  }

  /// Digits, `_` separators, hexadecimal, one fraction and an exponent: `1_000`, `0x1F`,
  /// `2.5e-3`. A `.` counts only before a digit, so `0..<n` keeps its range operator.
  private mutating func scanNumber() {
    let hexadecimal = starts(with: "0x")
    if hexadecimal { index += 2 }
    while let next = peek(), (hexadecimal ? next.isHexDigit : next.isDigit) || next == "_" {
      index += 1
    }
    if peek() == ".", peek(1)?.isDigit == true {
      index += 1
      while let next = peek(), next.isDigit || next == "_" { index += 1 }
    }
    let signed = peek(1) == "-" || peek(1) == "+"
    if peek() == "e" || peek() == "E", peek(signed ? 2 : 1)?.isDigit == true {
      index += signed ? 2 : 1
      while let next = peek(), next.isDigit { index += 1 }
    }
  }

  private mutating func emit(_ kind: TokenKind?, from start: Int) {
    let text = htmlEscaped(String(characters[start..<index]))
    html += kind.map { "<span class=\"\($0.rawValue)\">\(text)</span>" } ?? text
  }
}

/// Shell code with each `#` comment (at a line's start or after a space) marked.
func shellHighlighted(_ code: String) -> String {
  code.split(separator: "\n", omittingEmptySubsequences: false).map { line in
    let comment = line.indices.first { i in
      line[i] == "#" && (i == line.startIndex || line[line.index(before: i)] == " ")
    }
    guard let comment else { return htmlEscaped(line) }
    return htmlEscaped(line[..<comment])
      + "<span class=\"com\">\(htmlEscaped(line[comment...]))</span>"
  }.joined(separator: "\n")
}

extension Character {
  /// 0 to 9: the digits a literal starts with (not `²` or `½`, which `isNumber` accepts).
  var isDigit: Bool { isASCII && isNumber }
}
