"""Word shifts in the PDF copies of Word masters: LibreOffice's pages, words moved in the file.

>>> laid = lay_out_word(clean_docx, master_text, text_sites, limits=limits)   # doctest: +SKIP
>>> pdf = shift_copy(docx_to_pdf([copy_docx], limits=limits)[0], copy_text, moves)   # doctest: +SKIP

A Word master's PDF copies are laid out by LibreOffice, as Word would lay them out,
and its lines cannot be fixed the way typst's are: a copy whose text marks change a
word's width may break a paragraph's later lines elsewhere. So the words that may
move are found in the master's own PDF, on lines that show master words in order
(:func:`lay_out_word`), and each copy's PDF is edited after LibreOffice wrote it
(:func:`shift_copy`, through :mod:`barium.formats.pdf.stream`): the site's word is
found among the copy's words, and moved when it and its neighbours still stand on
one line, shown by one operator. A site whose line broke elsewhere in a copy is not
moved there, and a reader does not read it (its line does not begin and end as the
master's: :mod:`barium.channels.layout`), so the loss is the copy's positions on
that line, never a wrong reading.

Both the master's PDF and every copy's are matched to their text by sequence
alignment, not read in order: LibreOffice puts a page's header and footer, its
footnotes and its table cells where the page shows them, not where the text has them.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Sequence

from barium.channels.base import Site, WordBox
from barium.channels.layout import FLOW  # a copy's lines may break elsewhere: read wherever the trio stands
from barium.errors import UnsupportedFormat
from barium.formats.layout.sites import (
    LINE_SHIFT,
    Layout,
    Word,
    candidates,
    ink_spans,
    layer_words,
    line_candidates,
    make_line_sites,
    make_sites,
    word_key,
)
from barium.formats.office import docx_to_pdf, office_program
from barium.formats.pdf.stream import StreamWord, shift_words, stream_words
from barium.limits import Limits

__all__ = ["lay_out_word", "shift_copy"]

# A shift is kept only when the master's PDF, edited, shows the word moved d and its
# neighbours unmoved, within this (points; pdftotext gives boxes to the thousandth).
_MOVED = 0.02
_PARAGRAPH = re.compile(r"\n\s*\n")


def _words(text: str) -> list[Word]:
    """The text's words (runs without white space) with their paragraph numbers."""
    breaks = [m.end() for m in _PARAGRAPH.finditer(text)]
    out: list[Word] = []
    k = 0
    for m in re.finditer(r"\S+", text):
        while k < len(breaks) and breaks[k] <= m.start():
            k += 1
        out.append(Word(m.start(), m.end(), k))
    return out


def _matched(seen: Sequence[str], text: str, words: Sequence[Word]) -> dict[int, int]:
    """Index of each seen word -> index of the text word it is, by the longest runs of
    equal words the two share (difflib, without its junk heuristic)."""
    keys = [word_key(text[w.start : w.end]) for w in words]
    matcher = difflib.SequenceMatcher(None, [word_key(s) for s in seen], keys, autojunk=False)
    return {a + k: b + k for a, b, n in matcher.get_matching_blocks() for k in range(n)}


def _lines(boxes: Sequence[WordBox], at: dict[int, int], words: Sequence[Word]) -> list[list[Word]]:
    """The lines of the master's PDF whose every word is a master word, one after another
    in one paragraph: each as its words, with their boxes."""
    out: list[list[Word]] = []
    for _, group in itertools.groupby(range(len(boxes)), key=lambda i: (boxes[i].page, boxes[i].line)):
        idx = list(group)
        if any(i not in at for i in idx):
            continue
        js = [at[i] for i in idx]
        if js != list(range(js[0], js[0] + len(js))) or len({words[j].paragraph for j in js}) != 1:
            continue
        if any(abs(boxes[i].top - boxes[idx[0]].top) > 0.5 for i in idx):
            continue
        line = []
        for i, j in zip(idx, js, strict=True):
            w, b = words[j], boxes[i]
            line.append(Word(w.start, w.end, w.paragraph, b.page, b.line, b))
        out.append(line)
    return out


def _movable(stream: Sequence[StreamWord], k: int) -> bool:
    """Stream word ``k`` can move with its neighbours left in place: all three on one
    line of one operator, ``k`` interior to it."""
    if not 0 < k < len(stream) - 1:
        return False
    a, w, b = stream[k - 1], stream[k], stream[k + 1]
    return a.glyphs[0] == w.glyphs[0] == b.glyphs[0] and abs(a.y - w.y) < 0.01 and abs(b.y - w.y) < 0.01


