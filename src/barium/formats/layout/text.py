"""Word shifts in the PDF copies of text and Markdown masters, set by typst on fixed lines.

>>> plan = lay_out(master_text, "text", text_sites, limits=limits)   # doctest: +SKIP
>>> pdf = render_layout(master_text, "text", plan.breaks, changes, shifts)   # doctest: +SKIP

A version's PDF copies are typeset with the master's line breaks fixed, so every
copy has the same words on the same lines whatever its text marks change (a changed
word only makes its line's spaces a little wider or narrower). The breaks are those
typst finds in a column :data:`SLACK` points narrower than the page's, so that no
copy's line is too long for the real column. Then, on every justified line, the
odd-numbered interior words may move sideways by ``d`` points while their
neighbours stay (research/pdf-layout: ``d = min(0.35, 0.1 x the line's space)``,
0.35 pt being 8% of its wider spaces, is not visible side by side at 10.5 pt): the
sites of :mod:`barium.formats.layout.sites`. Each shifted word is set in a box,
and so is every site's word in the master and in every copy (moved 0, or ``d``),
so that all are set alike.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

from barium.channels.base import Site, WordBox
from barium.errors import InputTooLarge
from barium.formats.layout.sites import (
    Layout,
    Word,
    candidates,
    ink_spans,
    layer_words,
    line_candidates,
    make_line_sites,
    make_sites,
    page_number,
    visible,
    word_key,
)
from barium.formats.typeset import Block, Paragraph, Piece, blocks_of, heading, typeset
from barium.limits import Limits

__all__ = ["SLACK", "lay_out", "render_blocks", "render_layout"]

SLACK = 6.0  # points: the column the breaks are found in is this much narrower
WORDS_PER_PAGE = 700  # more than a page of 10.5-pt text holds: a master past pdf_pages of them is not laid out

# --- rendering ----------------------------------------------------------------------

Change = tuple[int, int, str]  # (start, end, new text) in the master


def render_blocks(
    master: str,
    fmt: str,
    breaks: Sequence[int],
    changes: Sequence[Change],
    shifts: Mapping[int, tuple[int, float]],
    lines: Mapping[int, float] | None = None,
) -> list[Block]:
    """The typst blocks of a copy: the master with ``changes`` applied, its paragraphs
    broken at ``breaks`` (ascending), each word of ``shifts`` (start -> (end, dx)) in a box
    moved ``dx`` points (0 for the master's own place: the box is there either way,
    so that the master and every copy are set alike), and each line of ``lines`` (the
    start of its first word -> dy) set ``dy`` points down (0 likewise)."""
    moved = lines or {}
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
        rows: list[tuple[Piece, ...]] = []
        dys: list[float | None] = []
        pos = start
        for ls, le in itertools.pairwise(starts):
            dys.append(moved.get(ls))
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
            rows.append(_trim(pieces))
        out.append(Paragraph(tuple(rows), tuple(dys)))
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
    lines: Mapping[int, float] | None = None,
    *,
    stamp: str = "",
) -> bytes:
    """The PDF of a copy laid out on the version's fixed lines (see :func:`render_blocks`),
    with ``stamp`` at the head of its pages."""
    return typeset(render_blocks(master, fmt, breaks, changes, shifts, lines), stamp=stamp)


# --- laying out a master ------------------------------------------------------------


def _chunks(master: str, fmt: str) -> list[Word]:
    """Every word of the paragraphs (runs without white space), in order; headings'
    words too (``#`` marks dropped), so that the text layer can be followed through."""
    out: list[Word] = []
    for b, (start, end, level) in enumerate(blocks_of(master, fmt)):
        text = master[start:end]
        offset = start
        if level and heading(text, level) is not None:
            offset = start + level
            text = text[level:]
        for m in re.finditer(r"\S+", text):
            out.append(Word(offset + m.start(), offset + m.end(), -1 - b if level else b))
    return out


def _follow(master: str, words: list[Word], boxes: Sequence[WordBox]) -> list[Word] | None:
    """The text layer's words over the master's: each with its page, line and box, a
    master word broken after a hyphen at a line end being two (``worse-`` and
    ``than-expected``); None when the layer does not show the master's words in order
    (page numbers aside)."""
    out: list[Word] = []
    k, pos = 0, words[0].start if words else 0
    for box in boxes:
        seen = word_key(box.text)
        if k < len(words):
            w = words[k]
            rest = master[pos : w.end]
            if seen == word_key(rest):
                out.append(Word(pos, w.end, w.paragraph, box.page, box.line, box))
                k += 1
                pos = words[k].start if k < len(words) else pos
                continue
            n = len(box.text)
            if seen and seen[-1] in _BREAKS and n < len(rest) and word_key(rest[:n]) == seen:
                out.append(Word(pos, pos + n, w.paragraph, box.page, box.line, box))
                pos += n
                continue
        if page_number(box):
            continue
        return None
    return out if k == len(words) else None


_BREAKS = "-\u2010\u2013\u2014/"  # after these typst may break a line inside a word


def _widest(master: str, sites: Sequence[Site]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The master with every visible text site in its longest form (the breaks are
    found in it, so that no copy's line is longer than its line in this text), and
    each replaced span as (start in that text, end in it, start in the master, end in it)."""
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    pos = size = 0
    for site in sites:
        longest = max(site.forms, key=len)
        # Forms of several words (an order of items) are kept whole even when no
        # longer than the master's: a line break inside one would cut the site.
        if not visible(site) or (len(longest) <= site.end - site.start and " " not in longest):
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


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """The paragraph words grouped into the lines they stand on: one page, one height."""
    out: list[list[Word]] = []
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
    master: str, fmt: str, words: list[Word], text_sites: Sequence[Site], *, limits: Limits
) -> tuple[Layout, list[Site]] | None:
    wide, spans = _widest(master, text_sites)
    natural = _follow(
        wide,
        _chunks(wide, fmt),
        layer_words(typeset(render_blocks(wide, fmt, (), (), {}), inset=SLACK / 2), limits=limits),
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
    laid = _follow(master, words, layer_words(render_layout(master, fmt, breaks, (), {}), limits=limits))
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
    # Justified lines: those that end in a fixed break (a paragraph's last line does not).
    justified = [line for line, after in itertools.pairwise(lines) if after[0].start in wanted]
    chosen = candidates(master, justified, kept)
    trios = line_candidates(lines)
    pdf = render_layout(
        master, fmt, breaks, (), {w.start: (w.end, 0.0) for w, _ in chosen}, {t[1][0].start: 0.0 for t in trios}
    )
    boxed = _follow(master, words, layer_words(pdf, limits=limits))
    if boxed is None or len(boxed) != len(laid) or any(_moved(a.box, b.box) for a, b in zip(laid, boxed, strict=True)):
        return None  # the boxes the shifted words are set in changed the page
    at = {w.start: w for w in boxed}
    placed = [(at[w.start], (at[a.start], at[b.start], d)) for w, (a, b, d) in chosen]
    placed_lines = [tuple([at[w.start] for w in line] for line in trio) for trio in trios]
    inked = [x for w, (a, b, _) in placed for x in (a, w, b)] + [w for t in placed_lines for ln in t for w in ln]
    ink = ink_spans(pdf, inked, limits=limits)
    sites = make_sites(master, placed, {w.start: line for line in lines for w in line}, ink)
    sites += make_line_sites(placed_lines, ink)  # type: ignore[arg-type]
    return Layout(tuple(breaks), tuple(sites)), kept


def _holds(
    master: str, fmt: str, breaks: Sequence[int], sites: Sequence[Site], rows: set[tuple[int, float]], *, limits: Limits
) -> bool:
    """The copy with every visible mark at its longest form has its lines where the
    master has them (``rows``: page and height): no copy's line is too long for the column."""
    longest = [(s.start, s.end, max(s.forms, key=len)) for s in sites if visible(s)]
    return _rows(layer_words(render_layout(master, fmt, breaks, longest, {}), limits=limits)) == rows


def _rows(boxes: Iterable[WordBox | None]) -> set[tuple[int, float]]:
    """The (page, height) of every line the words stand on, page numbers aside."""
    return {(b.page, round(b.top, 1)) for b in boxes if b is not None and not page_number(b)}


def _moved(a: WordBox | None, b: WordBox | None) -> bool:
    return a is None or b is None or abs(a.left - b.left) > 0.01 or abs(a.top - b.top) > 0.01


def _cut(site: Site, breaks: Sequence[int], ends: Sequence[int]) -> bool:
    """The site reaches past the end of its line ``ends[i]`` (into the space a fixed
    break ``breaks[i]`` stands for, or onto the next line); ``breaks`` ascending."""
    i = bisect.bisect_right(breaks, site.start)
    return i < len(breaks) and site.end > ends[i]
