"""The text of a Word file, and where each of its characters lives in the XML.

The text Barium marks and traces is every paragraph (``w:p``) of the body in
document order (table cells, nested tables and text boxes included, a text
box's paragraphs just after the one that anchors it), then of the headers,
footers, footnotes and endnotes, joined by a blank line so that the text
machinery's notion of a paragraph holds. A paragraph's text is its ``w:t``
runs in order, with ``w:tab`` as a tab, ``w:br``/``w:cr`` as a line break and
``w:noBreakHyphen`` as "-". Not text: deleted or moved-away text of tracked
changes, field instructions, the ``mc:Fallback`` of alternate content (a copy
of the ``mc:Choice`` shown instead), and what Word generates rather than
stores (list numbers, footnote marks, symbols, drawings).

Word cuts words into runs at random (spell-check state, revision ids), so a
mark site may cross runs: the flat text finds it, and the map of
:class:`Segment` (one per stretch of a ``w:t`` element's characters) lets an
edit be applied back. Characters inside a field's result are text but not
editable: Word recomputes them. Segments in one *stretch* are contiguous
editable text; anything else in a paragraph (a tab, a symbol, a drawing, a
field boundary) starts a new stretch, and no region or edit crosses one, so
an edit never has to move a tab or a picture.

Two kinds of characters inside ``w:t`` are skipped (kept in the XML, absent
from the text), so that the text needs no cleaning and offsets never shift:
the leading and trailing white space of a ``w:t`` without
``xml:space="preserve"`` (Word does not show it), and tabs, line breaks,
carriage returns and C1 control characters written as characters.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from barium.formats.base import ParsedDocument, Region
from barium.formats.docx.names import MC, XML_SPACE, W
from barium.formats.docx.package import DocxPackage
from barium.formats.docx.xmlparts import Element, etree
from barium.formats.inline import free_spans, urlish_spans

__all__ = ["PARAGRAPH_BREAK", "DocxText", "Segment", "extract_text"]

PARAGRAPH_BREAK = "\n\n"
XML_WHITESPACE = " \t\n\r"
# What a w:t may hold that the text leaves out (see the module docstring).
_SHOWN = re.compile(r"[^\t\n\r\x7f-\x9f]+")
_HIDDEN = re.compile(r"[\t\n\r\x7f-\x9f]")

# Subtrees that hold no text of the paragraph: properties, deleted or moved-away
# text, field instructions, the fallback copy of alternate content.
_SKIP = frozenset(
    {
        *(
            W(t)
            for t in (
                "pPr",
                "rPr",
                "sectPr",
                "tblPr",
                "tblPrEx",
                "trPr",
                "tcPr",
                "tblGrid",
                "sdtPr",
                "sdtEndPr",
                "del",
                "moveFrom",
                "instrText",
                "delText",
                "delInstrText",
                "customXmlPr",
                "smartTagPr",
                "fldData",
            )
        ),
        MC("Fallback"),
    }
)
# Containers a paragraph's text flows through unchanged. Any other element inside a
# paragraph (a symbol, a drawing, math, a footnote mark...) is opaque: its content
# is not the paragraph's text, and it is a barrier between stretches.
_TRANSPARENT = frozenset(
    {
        *(
            W(t)
            for t in (
                "r",
                "hyperlink",
                "smartTag",
                "customXml",
                "sdt",
                "sdtContent",
                "ins",
                "moveTo",
                "dir",
                "bdo",
                "proofErr",
                "bookmarkStart",
                "bookmarkEnd",
                "permStart",
                "permEnd",
                "commentRangeStart",
                "commentRangeEnd",
                "moveFromRangeStart",
                "moveFromRangeEnd",
                "moveToRangeStart",
                "moveToRangeEnd",
                "customXmlInsRangeStart",
                "customXmlInsRangeEnd",
                "customXmlDelRangeStart",
                "customXmlDelRangeEnd",
                "customXmlMoveFromRangeStart",
                "customXmlMoveFromRangeEnd",
                "customXmlMoveToRangeStart",
                "customXmlMoveToRangeEnd",
                "lastRenderedPageBreak",
                "commentReference",
            )
        ),
        MC("AlternateContent"),
        MC("Choice"),
    }
)
# Run content that reads as one character but is not a w:t: a stretch of its own.
_SPECIAL = {W("tab"): "\t", W("ptab"): "\t", W("br"): "\n", W("cr"): "\n", W("noBreakHyphen"): "-"}
_P, _T, _FLD_CHAR, _FLD_SIMPLE = W("p"), W("t"), W("fldChar"), W("fldSimple")
_ALTERNATE, _CHOICE = MC("AlternateContent"), MC("Choice")
_FOOTNOTE_KINDS = frozenset({W("footnote"), W("endnote")})
_RESULT, _CODE = "result", "code"


@dataclass(frozen=True, slots=True)
class Segment:
    """Characters ``text[start:start + length]`` are ``element.text[local:local + length]``.

    ``element`` is a ``w:t`` of ``part``. A segment of length 0 is an empty
    ``w:t``: a place where text may be inserted.
    """

    start: int
    length: int
    part: str
    element: Element
    local: int
    stretch: int
    editable: bool

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class DocxText:
    """A Word file's text, its editable regions and the map back to the XML."""

    text: str
    regions: tuple[Region, ...]
    segments: tuple[Segment, ...]
    paragraphs: int
    _starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [s.start for s in self.segments])

    def document(self) -> ParsedDocument:
        """The text as a :class:`ParsedDocument` of format ``"docx"`` (no variants yet)."""
        return ParsedDocument(text=self.text, format="docx", regions=self.regions)

    def covering(self, start: int, end: int) -> list[Segment] | None:
        """The segments that hold ``text[start:end]`` (``start < end``), when all of it
        is editable text of one stretch; else None."""
        i = bisect.bisect_right(self._starts, start) - 1
        out: list[Segment] = []
        pos = start
        while 0 <= i < len(self.segments) and pos < end:
            seg = self.segments[i]
            i += 1
            if seg.length == 0 or seg.end <= pos:
                continue
            if seg.start > pos or not seg.editable or (out and seg.stretch != out[0].stretch):
                return None
            out.append(seg)
            pos = seg.end
        return out if pos >= end else None

    def insertion_point(self, at: int) -> tuple[Segment, int] | None:
        """Where text inserted at ``at`` goes: (segment, offset in its element's text).

        After the editable character just before ``at`` when there is one (Word's
        typing rule: new text takes the formatting of what precedes it), else
        before the one at ``at``, else into an empty ``w:t`` there.
        """
        j = bisect.bisect_right(self._starts, at)
        i = j - 1
        # At most two segments start at one offset (an empty w:t, then text; see finish).
        while i >= 0 and self.segments[i].start == at:
            i -= 1
        if i >= 0:
            prev = self.segments[i]
            if prev.editable and prev.length and prev.start < at <= prev.end:
                return prev, prev.local + at - prev.start
        here = [seg for seg in self.segments[i + 1 : j] if seg.editable]
        for seg in sorted(here, key=lambda seg: seg.length == 0):
            return seg, seg.local
        return None

    def is_editable(self, start: int, end: int) -> bool:
        """Whether an edit of ``text[start:end]`` can be applied to the XML."""
        if start == end:
            return self.insertion_point(start) is not None
        return self.covering(start, end) is not None


