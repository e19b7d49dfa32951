"""Word and line shifts in the PDF copies of Word masters: LibreOffice's pages, moved in the file.

>>> laid = lay_out_word(clean_docx, master_text, text_sites, limits=limits)   # doctest: +SKIP
>>> pdf = shift_copy(docx_to_pdf([copy_docx], limits=limits)[0], copy_text, moves)   # doctest: +SKIP

A Word master's PDF copies are laid out by LibreOffice, as Word would lay them out,
and its lines cannot be fixed the way typst's are: a copy whose text marks change a
word's width may break a paragraph's later lines elsewhere. So the words that may
move are found in the master's own PDF, on lines that show master words in order
(:func:`lay_out_word`), and each copy's PDF is edited after LibreOffice wrote it
(:func:`shift_copy`, through :mod:`barium.formats.pdf.stream`): the site's word is
found among the copy's words, and moved when it and its neighbours still stand on
one line (wherever the copy's text marks broke the paragraph). A reader reads a word
shift wherever the word stands between its neighbours and the three are as wide as
in the master (``pdf-flow-word`` sites: :mod:`barium.channels.layout`), and a line
shift only where the three lines begin and end as the master's.

Both the master's PDF and every copy's are matched to their text by sequence
alignment, not read in order: LibreOffice puts a page's header and footer, its
footnotes and its table cells where the page shows them, not where the text has them.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections import Counter
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
    """Index of each seen word -> index of the text word it is (see :func:`_align`)."""
    return _align([word_key(s) for s in seen], [word_key(text[w.start : w.end]) for w in words])


_DIRECT = 250_000  # pairs difflib is left to compare at once (about 50 ms)


def _align(a: Sequence[str], b: Sequence[str]) -> dict[int, int]:
    """Index in ``a`` -> index in ``b`` of equal elements, in order: a patience alignment.
    Elements that occur once in each (in the stretch being aligned) and keep their order
    are anchors; between two anchors the same is done again, and a stretch with no
    anchor left is handed to difflib when small (its matching blocks, without the junk
    heuristic), else left unaligned. difflib alone on a whole page set (it needs no
    anchors) grows faster than quadratically: 120 s for 20,000 words."""
    out: dict[int, int] = {}
    stack = [(0, len(a), 0, len(b))]
    while stack:
        a0, a1, b0, b1 = stack.pop()
        if a0 >= a1 or b0 >= b1:
            continue
        anchors = _anchors(a, b, a0, a1, b0, b1)
        if not anchors:
            if (a1 - a0) * (b1 - b0) <= _DIRECT:
                matcher = difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
                for i, j, n in matcher.get_matching_blocks():
                    out.update((a0 + i + k, b0 + j + k) for k in range(n))
            continue
        prev_i, prev_j = a0 - 1, b0 - 1
        for i, j in [*anchors, (a1, b1)]:
            stack.append((prev_i + 1, i, prev_j + 1, j))
            if i < a1:
                out[i] = j
            prev_i, prev_j = i, j
    return out


def _anchors(a: Sequence[str], b: Sequence[str], a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int]]:
    """The pairs of elements unique in ``a[a0:a1]`` and in ``b[b0:b1]``, equal, the longest
    run of them in the same order in both (patience sorting)."""
    count_a = Counter(a[a0:a1])
    count_b = Counter(b[b0:b1])
    where_b = {b[j]: j for j in range(b0, b1) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(a0, a1) if count_a[a[i]] == 1 and a[i] in where_b]
    # Longest increasing run of b-indices (pairs come in a-order).
    tails: list[int] = []  # tails[k]: index in pairs of the smallest last j of a run of k + 1
    back: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = _place(pairs, tails, j)
        if k:
            back[n] = tails[k - 1]
        if k == len(tails):
            tails.append(n)
        else:
            tails[k] = n
    run: list[tuple[int, int]] = []
    n = tails[-1] if tails else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _place(pairs: Sequence[tuple[int, int]], tails: Sequence[int], j: int) -> int:
    """Where ``j`` goes among the runs' last b-indices (they ascend): a binary search."""
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs[tails[mid]][1] < j:
            lo = mid + 1
        else:
            hi = mid
    return lo


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
    line (page and height; they may be shown by different operators)."""
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
    rows = _rows(stream)
    placed = [(t, _stream_line(t[1], stream, rows, in_stream)) for t in line_candidates(lines)]
    trios = [t for t, where in placed if where is not None]
    if not chosen and not trios:
        return None
    # Every site moved in the master's own PDF (words right, lines down): kept where
    # poppler reads the page so, and nothing else moved (the numbers' scale is right).
    moved = layer_words(
        shift_words(
            pdf,
            {stream[in_stream[w.start]]: d for w, (_, _, d) in chosen},
            lines=dict.fromkeys((where for _, where in placed if where is not None), LINE_SHIFT),
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


def _rows(stream: Sequence[StreamWord]) -> dict[tuple[int, float], list[int]]:
    """The stream words' indices by the page and height they stand at."""
    out: dict[tuple[int, float], list[int]] = {}
    for k, w in enumerate(stream):
        out.setdefault((w.glyphs[0], round(w.y, 2)), []).append(k)
    return out


def _stream_line(
    line: Sequence[Word], stream: Sequence[StreamWord], rows: dict[tuple[int, float], list[int]], at: dict[int, int]
) -> tuple[int, float] | None:
    """The page and height of ``line`` (master words) in the content stream, when its words
    are the stream's words there, all of them and nothing else: then moving that height
    moves the line."""
    ks = [at.get(w.start, -1) for w in line]
    if -1 in ks or ks != list(range(ks[0], ks[0] + len(ks))):
        return None
    return _height(stream, rows, ks[0], ks[-1])


def _height(
    stream: Sequence[StreamWord], rows: dict[tuple[int, float], list[int]], first: int, last: int
) -> tuple[int, float] | None:
    """The page and height that stream words ``first`` to ``last`` stand at, when they
    are all the stream shows there."""
    where = (stream[first].glyphs[0], round(stream[first].y, 2))
    if rows.get(where) != list(range(first, last + 1)):
        return None
    return where[0], stream[first].y


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
    rows = _rows(stream)
    for first, last, dy in lines:
        j, z = bisect.bisect_right(starts, first) - 1, bisect.bisect_left(starts, last) - 1
        if j < 0 or z < j or words[z].end != last or not dy or any(x not in at for x in range(j, z + 1)):
            continue
        if [at[x] for x in range(j, z + 1)] == list(range(at[j], at[j] + z - j + 1)):
            where = _height(stream, rows, at[j], at[z])
            if where is not None:
                heights[where] = dy
    ends = {w.end: j for j, w in enumerate(words)}
    placed: dict[StreamWord, str] = {}
    for offset, chars in marks:
        j = ends.get(offset, -1)
        if j in at and chars:
            placed[stream[at[j]]] = placed.get(stream[at[j]], "") + chars
    return shift_words(pdf, edits, placed, heights)
