"""Word shifts in PDF copies: a layout channel carried by the page geometry.

>>> plan = lay_out(master_text, "text", text_sites, limits=limits)   # doctest: +SKIP
>>> pdf = render_layout(master_text, "text", plan.breaks, changes, shifts)   # doctest: +SKIP

A version's PDF copies are typeset with the master's line breaks fixed, so every
copy has the same words on the same lines whatever its text marks change (a changed
word only makes its line's spaces a little wider or narrower). The breaks are those
typst finds in a column :data:`SLACK` points narrower than the page's, so that no
copy's line is too long for the real column. Then, on every justified line, the
odd-numbered interior words may move sideways by ``d`` points while their
neighbours stay (research/pdf-layout: ``d = min(0.35, 0.1 x the line's space)``, 0.35 pt being 8% of its wider spaces, is
not visible side by side at 10.5 pt); each such word is a site of the ``layout``
channel with three forms: unmoved (the master's, never issued), left, right.

A site's locator keeps what reading it needs: its line (page and line number, the
master offsets where the line's first word starts and its last word ends, and how
many words it has), where its word and its two neighbours stand in the master, as
the edges of their glyph boxes (what a PDF's text layer gives back) and of their
ink (what OCR's word boxes bound), and ``d``; lengths in millipoints.
A word is only a site when neither it nor its neighbours are touched by a visible
text mark, it holds no site of another channel, and one space parts it from each
neighbour: see :func:`barium.channels.layout.shift_reading`.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from barium.channels.base import Locator, Site, WordBox
from barium.errors import InputTooLarge, WorkspaceError
from barium.formats.typeset import Block, Paragraph, Piece, blocks_of, heading, typeset
from barium.limits import Limits
from barium.text.invisible import strip_invisible

__all__ = ["LAYOUT_SCHEMA", "Layout", "lay_out", "layout_from_json", "layout_to_json", "render_layout"]

CHANNEL = "layout"
RULE = "word-shift"
SLACK = 6.0  # points: the column the breaks are found in is this much narrower
MAX_SHIFT = 0.35  # points
SHIFT_SHARE = 0.1  # of the line's space (research/pdf-layout: 0.35 pt, 8% of its wider spaces, was invisible)
MIN_SHIFT = 0.25  # points; smaller shifts do not read back from a 200-dpi picture
SPACES = (" ", "\n", "\u00a0")  # the one space a site's word may have on each side
# OCR boxes a word of one letter badly ("a" read 2 pt narrower than its ink at 300 dpi).
MIN_LETTERS = 2
INK_DPI = 300  # the master's pages are rasterised at this resolution to find each word's ink
WORDS_PER_PAGE = 700  # more than a page of 10.5-pt text holds: a master past pdf_pages of them is not laid out
INK_PAGES = 8  # pages rendered by one run of pdftoppm (about 9 MB each, uncompressed)
INK_LEVEL = 140  # grey level (0-255) under which a pixel is ink
MILLI = 1000  # locator numbers are integers: millipoints

LAYOUT_SCHEMA = "barium.layout"
LAYOUT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Layout:
    """A version's fixed line breaks (master offsets where a line starts that is not a
    paragraph's first) and its word-shift sites."""

    breaks: tuple[int, ...]
    sites: tuple[Site, ...]


def layout_to_json(breaks: Sequence[int]) -> str:
    return json.dumps(
        {"schema": LAYOUT_SCHEMA, "version": LAYOUT_VERSION, "typesetter": "typst", "breaks": list(breaks)}
    )


def layout_from_json(data: str | None) -> tuple[int, ...] | None:
    """The breaks of a stored layout; None for a version laid out by typst alone."""
    if not data:
        return None
    doc = json.loads(data)
    if doc.get("schema") != LAYOUT_SCHEMA or doc.get("version") != LAYOUT_VERSION:
        raise WorkspaceError(
            f"a stored layout has schema version {doc.get('version')}; this Barium reads {LAYOUT_VERSION}"
        )
    return tuple(int(b) for b in doc["breaks"])


# --- rendering ----------------------------------------------------------------------

Change = tuple[int, int, str]  # (start, end, new text) in the master


