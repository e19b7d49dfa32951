"""PDF pages of a text or Markdown copy, typeset by typst.

Why typst (research/pdf-layout, measured): it comes as a wheel with its own fonts
(Libertinus Serif), so a copy's pages are the same on every machine whatever fonts
it has; the same input gives the same bytes (so a copy issued again is the same
file); it justifies and breaks lines itself, in about 0.02 s a page; and its text
layer keeps what the text marks are made of (curly quotes, dashes, no-break and
zero-width characters), so a leaked PDF's text reads back like the copy's.

The copy's text reaches typst as data (``sys.inputs``), never as markup, so no
character of a master can be read as a typst command. Paragraphs are the text's
blank-line separated blocks; in Markdown, a block opening with ``#`` is a heading
and its other syntax (emphasis, links, tables) is shown as written.
"""

from __future__ import annotations

from barium.errors import InputError

# Title, author and dates are left out of the PDF's metadata: the file says nothing
# the copy's text does not, and no moment makes two issues of one copy differ.
TEMPLATE = b"""
#set document(title: none, author: (), date: none)
#set page(paper: "a4", margin: (x: 2.5cm, y: 2.5cm), numbering: "1")
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en", hyphenate: false)
#set par(justify: true, spacing: 1.1em)
#let markdown = sys.inputs.at("format") == "markdown"
#for block in sys.inputs.at("text").split("\\n\\n") {
  let b = block.trim()
  if b == "" {
  } else if markdown and b.starts-with("#") {
    let level = b.position(regex("[^#]"))
    if level == none { par(b) } else {
      heading(level: calc.min(level, 6), b.slice(level).trim().replace("\\n", " "))
    }
  } else {
    par(b.replace("\\n", " "))
  }
}
"""


def typeset_pdf(text: str, *, fmt: str) -> bytes:
    """The PDF of a copy's ``text`` (of a master in format ``fmt``: text or markdown)."""
    import typst

    try:
        return bytes(typst.compile(TEMPLATE, sys_inputs={"text": text, "format": fmt}, ignore_system_fonts=True))
    except RuntimeError as exc:  # typst reports its own errors as RuntimeError
        raise InputError(f"the copy could not be typeset as PDF: {str(exc)[:300]}") from None
