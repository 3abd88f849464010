/// Text made safe for HTML, and the plain text of a short piece of inline Markdown.

/// `text` with `&`, `<`, `>` and `"` escaped, fit for element content and quoted attributes.
public func htmlEscaped(_ text: some StringProtocol) -> String {
  var escaped = ""
  escaped.reserveCapacity(text.count)
  for character in text {
    switch character {
    case "&": escaped += "&amp;"
    case "<": escaped += "&lt;"
    case ">": escaped += "&gt;"
    case "\"": escaped += "&quot;"
    default: escaped.append(character)
    }
  }
  return escaped
}

/// The text a reader sees of inline Markdown such as a heading or a caption: code spans,
/// emphasis and link targets removed (`` `Tensor` and **GEMM** `` → `Tensor and GEMM`).
///
/// Only what headings and captions in the book use; Ink renders the rest.
public func plainText(ofInlineMarkdown markdown: some StringProtocol) -> String {
  var text = ""
  var rest = Substring(markdown)
  while let character = rest.first {
    rest = rest.dropFirst()
    switch character {
    case "`", "*", "[":
      continue
    case "!" where rest.first == "[":
      continue
    case "]":
      // A link's text stays, its target goes.
      if rest.first == "(" { rest = rest.drop { $0 != ")" }.dropFirst() }
    case "\n":
      text.append(" ")
    default:
      text.append(character)
    }
  }
  return text
}

/// `markdown` with each autolink `<https://…>` outside code written as a Markdown link,
/// `[https://…](https://…)`.
///
/// Ink 0.6 reads `<https:…>` as the start of an HTML element that never closes, and the rest
/// of the page vanishes into it; the book uses such links for its papers.
public func autolinksAsLinks(_ markdown: String) -> String {
  var inCode = false
  return markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line in
    if line.hasPrefix("```") { inCode.toggle() }
    guard !inCode, line.contains("<http") else { return String(line) }
    var result = ""
    var inSpan = false
    var rest = line[...]
    while let character = rest.first {
      if character == "`" { inSpan.toggle() }
      if !inSpan, character == "<", rest.dropFirst().hasPrefix("http"),
        let end = rest.firstIndex(of: ">")
      {
        let url = rest[rest.index(after: rest.startIndex)..<end]
        if !url.contains(" ") {
          result += "[\(url)](\(url))"
          rest = rest[rest.index(after: end)...]
          continue
        }
      }
      result.append(character)
      rest = rest.dropFirst()
    }
    return result
  }.joined(separator: "\n")
}