def render_blocks(
    master: str,
    fmt: str,
    breaks: Sequence[int],
    changes: Sequence[Change],
    shifts: Mapping[int, tuple[int, float]],
) -> list[Block]:
    """The typst blocks of a copy: the master with ``changes`` applied, its paragraphs
    broken at ``breaks`` (ascending), and each word of ``shifts`` (start -> (end, dx)) in a box
    moved ``dx`` points (0 for the master's own place: the box is there either way,
    so that the master and every copy are set alike)."""
    events = sorted(
        [(s, e, t, None) for s, e, t in changes] + [(s, e, master[s:e], dx) for s, (e, dx) in shifts.items()]
    )
    out: list[Block] = []
    k = 0
    for start, end, level in blocks_of(master, fmt):
        while k < len(events) and events[k][0] < start:
            k += 1
        if level:
            parts: list[str] = []
            pos = start
            while k < len(events) and events[k][0] < end:
                s, e, t, _ = events[k]
                parts += [master[pos:s], t]
                pos = max(pos, e)
                k += 1
            parts.append(master[pos:end])
            text = "".join(parts)
            head = heading(text, len(text) - len(text.lstrip("#")))
            if head is not None:
                out.append(head)
                continue
            out.append(Paragraph(((Piece(text.replace("\n", " ")),),)))
            continue
        inside = breaks[bisect.bisect_right(breaks, start) : bisect.bisect_left(breaks, end)]
        starts = [start, *inside, end]
        lines: list[tuple[Piece, ...]] = []
        pos = start
        for ls, le in itertools.pairwise(starts):
            pieces: list[Piece] = []
            run: list[str] = []
            pos = max(pos, ls)
            while k < len(events) and events[k][0] < le:
                s, e, t, dx = events[k]
                run.append(master[pos:s])
                if dx is None:
                    run.append(t)
                else:
                    # Invisible marks right after the word go in its box: outside it,
                    # a text layer reads them as joining the word to the next.
                    while k + 1 < len(events) and events[k + 1][0] == events[k + 1][1] == e:
                        k += 1
                        t += events[k][2]
                    pieces.append(Piece("".join(run).replace("\n", " ")))
                    pieces.append(Piece(t, dx))
                    run = []
                pos = max(pos, e)
                k += 1
            run.append(master[pos:le])
            pos = le
            pieces.append(Piece("".join(run).replace("\n", " ")))
            lines.append(_trim(pieces))
        out.append(Paragraph(tuple(lines)))
    return out


def _trim(pieces: list[Piece]) -> tuple[Piece, ...]:
    """A line's pieces without the spaces at its ends (the line break stands for them)."""
    kept = [p for p in pieces if p.text or p.dx is not None]
    if kept and kept[0].dx is None:
        kept[0] = Piece(kept[0].text.lstrip(" \t"))
    if kept and kept[-1].dx is None:
        kept[-1] = Piece(kept[-1].text.rstrip(" \t"))
    return tuple(p for p in kept if p.text or p.dx is not None)


def render_layout(
    master: str,
    fmt: str,
    breaks: Sequence[int],
    changes: Sequence[Change],
    shifts: Mapping[int, tuple[int, float]],
    *,
    stamp: str = "",
) -> bytes:
    """The PDF of a copy laid out on the version's fixed lines (see :func:`render_blocks`),
    with ``stamp`` at the head of its pages."""
    return typeset(render_blocks(master, fmt, breaks, changes, shifts), stamp=stamp)


# --- laying out a master ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    paragraph: int  # block index
    page: int = -1
    line: int = -1
    box: WordBox | None = None


def _chunks(master: str, fmt: str) -> list[_Word]:
    """Every word of the paragraphs (runs without white space), in order; headings'
    words too (``#`` marks dropped), so that the text layer can be followed through."""
    out: list[_Word] = []
    for b, (start, end, level) in enumerate(blocks_of(master, fmt)):
        text = master[start:end]
        offset = start
        if level and heading(text, level) is not None:
            offset = start + level
            text = text[level:]
        for m in re.finditer(r"\S+", text):
            out.append(_Word(offset + m.start(), offset + m.end(), -1 - b if level else b))
    return out


def _key(text: str) -> str:
    return strip_invisible(unicodedata.normalize("NFKC", text))


def _follow(master: str, words: list[_Word], boxes: Sequence[WordBox]) -> list[_Word] | None:
    """The text layer's words over the master's: each with its page, line and box, a
    master word broken after a hyphen at a line end being two (``worse-`` and
    ``than-expected``); None when the layer does not show the master's words in order
    (page numbers aside)."""
    out: list[_Word] = []
    k, pos = 0, words[0].start if words else 0
    for box in boxes:
        seen = _key(box.text)
        if k < len(words):
            w = words[k]
            rest = master[pos : w.end]
            if seen == _key(rest):
                out.append(_Word(pos, w.end, w.paragraph, box.page, box.line, box))
                k += 1
                pos = words[k].start if k < len(words) else pos
                continue
            n = len(box.text)
            if seen and seen[-1] in _BREAKS and n < len(rest) and _key(rest[:n]) == seen:
                out.append(_Word(pos, pos + n, w.paragraph, box.page, box.line, box))
                pos += n
                continue
        if _page_number(box):
            continue
        return None
    return out if k == len(words) else None


