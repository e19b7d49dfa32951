"""Apply text edits, in text coordinates, to the ``w:t`` elements that hold the text.

Each edit ``(start, end, new)`` puts ``new`` into the run where the span starts,
so it keeps that run's formatting, and removes the rest of the span from the
following ``w:t`` elements of the same stretch. An insertion (``start == end``)
goes after the character before it when that is editable text.

All edits of one element are collected first and its text rebuilt once, so the
cost is linear in the text however many edits fall in one long run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from barium.formats.docx.names import XML_SPACE
from barium.formats.docx.package import DocxPackage
from barium.formats.docx.textmap import DocxText, shown_bounds
from barium.formats.docx.xmlparts import Element

__all__ = ["Replacement", "apply_replacements"]

Replacement = tuple[int, int, str]

# Characters an edit may not write: what the text never holds (it would read back
# differently) and what XML 1.0 cannot hold at all.
_UNWRITABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def apply_replacements(package: DocxPackage, extracted: DocxText, replacements: Iterable[Replacement]) -> None:
    """Apply ``replacements`` (in ``extracted.text`` coordinates) to ``package``'s trees.

    Raises :class:`ValueError` (a caller's bug, not a user's) for overlapping
    spans, spans out of range, spans that are not editable text of one stretch
    (see :mod:`barium.formats.docx.textmap`), or new text holding a tab, a line
    break or a control character.
    """
    per_element: dict[Element, tuple[str, list[tuple[int, int, str]]]] = {}

    def edit(part: str, element: Element, a: int, b: int, new: str) -> None:
        per_element.setdefault(element, (part, []))[1].append((a, b, new))

    ordered = sorted(replacements, key=lambda r: (r[0], r[1]))
    done = 0
    for start, end, new in ordered:
        _check(extracted.text, start, end, new, done)
        done = end
        if start == end:
            point = extracted.insertion_point(start)
            if point is None:
                raise ValueError(f"no editable text to insert into at offset {start}")
            seg, local = point
            edit(seg.part, seg.element, local, local, new)
            continue
        segments = extracted.covering(start, end)
        if segments is None:
            raise ValueError(f"text[{start}:{end}] is not editable text of one stretch")
        for k, seg in enumerate(segments):
            a = seg.local + max(start, seg.start) - seg.start
            b = seg.local + min(end, seg.end) - seg.start
            edit(seg.part, seg.element, a, b, new if k == 0 else "")
    for element, (part, edits) in per_element.items():
        _rebuild(element, edits)
        package.touch(part)


def _check(text: str, start: int, end: int, new: str, done: int) -> None:
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}:{end} outside the text (length {len(text)})")
    if start < done:
        raise ValueError(f"span {start}:{end} overlaps the previous one (ending at {done})")
    if m := _UNWRITABLE.search(new):
        raise ValueError(f"new text for {start}:{end} holds {m.group()!r}, which a w:t cannot carry as text")


def _rebuild(element: Element, edits: Sequence[tuple[int, int, str]]) -> None:
    """The element's text with ``edits`` (sorted, local offsets) applied.

    White space Word does not show (leading or trailing in a ``w:t`` without
    ``xml:space="preserve"``) is dropped, since the edited text may need
    ``preserve``, which would make it shown.
    """
    raw = element.text or ""
    preserve = element.get(XML_SPACE) == "preserve"
    lo, hi = shown_bounds(raw, preserve=preserve)
    pieces = []
    pos = lo
    # Stable: edits at one offset stay in text order (an insertion before a replacement).
    for a, b, new in sorted(edits, key=lambda e: e[0]):
        pieces.append(raw[pos:a])
        pieces.append(new)
        pos = b
    pieces.append(raw[pos:hi])
    text = "".join(pieces)
    element.text = text
    if not preserve and text and (_edge(text[0]) or _edge(text[-1])):
        element.set(XML_SPACE, "preserve")


def _edge(ch: str) -> bool:
    """A character that needs ``xml:space="preserve"`` at either end of a ``w:t``:
    white space, which Word would drop, and invisible format characters, which
    some readers treat alike."""
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp")