def extract_text(package: DocxPackage) -> DocxText:
    """The text of every paragraph of ``package``'s text parts, with its map."""
    builder = _Builder()
    for part in package.text_parts():
        builder.walk(package.xml(part), part)
    return builder.finish()


@dataclass(slots=True)
class _Paragraph:
    # (characters, (element, local, stretch, editable) for w:t characters, else None)
    pieces: list[tuple[str, tuple[Element, int, int, bool] | None]] = field(default_factory=list)
    opaque: int = 0


@dataclass
class _Builder:
    paragraphs: list[tuple[str, _Paragraph]] = field(default_factory=list)
    stretch: int = 0

    def walk(self, root: Element, part: str) -> None:
        """One pass over the part's tree, without recursion (any nesting depth)."""
        open_paragraphs: list[_Paragraph] = []
        fields: list[str] = []
        choices: list[bool] = []  # per open mc:AlternateContent: a Choice was taken
        # Elements whose end undoes what their start did, innermost last.
        closers: list[tuple[Element, str]] = []
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag
            if not isinstance(tag, str):
                continue
            if event == "end":
                if closers and closers[-1][0] is element:
                    self._close(closers.pop()[1], open_paragraphs, fields, choices)
                continue
            if tag in _SKIP or (tag == _CHOICE and choices and choices[-1]) or _separator(element):
                walker.skip_subtree()
            elif tag == _CHOICE:
                if choices:
                    choices[-1] = True
            elif tag == _ALTERNATE:
                choices.append(False)
                closers.append((element, "alternate"))
            elif tag == _P:
                paragraph = _Paragraph()
                self.paragraphs.append((part, paragraph))
                open_paragraphs.append(paragraph)
                closers.append((element, "paragraph"))
            elif open_paragraphs:
                closer = self._start(open_paragraphs[-1], element, tag, fields)
                if closer:
                    closers.append((element, closer))

    def _close(self, action: str, open_paragraphs: list[_Paragraph], fields: list[str], choices: list[bool]) -> None:
        if action == "alternate":
            choices.pop()
        elif action == "paragraph":
            open_paragraphs.pop()
        elif action == "field":
            if fields:
                fields.pop()
            self.stretch += 1
        else:  # "opaque"
            open_paragraphs[-1].opaque -= 1
            self.stretch += 1

    def _start(self, paragraph: _Paragraph, element: Element, tag: str, fields: list[str]) -> str | None:
        """Take in one element inside a paragraph; returns what its end must undo, if anything."""
        shown = paragraph.opaque == 0 and _CODE not in fields
        if tag == _T:
            if shown:
                self._add_t(paragraph, element, editable=not fields)
        elif tag in _SPECIAL:
            self.stretch += 1
            if shown:
                paragraph.pieces.append((_SPECIAL[tag], None))
        elif tag == _FLD_CHAR:
            kind = element.get(W("fldCharType"))
            if kind == "begin":
                fields.append(_CODE)
            elif kind == "separate" and fields:
                fields[-1] = _RESULT
            elif kind == "end" and fields:
                fields.pop()
            self.stretch += 1
        elif tag == _FLD_SIMPLE:
            fields.append(_RESULT)
            self.stretch += 1
            return "field"
        elif tag not in _TRANSPARENT:
            paragraph.opaque += 1
            self.stretch += 1
            return "opaque"
        return None

    def _add_t(self, paragraph: _Paragraph, element: Element, *, editable: bool) -> None:
        raw = element.text or ""
        lo, hi = shown_bounds(raw, preserve=element.get(XML_SPACE) == "preserve")
        if lo < hi and _HIDDEN.search(raw, lo, hi) is None:
            spans = [(lo, hi)]  # the common case, without a match object per run
        else:
            spans = [(m.start(), m.end()) for m in _SHOWN.finditer(raw, lo, hi)]
        if not spans:
            paragraph.pieces.append(("", (element, lo, self.stretch, editable)))
        for a, b in spans:
            paragraph.pieces.append((raw[a:b], (element, a, self.stretch, editable)))

    def finish(self) -> DocxText:
        texts: list[str] = []
        segments: list[Segment] = []
        regions: list[Region] = []
        offset = 0
        for index, (part, paragraph) in enumerate(self.paragraphs):
            if index:
                texts.append(PARAGRAPH_BREAK)
                offset += len(PARAGRAPH_BREAK)
            first = len(segments)
            for chars, where in paragraph.pieces:
                if where is not None:
                    element, local, stretch, editable = where
                    if chars or _anchor_needed(segments, offset, editable=editable):
                        segments.append(Segment(offset, len(chars), part, element, local, stretch, editable))
                texts.append(chars)
                offset += len(chars)
            regions.extend(Region(a, b, index) for a, b in _stretches(segments[first:]))
        text = "".join(texts)
        regions = [
            Region(x, y, r.paragraph) for r in regions for x, y in free_spans(text, r.start, r.end, [urlish_spans])
        ]
        return DocxText(text, tuple(regions), tuple(segments), len(self.paragraphs))