_BREAKS = "-\u2010\u2013\u2014/"  # after these typst may break a line inside a word


def _layer_words(pdf: bytes, *, limits: Limits) -> list[WordBox]:
    from barium.formats.pdf.info import pdf_info
    from barium.formats.pdf.textlayer import text_layer

    with tempfile.TemporaryDirectory(prefix="barium-layout-") as tmp:
        path = Path(tmp) / "master.pdf"
        path.write_bytes(pdf)
        info = pdf_info(path, limits=limits, name="the master's PDF")
        return [
            w for page in text_layer(path, pages=info.pages, limits=limits, name="the master's PDF") for w in page.words
        ]


def _visible(site: Site) -> bool:
    return site.channel != "invisible"


def _widest(master: str, sites: Sequence[Site]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The master with every visible text site in its longest form (the breaks are
    found in it, so that no copy's line is longer than its line in this text), and
    each replaced span as (start in that text, end in it, start in the master, end in it)."""
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    pos = size = 0
    for site in sites:
        longest = max(site.forms, key=len)
        if not _visible(site) or len(longest) <= site.end - site.start:
            continue
        # No break inside the form (its spaces made no-break): a line can only end
        # where every copy's line can.
        longest = longest.replace(" ", "\u00a0")
        parts.append(master[pos : site.start])
        size += site.start - pos
        parts.append(longest)
        spans.append((size, size + len(longest), site.start, site.end))
        size += len(longest)
        pos = site.end
    parts.append(master[pos:])
    return "".join(parts), spans


def _to_master(
    offset: int, spans: Sequence[tuple[int, int, int, int]], firsts: Sequence[int], starts: Sequence[int]
) -> int:
    """Where a line that starts at ``offset`` of the widest text starts in the master:
    at the same character, or, when that falls inside a replaced site, at the start
    of the master word the site is in (the whole word then goes to the next line)."""
    i = bisect.bisect_right(firsts, offset) - 1  # firsts: each span's start in the widest text
    if i < 0:
        return offset
    a, e, m0, m1 = spans[i]
    if a < offset < e:
        return starts[max(0, bisect.bisect_right(starts, m0) - 1)]
    return m0 if offset == a else m1 + (offset - e)


def _lines(words: Sequence[_Word]) -> list[list[_Word]]:
    """The paragraph words grouped into the lines they stand on: one page, one height."""
    out: list[list[_Word]] = []
    for w in words:
        if w.paragraph < 0 or w.box is None:
            continue
        last = out[-1][-1] if out else None
        if (
            last is not None
            and last.box is not None
            and last.paragraph == w.paragraph
            and last.page == w.page
            and abs(last.box.top - w.box.top) < 0.5
        ):
            out[-1].append(w)
        else:
            out.append([w])
    return out


def lay_out(master: str, fmt: str, text_sites: Sequence[Site], *, limits: Limits) -> tuple[Layout, list[Site]] | None:
    """The master's fixed lines and word-shift sites, and the text sites kept (those
    a line break does not cut); None when the master cannot be followed through its
    own PDF, or is longer than ``limits.pdf_pages`` pages (then its PDF copies carry
    text marks only)."""
    words = _chunks(master, fmt)
    if not words or len(words) > limits.pdf_pages * WORDS_PER_PAGE:
        return None  # a master too long to lay out in a few seconds (and its PDF beyond the page cap)
    try:
        return _lay_out(master, fmt, words, text_sites, limits=limits)
    except InputTooLarge:
        return None  # its PDF runs past limits.pdf_pages


def _lay_out(
    master: str, fmt: str, words: list[_Word], text_sites: Sequence[Site], *, limits: Limits
) -> tuple[Layout, list[Site]] | None:
    wide, spans = _widest(master, text_sites)
    natural = _follow(
        wide,
        _chunks(wide, fmt),
        _layer_words(typeset(render_blocks(wide, fmt, (), (), {}), inset=SLACK / 2), limits=limits),
    )
    if natural is None:
        return None
    starts = [w.start for w in words]
    firsts = [a for a, *_ in spans]
    breaks = sorted(
        {
            _to_master(line[0].start, spans, firsts, starts)
            for prev, line in itertools.pairwise(_lines(natural))
            if prev[0].paragraph == line[0].paragraph
        }
    )
    # The master set on those lines: every line must hold, at one height, as given.
    laid = _follow(master, words, _layer_words(render_layout(master, fmt, breaks, (), {}), limits=limits))
    if laid is None:
        return None
    lines = _lines(laid)
    wanted = set(breaks)
    starts_ok = all(
        line[0].start in wanted for prev, line in itertools.pairwise(lines) if prev[0].paragraph == line[0].paragraph
    )
    if (
        not starts_ok
        or [ln[0].start for ln in lines if ln[0].start in wanted] != breaks
        or any(w.start in wanted for ln in lines for w in ln[1:])
    ):
        return None  # a line too long for the column broke again: no layout marks rather than wrong ones
    ends = [prev[-1].end for prev, line in itertools.pairwise(lines) if line[0].start in wanted]
    kept = [s for s in text_sites if not _cut(s, breaks, ends)]
    if not _holds(master, fmt, breaks, kept, _rows(w.box for w in laid), limits=limits):
        return None
    candidates = _candidates(master, lines, kept, wanted)
    pdf = render_layout(master, fmt, breaks, (), {w.start: (w.end, 0.0) for w, _ in candidates})
    boxed = _follow(master, words, _layer_words(pdf, limits=limits))
    if boxed is None or len(boxed) != len(laid) or any(_moved(a.box, b.box) for a, b in zip(laid, boxed, strict=True)):
        return None  # the boxes the shifted words are set in changed the page
    at = {w.start: w for w in boxed}
    ink = _ink_spans(pdf, [at[x.start] for w, (a, b, _) in candidates for x in (a, w, b)], limits=limits)
    sites = []
    line_of = {w.start: line for line in lines for w in line}
    for w, (left, right, d) in candidates:
        trio = (at[left.start], at[w.start], at[right.start])
        line = line_of[w.start]
        inks = [c for c in (ink.get(t.start) for t in trio) if c is not None]
        if len(inks) < 3:
            continue
        box = trio[1].box
        assert box is not None
        glyphs = [t.box for t in trio if t.box is not None]
        numbers = [*(v for b in glyphs for v in (b.left, b.left + b.width)), *(v for a, z in inks for v in (a, z)), d]
        # The line's first word, last word and count, so that a reader can tell a page
        # set on this version's lines from one laid out anew (by a word processor).
        address = (box.page, box.line, line[0].start, line[-1].end, len(line), *(round(v * MILLI) for v in numbers))
        word = master[w.start : w.end]
        sites.append(
            Site(CHANNEL, RULE, w.start, w.end, (word, word, word), 0, w.paragraph, Locator("pdf-word", address))
        )
    return Layout(tuple(breaks), tuple(sites)), kept


def _holds(
    master: str, fmt: str, breaks: Sequence[int], sites: Sequence[Site], rows: set[tuple[int, float]], *, limits: Limits
) -> bool:
    """The copy with every visible mark at its longest form has its lines where the
    master has them (``rows``: page and height): no copy's line is too long for the column."""
    longest = [(s.start, s.end, max(s.forms, key=len)) for s in sites if _visible(s)]
    return _rows(_layer_words(render_layout(master, fmt, breaks, longest, {}), limits=limits)) == rows


def _rows(boxes: Iterable[WordBox | None]) -> set[tuple[int, float]]:
    """The (page, height) of every line the words stand on, page numbers aside."""
    return {(b.page, round(b.top, 1)) for b in boxes if b is not None and not _page_number(b)}


def _page_number(box: WordBox) -> bool:
    return box.text.isdigit() and box.text == str(box.page + 1)


def _moved(a: WordBox | None, b: WordBox | None) -> bool:
    return a is None or b is None or abs(a.left - b.left) > 0.01 or abs(a.top - b.top) > 0.01


def _cut(site: Site, breaks: Sequence[int], ends: Sequence[int]) -> bool:
    """The site reaches past the end of its line ``ends[i]`` (into the space a fixed
    break ``breaks[i]`` stands for, or onto the next line); ``breaks`` ascending."""
    i = bisect.bisect_right(breaks, site.start)
    return i < len(breaks) and site.end > ends[i]


def _candidates(
    master: str, lines: Sequence[Sequence[_Word]], sites: Sequence[Site], breaks: set[int]
) -> list[tuple[_Word, tuple[_Word, _Word, float]]]:
    """The words that may move: odd interior words of justified lines (those that end
    in a fixed break; a paragraph's last line does not), clear of visible text marks,
    one space from each neighbour, no word of one letter."""
    marked = sorted((s.start, s.end) for s in sites if _visible(s))
    starts = [a for a, _ in marked]
    every = sorted((s.start, s.end) for s in sites)
    every_starts = [a for a, _ in every]

    def touched(a: int, b: int) -> bool:
        i = bisect.bisect_left(starts, b)
        return any(marked[j][1] > a and marked[j][0] < b for j in range(max(0, i - 8), i))

    def inside(a: int, b: int) -> bool:
        """A site of any channel lies in the word (a zero-width character the master
        already has at its end belongs to an invisible site: the two must not overlap)."""
        i = bisect.bisect_left(every_starts, b)
        return any(every[j][1] > a and every[j][0] < b for j in range(max(0, i - 8), i))

    out: list[tuple[_Word, tuple[_Word, _Word, float]]] = []
    for line, after in itertools.pairwise(lines):
        if after[0].start not in breaks or len(line) < 3:
            continue
        boxes = [w.box for w in line if w.box is not None]
        space = min(b.left - (a.left + a.width) for a, b in itertools.pairwise(boxes))
        d = min(MAX_SHIFT, SHIFT_SHARE * space)
        if d < MIN_SHIFT:
            continue
        for j in range(1, len(line) - 1, 2):
            prev, w, nxt = line[j - 1], line[j], line[j + 1]
            assert prev.box is not None and nxt.box is not None
            if touched(prev.start, nxt.end) or inside(w.start, w.end):
                continue
            if min(x.end - x.start for x in (prev, w, nxt)) < MIN_LETTERS:
                continue
            # One space each side: typst stretches every space of a justified line, so
            # a double space would move with the copy's other marks.
            if master[prev.end : w.start] not in SPACES or master[w.end : nxt.start] not in SPACES:
                continue
            out.append((w, (prev, nxt, round(d, 3))))
    return out


def _ink_spans(pdf: bytes, words: Sequence[_Word], *, limits: Limits) -> dict[int, tuple[float, float]]:
    """Master start -> where (points) the ink of each word's box begins and ends, from
    the master's pages rendered at :data:`INK_DPI`, :data:`INK_PAGES` pages a run of
    ``pdftoppm`` (uncompressed grey: PNG's compression cost more than the rendering)."""
    from PIL import Image

    from barium.formats.image.run import run_tool

    by_page: dict[int, list[_Word]] = {}
    for w in words:
        by_page.setdefault(w.page, []).append(w)
    out: dict[int, tuple[float, float]] = {}
    scale = INK_DPI / 72.0
    runs: list[list[int]] = []  # runs of at most INK_PAGES consecutive pages, each with words
    for page in sorted(by_page):
        if runs and page - runs[-1][0] < INK_PAGES:
            runs[-1].append(page)
        else:
            runs.append([page])
    with tempfile.TemporaryDirectory(prefix="barium-ink-") as tmp:
        path = Path(tmp) / "master.pdf"
        path.write_bytes(pdf)
        for chunk, run in enumerate(runs):
            first, last = run[0], run[-1]
            prefix = Path(tmp) / f"c{chunk}"
            run_tool(
                [
                    "pdftoppm",
                    "-r",
                    str(INK_DPI),
                    "-gray",
                    "-f",
                    str(first + 1),
                    "-l",
                    str(last + 1),
                    str(path),
                    str(prefix),
                ],
                limits=limits,
                name="the master's PDF",
            )
            for image in sorted(Path(tmp).glob(f"c{chunk}-*.pgm")):
                page = int(image.stem.rsplit("-", 1)[1]) - 1
                with Image.open(image) as im:
                    grey = np.asarray(im.convert("L"))
                image.unlink()
                for w in by_page.get(page, []):
                    box = w.box
                    assert box is not None
                    top, bottom = round(box.top * scale), round((box.top + box.height) * scale)
                    left, right = round((box.left - 1.0) * scale), round((box.left + box.width + 1.0) * scale)
                    cols = np.flatnonzero((grey[max(0, top) : bottom, max(0, left) : right] < INK_LEVEL).any(axis=0))
                    if cols.size:
                        x = max(0, left)
                        out[w.start] = ((x + cols[0]) / scale, (x + cols[-1] + 1) / scale)
    return out
