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
