/// Markdown that Ink 0.6 reads otherwise than CommonMark does, rewritten before Ink sees it:
/// what book.md writes must read the same on a code host and in the rendered book.

/// `markdown` ready for Ink: autolinks as links, and paragraphs that Ink would cut in two
/// joined back into one.
public func markdownForInk(_ markdown: String) -> String {
  joiningCutParagraphs(autolinksAsLinks(markdown))
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

/// `markdown` with each line that continues a paragraph but starts with `` ` ``, `<`, `#` or
/// `-` (`` `denoise` should…``, `-90 dB…`) joined to the line before it.
///
/// Ink ends a paragraph at a line starting with one of those characters and starts another,
/// so a sentence that wraps before a code span would be split into two paragraphs. A fence,
/// a heading (`# `, `##`), a list item (`- `), a rule (`---`) and an HTML tag still start
/// their own block, as in CommonMark.
public func joiningCutParagraphs(_ markdown: String) -> String {
  var lines: [Substring] = []
  var inCode = false
  for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
    if line.hasPrefix("```") { inCode.toggle() }
    if !inCode, !line.hasPrefix("```"), let previous = lines.last,
      continuesParagraph(line, after: previous)
    {
      lines[lines.count - 1] = previous + " " + line
    } else {
      lines.append(line)
    }
  }
  return lines.joined(separator: "\n")
}

/// Whether Ink would wrongly start a new block at `line`, which follows `previous`.
private func continuesParagraph(_ line: Substring, after previous: Substring) -> Bool {
  guard !previous.allSatisfy({ $0 == " " }), !startsBlock(previous), !startsBlock(line)
  else { return false }
  return ["`", "#", "-", "<"].contains(line.first)
}

/// Whether `line` opens a block of its own: a fence, a heading, a table row, a list item, a
/// rule or an HTML tag.
private func startsBlock(_ line: Substring) -> Bool {
  let second = line.dropFirst().first
  switch line.first {
  case "`": return line.hasPrefix("```")
  case "#": return second == "#" || second == " "
  case "-": return second == " " || second == "-"
  case "<": return second.map { $0.isLetter || $0 == "/" || $0 == "!" } ?? false
  case "|": return true
  default: return false
  }
}
