"""PDF pages of a text or Markdown copy, typeset by typst.

Why typst (research/pdf-layout, measured): it comes as a wheel with its own fonts
(Libertinus Serif), so a copy's pages are the same on every machine whatever fonts
it has; the same input gives the same bytes (so a copy issued again is the same
file); it justifies and breaks lines itself, in about 0.02 s a page; its text layer
keeps what the text marks are made of (curly quotes, dashes, no-break and
zero-width characters), so a leaked PDF's text reads back like the copy's; and a
word can be moved a fraction of a point (``box(move(dx: ...))``) without anything
else on the line moving, which is what the layout channel writes.

The copy reaches typst as data (JSON in ``sys.inputs``), never as markup, so no
character of a master can be read as a typst command. A document is a list of
:class:`Heading` and :class:`Paragraph` blocks; a paragraph is given as lines
(more than one when its line breaks are fixed, :mod:`barium.formats.layout`), a line
as pieces of text, a piece with a ``dx`` being a word set in a box of its own and
moved ``dx`` points sideways, a line with a ``dy`` being set that far down.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from barium.errors import InputError

__all__ = ["Heading", "Paragraph", "Piece", "blocks_of", "text_blocks", "typeset", "typeset_pdf"]

# Title, author and dates are left out of the PDF's metadata: the file says nothing
# the copy's text does not, and no moment makes two issues of one copy differ.
TEMPLATE = b"""
#set document(title: none, author: (), date: none)
#let inset = float(sys.inputs.at("inset")) * 1pt
#let stamp = sys.inputs.at("stamp", default: "")
#set page(paper: "a4", margin: (x: 2.5cm + inset, y: 2.5cm), numbering: "1",
  header: if stamp != "" { align(right, text(size: 8pt, stamp)) })
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en", hyphenate: false)
#set par(justify: true, spacing: 1.1em)
#for block in json(bytes(sys.inputs.at("blocks"))) {
  if block.at(0) == "h" {
    heading(level: block.at(1), block.at(2))
  } else {
    let lines = block.at(1)
    let dys = block.at(2)
    par({
      for (i, line) in lines.enumerate() {
        // A moved line: its text set lower (text's baseline), its boxed words moved
        // within their boxes (a box set lower would make the line deeper).
        let dy = dys.at(i, default: none)
        for piece in line {
          if piece.at(1) == none {
            if dy == none { piece.at(0) } else { text(baseline: dy * 1pt, piece.at(0)) }
          } else {
            box(move(dx: piece.at(1) * 1pt, dy: if dy == none { 0pt } else { dy * 1pt }, piece.at(0)))
          }
        }
        if i + 1 < lines.len() { linebreak(justify: true) }
      }
    })
  }
}
"""


@dataclass(frozen=True, slots=True)
class Piece:
    """Text on a line; with ``dx``, one word in a box of its own moved ``dx`` points."""

    text: str
    dx: float | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph's lines; each line but the last ends in a justified line break. A
    line with a ``dy`` (points, down positive) has its text set that far below its
    baseline, moving nothing else (typst's ``text(baseline: ...)``)."""

    lines: tuple[tuple[Piece, ...], ...]
    dy: tuple[float | None, ...] = ()


Block = Heading | Paragraph


def blocks_of(text: str, fmt: str) -> list[tuple[int, int, int]]:
    """(start, end, heading level or 0) of each block of ``text``: its blank-line
    separated paragraphs, trimmed; in Markdown a block opening with ``#`` is a heading
    of as many levels as it has ``#`` (at most 6)."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    for part in text.split("\n\n"):
        start, end = pos, pos + len(part)
        pos = end + 2
        stripped = part.strip()
        if not stripped:
            continue
        start += len(part) - len(part.lstrip())
        end -= len(part) - len(part.rstrip())
        level = 0
        if fmt == "markdown" and stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
        out.append((start, end, level))
    return out


def heading(block: str, level: int) -> Heading | None:
    """The heading a Markdown block of ``level`` ``#`` shows (None: only ``#``, then a paragraph)."""
    rest = block[level:].strip().replace("\n", " ")
    return Heading(min(level, 6), rest) if rest else None


def text_blocks(text: str, fmt: str) -> list[Block]:
    """The blocks of a copy's ``text``, each paragraph one line that typst breaks itself."""
    out: list[Block] = []
    for start, end, level in blocks_of(text, fmt):
        block = text[start:end]
        head = heading(block, level) if level else None
        out.append(head or Paragraph(((Piece(block.replace("\n", " ")),),)))
    return out


def typeset(blocks: Sequence[Block], *, inset: float = 0.0, stamp: str = "") -> bytes:
    """The PDF of ``blocks``, with the text column ``2 * inset`` points narrower and, when
    given, ``stamp`` at the head of every page (in the top margin: the text does not move)."""
    import typst

    data = [
        ["h", b.level, b.text]
        if isinstance(b, Heading)
        else ["p", [[[p.text, p.dx] for p in ln] for ln in b.lines], list(b.dy)]
        for b in blocks
    ]
    inputs = {"blocks": json.dumps(data, ensure_ascii=False), "inset": repr(float(inset)), "stamp": stamp}
    try:
        return bytes(typst.compile(TEMPLATE, sys_inputs=inputs, ignore_system_fonts=True))
    except RuntimeError as exc:  # typst reports its own errors as RuntimeError
        raise InputError(f"the copy could not be typeset as PDF: {str(exc)[:300]}") from None


def typeset_pdf(text: str, *, fmt: str, stamp: str = "") -> bytes:
    """The PDF of a copy's ``text`` (of a master in format ``fmt``: text or markdown),
    its lines broken by typst."""
    return typeset(text_blocks(text, fmt), stamp=stamp)
