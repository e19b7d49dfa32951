"""What the layout channel's two typesetters share: words on lines, which may move, their ink, their sites.

Two kinds of site. A word is a ``word-shift`` site when it stands inside a line between two
neighbours on that line, with three forms: unmoved (the master's, never issued),
moved ``d`` points right, moved ``d`` left. Its locator keeps what reading it needs:
its line (page and line number, the master offsets where the line's first word
starts and its last word ends, and how many words it has), where its word and its
two neighbours stand in the master, as the edges of their glyph boxes (what a PDF's
text layer gives back) and of their ink (what OCR's word boxes bound), and ``d``;
lengths in millipoints (see :func:`barium.channels.layout.shift_reading`).

A line is a ``line-shift`` site when it stands between two lines of its paragraph on
its page, neither of them a site (lines 1, 3, 5... of a paragraph, never its last),
each of the three with :data:`LINE_WORDS` words or more; its forms: unmoved, moved
:data:`LINE_SHIFT` points down, moved up. Its site is the empty span where its first
word starts (its forms are all empty: no text changes). Its locator keeps its page and
line number, its shift, each of the three lines' first word start, last word end and
word count, and every word's vertical centre in the master, of its glyph box and of
its ink (see :func:`barium.channels.layout.line_reading`).
"""

from __future__ import annotations

import bisect
import itertools
import json
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from barium.channels.base import Locator, Site, WordBox
from barium.channels.layout import LINE_RULE, WORD_RULE, LayoutChannel
from barium.errors import WorkspaceError
from barium.limits import Limits
from barium.text.invisible import strip_invisible

CHANNEL = LayoutChannel.name
RULE = WORD_RULE
MAX_SHIFT = 0.35  # points
LINE_SHIFT = (
    0.25  # points a shifted line moves up or down (2% of its leading at 10.5 pt; Brassil et al. used 1/300 inch)
)
LINE_WORDS = 3  # a shifted line and each of its neighbours hold at least this many words
SHIFT_SHARE = 0.1  # of the line's space (research/pdf-layout: 0.35 pt, 8% of its wider spaces, was invisible)
MIN_SHIFT = 0.25  # points; smaller shifts do not read back from a 200-dpi picture
SPACES = (" ", "\n", "\u00a0")  # the one space a site's word may have on each side
# OCR boxes a word of one letter badly ("a" read 2 pt narrower than its ink at 300 dpi).
MIN_LETTERS = 2
INK_DPI = 300  # the master's pages are rasterised at this resolution to find each word's ink
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


def layout_to_json(breaks: Sequence[int], *, typesetter: str = "typst") -> str:
    """A version's stored layout: who sets its PDF copies' pages (``typst`` on the
    ``breaks`` given, or ``libreoffice`` on its own lines) and the fixed breaks."""
    return json.dumps(
        {"schema": LAYOUT_SCHEMA, "version": LAYOUT_VERSION, "typesetter": typesetter, "breaks": list(breaks)}
    )


def layout_from_json(data: str | None) -> tuple[int, ...] | None:
    """The breaks of a stored layout (none for a Word master's); None for a version
    without word shifts."""
    if not data:
        return None
    doc = json.loads(data)
    if doc.get("schema") != LAYOUT_SCHEMA or doc.get("version") != LAYOUT_VERSION:
        raise WorkspaceError(
            f"a stored layout has schema version {doc.get('version')}; this Barium reads {LAYOUT_VERSION}"
        )
    return tuple(int(b) for b in doc["breaks"])


@dataclass(frozen=True, slots=True)
class Word:
    """A master word (offsets), and where the master's PDF shows it."""

    start: int
    end: int
    paragraph: int  # block index (negative: a heading)
    page: int = -1
    line: int = -1
    box: WordBox | None = None


def word_key(text: str) -> str:
    """What a PDF's word and a master's word are compared by."""
    return strip_invisible(unicodedata.normalize("NFKC", text))


def layer_words(pdf: bytes, *, limits: Limits) -> list[WordBox]:
    """The words of a PDF's text layer, page after page, with their glyph boxes."""
    from barium.formats.pdf.info import pdf_info
    from barium.formats.pdf.textlayer import text_layer

    with tempfile.TemporaryDirectory(prefix="barium-layout-") as tmp:
        path = Path(tmp) / "master.pdf"
        path.write_bytes(pdf)
        info = pdf_info(path, limits=limits, name="the master's PDF")
        return [
            w for page in text_layer(path, pages=info.pages, limits=limits, name="the master's PDF") for w in page.words
        ]


def visible(site: Site) -> bool:
    return site.channel != "invisible"


def page_number(box: WordBox) -> bool:
    return box.text.isdigit() and box.text == str(box.page + 1)


def candidates(
    master: str, lines: Iterable[Sequence[Word]], sites: Sequence[Site]
) -> list[tuple[Word, tuple[Word, Word, float]]]:
    """The words that may move, each with its neighbours and ``d``: odd interior words
    of ``lines`` (the lines a typesetter's shifts may use, each of one height, its words
    in order with their boxes), clear of visible text marks, one space from each
    neighbour, no word of one letter; ``d`` is :data:`SHIFT_SHARE` of the line's
    narrowest space, at most :data:`MAX_SHIFT`, a line whose ``d`` would be under
    :data:`MIN_SHIFT` offering none."""
    marked = sorted((s.start, s.end) for s in sites if visible(s))
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

    out: list[tuple[Word, tuple[Word, Word, float]]] = []
    for line in lines:
        if len(line) < 3:
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
            # One space each side, the same both sides: a typesetter stretches every
            # space of a justified line, so a double space would move with the copy's
            # other marks, and LibreOffice does not stretch a no-break space, so one
            # beside an ordinary space would read a copy's wider line as a shift.
            before, after = master[prev.end : w.start], master[w.end : nxt.start]
            if before not in SPACES or after not in SPACES or (before == "\u00a0") != (after == "\u00a0"):
                continue
            out.append((w, (prev, nxt, round(d, 3))))
    return out