def lay_out_word(
    clean_docx: bytes, master: str, text_sites: Sequence[Site], *, limits: Limits
) -> tuple[Layout, list[Site]] | None:
    """The word-shift sites of a Word master's PDF copies, and the text sites (all kept:
    no line is fixed, so none is cut); None without LibreOffice, or when its PDF of the
    master offers no site."""
    try:
        office_program()
    except UnsupportedFormat:
        return None  # its PDF copies are refused until LibreOffice is installed
    pdf = docx_to_pdf([clean_docx], limits=limits)[0]
    words = _words(master)
    boxes = layer_words(pdf, limits=limits)
    lines = _lines(boxes, _matched([b.text for b in boxes], master, words), words)
    chosen = candidates(master, lines, text_sites)
    stream = stream_words(pdf)
    in_stream = {words[j].start: k for k, j in _matched([s.text for s in stream], master, words).items()}
    chosen = [
        c
        for c in chosen
        if all(x.start in in_stream for x in (c[1][0], c[0], c[1][1]))
        and _movable(stream, in_stream[c[0].start])
        and in_stream[c[1][0].start] == in_stream[c[0].start] - 1
        and in_stream[c[1][1].start] == in_stream[c[0].start] + 1
    ]
    trios = [t for t in line_candidates(lines) if _stream_line(t[1], stream, in_stream) is not None]
    if not chosen and not trios:
        return None
    # Every site moved in the master's own PDF (words right, lines down): kept where
    # poppler reads the page so, and nothing else moved (the numbers' scale is right).
    moved = layer_words(
        shift_words(
            pdf,
            {stream[in_stream[w.start]]: d for w, (_, _, d) in chosen},
            lines={_stream_line(t[1], stream, in_stream) or (0, 0.0): LINE_SHIFT for t in trios},
        ),
        limits=limits,
    )
    if [b.text for b in moved] != [b.text for b in boxes]:
        return None
    order = {b: i for i, b in enumerate(boxes)}
    wanted: dict[int, tuple[float, float]] = {}
    for w, (_, _, d) in chosen:
        assert w.box is not None
        wanted[order[w.box]] = (d, 0.0)
    for t in trios:
        for w in t[1]:
            assert w.box is not None
            dx, _ = wanted.get(order[w.box], (0.0, 0.0))
            wanted[order[w.box]] = (dx, LINE_SHIFT)
    wrong = {
        i
        for i, (a, b) in enumerate(zip(boxes, moved, strict=True))
        if abs(b.left - a.left - wanted.get(i, (0.0, 0.0))[0]) > _MOVED
        or abs(b.top - a.top - wanted.get(i, (0.0, 0.0))[1]) > _MOVED
    }

    def fine(*group: Word) -> bool:
        return all(x.box is not None and order[x.box] not in wrong for x in group)

    kept = [(w, (a, z, d)) for w, (a, z, d) in chosen if fine(a, w, z)]
    kept_lines = [t for t in trios if fine(*t[0], *t[1], *t[2])]
    if not kept and not kept_lines:
        return None
    words_inked = [x for w, (a, z, _) in kept for x in (a, w, z)] + [x for t in kept_lines for ln in t for x in ln]
    ink = ink_spans(pdf, words_inked, limits=limits)
    sites = make_sites(master, kept, {w.start: line for line in lines for w in line}, ink, kind=FLOW)
    sites += make_line_sites(kept_lines, ink)
    return (Layout((), tuple(sites)), list(text_sites)) if sites else None


def _stream_line(line: Sequence[Word], stream: Sequence[StreamWord], at: dict[int, int]) -> tuple[int, float] | None:
    """The page and height of ``line`` (master words) in the content stream, when its words
    are the stream's words there, all of them and nothing else: then moving that height
    moves the line."""
    ks = [at.get(w.start, -1) for w in line]
    if -1 in ks or ks != list(range(ks[0], ks[0] + len(ks))):
        return None
    return _height(stream, ks[0], ks[-1])


def _height(stream: Sequence[StreamWord], first: int, last: int) -> tuple[int, float] | None:
    """The page and height that stream words ``first`` to ``last`` stand at, when they
    are all the stream shows there (the words just before and after stand elsewhere)."""
    page, y = stream[first].glyphs[0], stream[first].y

    def here(k: int) -> bool:
        return stream[k].glyphs[0] == page and abs(stream[k].y - y) < 0.01

    if not all(here(k) for k in range(first, last + 1)):
        return None
    if any(here(k) for k in range(len(stream)) if not first <= k <= last):
        return None
    return page, y


def shift_copy(
    pdf: bytes,
    text: str,
    moves: Sequence[tuple[int, float]],
    marks: Sequence[tuple[int, str]] = (),
    lines: Sequence[tuple[int, int, float]] = (),
) -> bytes:
    """The copy's PDF (LibreOffice's, of the copy whose printed text is ``text``) with the
    word that starts at each ``(offset in text, points)`` of ``moves`` moved, where it
    still stands between its neighbours on one line; the line of each ``(its first
    word's start, its last word's end, points down)`` of ``lines`` moved, where the
    copy still has that line; and the invisible characters of each ``(offset,
    characters)`` of ``marks`` put where a word ends at that offset; every page written
    again either way (see :func:`~barium.formats.pdf.stream.shift_words`).

    Invisible marks are printed this way, not by LibreOffice: it drops some zero-width
    characters (U+200B, U+2060) and lays the others over the next space."""
    stream = stream_words(pdf)
    words = _words(text)
    starts = [w.start for w in words]
    at = {j: k for k, j in _matched([s.text for s in stream], text, words).items()}
    edits: dict[StreamWord, float] = {}
    for offset, dx in moves:
        j = bisect.bisect_right(starts, offset) - 1  # the word holding it
        if j < 0 or offset >= words[j].end or not dx or any(x not in at for x in (j - 1, j, j + 1)):
            continue
        k = at[j]
        if at[j - 1] == k - 1 and at[j + 1] == k + 1 and _movable(stream, k):
            edits[stream[k]] = dx
    heights: dict[tuple[int, float], float] = {}
    for first, last, dy in lines:
        j, z = bisect.bisect_right(starts, first) - 1, bisect.bisect_left(starts, last) - 1
        if j < 0 or z < j or words[z].end != last or not dy or any(x not in at for x in range(j, z + 1)):
            continue
        if [at[x] for x in range(j, z + 1)] == list(range(at[j], at[j] + z - j + 1)):
            where = _height(stream, at[j], at[z])
            if where is not None:
                heights[where] = dy
    ends = {w.end: j for j, w in enumerate(words)}
    placed: dict[StreamWord, str] = {}
    for offset, chars in marks:
        j = ends.get(offset, -1)
        if j in at and chars:
            placed[stream[at[j]]] = placed.get(stream[at[j]], "") + chars
    return shift_words(pdf, edits, placed, heights)
