/// The book's one style sheet, `book.css`: a readable measure, figures scaled to the column,
/// tables with borders, code blocks that scroll sideways rather than wrap, and the colours of
/// the highlighter's token classes. System fonts only: the site loads nothing from the network.
let bookStyleSheet = """
  :root {
    --text: #1d1d1f; --muted: #5f6368; --rule: #d0d4d9; --code-bg: #f6f8fa;
    --link: #0b57a4;
  }
  body {
    margin: 0; color: var(--text); background: #fff;
    font: 17px/1.6 Georgia, "DejaVu Serif", serif;
  }
  header, main, nav.pager { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
  header { padding-top: 0.8rem; padding-bottom: 0.8rem; border-bottom: 1px solid var(--rule); }
  header a {
    color: var(--muted); text-decoration: none; font: 0.85rem system-ui, "DejaVu Sans", sans-serif;
  }
  h1, h2, h3, h4 { line-height: 1.25; font-family: system-ui, "DejaVu Sans", sans-serif; }
  h1 { font-size: 1.9rem; margin-top: 1.5rem; }
  h2 { font-size: 1.6rem; margin-top: 2rem; }
  h3 { font-size: 1.2rem; margin-top: 1.8rem; }
  a { color: var(--link); }
  code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86em; }
  p code, li code, td code {
    background: var(--code-bg); padding: 0.05em 0.25em; border-radius: 3px;
  }
  pre {
    background: var(--code-bg); border: 1px solid var(--rule); border-radius: 4px;
    padding: 0.7rem 0.9rem; overflow-x: auto; margin: 0.6rem 0 1.2rem;
    font-size: 0.75rem; line-height: 1.45;
  }
  pre code { font-size: inherit; white-space: pre; }
  p.source {
    margin: 1.2rem 0 0; font: 0.75rem "DejaVu Sans Mono", monospace; color: var(--muted);
  }
  p.source + pre { margin-top: 0.2rem; }
  .kw { color: #a626a4; } .ty { color: #0e6b8c; } .str { color: #2f7d32; }
  .com { color: #6a737d; font-style: italic; } .num { color: #b35900; }
  figure { margin: 1.5rem 0; }
  figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--rule); }
  figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.4rem; }
  div.table { overflow-x: auto; margin: 1rem 0 1.4rem; }
  table { border-collapse: collapse; font-size: 0.85rem; line-height: 1.4; }
  th, td { border: 1px solid var(--rule); padding: 0.3rem 0.55rem; vertical-align: top; }
  th { background: var(--code-bg); text-align: left; }
  span.clip { display: inline-flex; align-items: center; gap: 0.5rem; margin: 0.2rem 0; }
  span.clip audio { height: 2rem; }
  blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--rule); }
  nav.contents ol { list-style: none; padding-left: 0; }
  nav.contents ol > li { margin-top: 0.5rem; font-weight: bold; }
  nav.contents ul { font-weight: normal; font-size: 0.9rem; }
  nav.pager {
    display: flex; justify-content: space-between; gap: 1rem;
    margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--rule);
    font: 0.9rem system-ui, "DejaVu Sans", sans-serif;
  }
  nav.pager a.next { margin-left: auto; text-align: right; }

  """