Ink = tuple[float, float, float, float]  # left, right, top, bottom (points)


def ink_spans(pdf: bytes, words: Sequence[Word], *, limits: Limits) -> dict[int, Ink]:
    """Master start -> where (points) the ink of each word's box begins and ends, across
    and down, from
    the master's pages rendered at :data:`INK_DPI`, :data:`INK_PAGES` pages a run of
    ``pdftoppm`` (uncompressed grey: PNG's compression cost more than the rendering)."""
    from PIL import Image

    from barium.formats.image.run import run_tool

    by_page: dict[int, list[Word]] = {}
    for w in words:
        by_page.setdefault(w.page, []).append(w)
    out: dict[int, Ink] = {}
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
                    inked = grey[max(0, top) : bottom, max(0, left) : right] < INK_LEVEL
                    cols, rows = np.flatnonzero(inked.any(axis=0)), np.flatnonzero(inked.any(axis=1))
                    if cols.size:
                        x, y = max(0, left), max(0, top)
                        out[w.start] = (
                            (x + cols[0]) / scale,
                            (x + cols[-1] + 1) / scale,
                            (y + rows[0]) / scale,
                            (y + rows[-1] + 1) / scale,
                        )
    return out


def make_sites(
    master: str,
    chosen: Sequence[tuple[Word, tuple[Word, Word, float]]],
    line_of: Mapping[int, Sequence[Word]],
    ink: Mapping[int, Ink],
    *,
    kind: str = "pdf-word",
) -> list[Site]:
    """The word-shift sites of ``chosen`` (as :func:`candidates` gives them, each word
    with its box where the master's PDF shows it), with ``line_of`` (master start ->
    its line) and the ink of every word of a trio; a trio without all its ink is left.
    ``kind``: ``pdf-word`` on a copy's fixed lines, ``pdf-flow-word`` where a copy's
    lines may break elsewhere (its reader then does not ask for the master's line)."""
    sites = []
    for w, (left, right, d) in chosen:
        trio = (left, w, right)
        line = line_of[w.start]
        inks = [c for c in (ink.get(t.start) for t in trio) if c is not None]
        if len(inks) < 3:
            continue
        box = w.box
        assert box is not None
        glyphs = [t.box for t in trio if t.box is not None]
        numbers = [
            *(v for b in glyphs for v in (b.left, b.left + b.width)),
            *(v for a, z, *_ in inks for v in (a, z)),
            d,
        ]
        # The line's first word, last word and count, so that a reader can tell a page
        # set on this version's lines from one laid out anew (by a word processor).
        address = (box.page, box.line, line[0].start, line[-1].end, len(line), *(round(v * MILLI) for v in numbers))
        word = master[w.start : w.end]
        sites.append(Site(CHANNEL, RULE, w.start, w.end, (word, word, word), 0, w.paragraph, Locator(kind, address)))
    return sites


def line_candidates(lines: Sequence[Sequence[Word]]) -> list[tuple[Sequence[Word], Sequence[Word], Sequence[Word]]]:
    """The lines that may move up or down, each with the line above and below it (lines
    1, 3, 5... of each paragraph, so no two moved lines are neighbours):
    ``lines`` are the master's lines in order (each of one height, its words with their
    boxes), a paragraph's lines one after another; the three must follow each other
    on their page (a line left out between them is not theirs to skip)."""
    out: list[tuple[Sequence[Word], Sequence[Word], Sequence[Word]]] = []
    start = 0
    for k in range(1, len(lines) + 1):
        if k < len(lines) and lines[k][0].paragraph == lines[start][0].paragraph:
            continue
        paragraph = lines[start:k]
        for i in range(1, len(paragraph) - 1, 2):
            trio = (paragraph[i - 1], paragraph[i], paragraph[i + 1])
            rows = [ln[0].box.line if ln[0].box else -1 for ln in trio]
            if (
                len({ln[0].page for ln in trio}) == 1
                and rows[1] == rows[0] + 1
                and rows[2] == rows[1] + 1
                and all(len(ln) >= LINE_WORDS for ln in trio)
            ):
                out.append(trio)
        start = k
    return out


def make_line_sites(
    chosen: Sequence[tuple[Sequence[Word], Sequence[Word], Sequence[Word]]], ink: Mapping[int, Ink]
) -> list[Site]:
    """The line-shift sites of ``chosen`` (as :func:`line_candidates` gives them), with the
    ink of every word of their three lines; a line whose words' ink is not all known is left."""
    sites = []
    for trio in chosen:
        words = [w for line in trio for w in line]
        if any(w.box is None or w.start not in ink for w in words):
            continue
        line = trio[1]
        box = line[0].box
        assert box is not None
        ends = [v for ln in trio for v in (ln[0].start, ln[-1].end, len(ln))]
        centres = [
            round(v * MILLI)
            for w in words
            if w.box is not None
            for v in (w.box.top + w.box.height / 2, (ink[w.start][2] + ink[w.start][3]) / 2)
        ]
        address = (box.page, box.line, round(LINE_SHIFT * MILLI), *ends, *centres)
        start = line[0].start
        sites.append(
            Site(CHANNEL, LINE_RULE, start, start, ("", "", ""), 0, line[0].paragraph, Locator("pdf-line", address))
        )
    return sites