def _anchor_needed(segments: list[Segment], offset: int, *, editable: bool) -> bool:
    """Whether an empty w:t at ``offset`` is kept as a place to insert text: only an
    editable one where no editable segment ends. So one offset starts at most two
    segments, and lookups stay O(log n) however many empty runs a hostile file holds."""
    if not editable:
        return False
    return not (segments and segments[-1].end == offset and segments[-1].editable)


def _separator(element: Element) -> bool:
    # A notes part's separator and continuation notes hold no text, only a line.
    return element.tag in _FOOTNOTE_KINDS and element.get(W("type"), "normal") != "normal"


def shown_bounds(raw: str, *, preserve: bool) -> tuple[int, int]:
    """The part of a ``w:t``'s characters Word shows: without ``xml:space="preserve"``
    it drops leading and trailing white space."""
    if preserve:
        return 0, len(raw)
    lo = len(raw) - len(raw.lstrip(XML_WHITESPACE))
    return lo, max(lo, len(raw.rstrip(XML_WHITESPACE)))


def _stretches(segments: list[Segment]) -> Iterator[tuple[int, int]]:
    """Maximal spans of editable, adjacent segments of one stretch."""
    run: tuple[int, int, int] | None = None  # (start, end, stretch)
    for seg in segments:
        if not seg.editable or seg.length == 0:
            continue
        if run is not None and seg.stretch == run[2] and seg.start == run[1]:
            run = (run[0], seg.end, run[2])
            continue
        if run is not None:
            yield run[0], run[1]
        run = (seg.start, seg.end, seg.stretch)
    if run is not None:
        yield run[0], run[1]
