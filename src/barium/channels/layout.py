"""Word shifts on the page: the layout channel of PDF copies.

Its sites are not found in the text but in the master's typeset pages
(:func:`barium.formats.layout.lay_out`): a word of a justified line that a copy
moves ``d`` points left or right (form 1: right, form 2: left; form 0, where the
master has it, is never issued, so a page that shows no shift reads as an erasure).
All three forms are the same text, so a copy's text is untouched and a retyped or
pasted leak says nothing of them: only word boxes (a PDF's text layer, OCR of a
picture) read them.

Reading is local to the word and its two unmoved neighbours, which makes it blind
to how the page was scaled, rotated a little or photographed at a slant, and to a
copy's text marks elsewhere on the line (they widen or narrow every space of a
justified line alike, and a site has one space each side). With the gaps before
and after the word in the leak (``b``, ``a``) and in the master (``B``, ``A``;
glyph boxes for a text layer, ink for OCR), the shift is::

    ((b - a) / scale - (B - A)) / 2

where ``scale`` is the three words' widths in the leak over their widths in the
master. A space widened alike on both sides cancels, and so does ink that blur or a
threshold grows or shrinks on every edge alike; the scale multiplies only ``b - a``,
about 2 d plus the master's own small difference of side bearings, so an error of a
few per cent in it moves a reading by hundredths of a point. A reading within ``d / 2``
of 0 is an erasure; within ``d / 2`` of ``+d`` or ``-d`` it is that form; further
out (OCR joined or split words), nothing. The thresholds are fixed here, before any
codeword is looked at, so what an innocent's copy predicts stays independent of
what was read.
"""

from __future__ import annotations

import bisect
import difflib

from barium.channels.base import PLACEHOLDER, Channel, LeakEvidence, Site, WordBox
from barium.formats.base import ParsedDocument
from barium.text.fold import retype_key

__all__ = ["LINE_RULE", "WORD_RULE", "LayoutChannel", "line_reading", "shift_reading"]

MILLI = 1000.0
RIGHT, LEFT = 1, 2
# A locator's address: (page, line, line's first word start, its last word end, its
# words, then in millipoints: the left and right glyph edges of the previous word, the
# site's and the next; the same of their ink; d).
FIRST, LAST, COUNT, GEOMETRY = 2, 3, 4, 5
# A line's: (page, line, d, then first word start, last word end and word count of the
# line above, the line and the line below; then for each of their words in order, in
# millipoints, the vertical centre of its glyph box and of its ink).
LINE_D, LINE_ENDS = 2, 3
WORD_RULE, LINE_RULE = "word-shift", "line-shift"
_MIN_PAIRS = 3  # words of each of the three lines seen in the leak and the master alike
_WORD_WINDOW = 400  # characters looked at for a line's first or last word (not the whole master)
# A site whose copy's lines may break elsewhere (a Word master's, laid out by LibreOffice)
FLOW = "pdf-flow-word"
# How far (points, in the master's scale) a leak word's width may be from its master
# width: glyph boxes are exact; ink from a 150-dpi picture is within a pixel an edge.
_WIDTH_TOLERANCE = 0.1
_INK_TOLERANCE = 1.0


def shift_reading(leak: tuple[WordBox, WordBox, WordBox], site: Site) -> float | None:
    """How far (points) the site's word stands from its place between its neighbours,
    relative to the master; None when the boxes cannot say."""
    assert site.locator is not None
    numbers = [float(v) / MILLI for v in site.locator.address[GEOMETRY:]]
    m = numbers[6:12] if leak[1].ink else numbers[0:6]  # (left, right) of previous, word, next
    c = [v for b in leak for v in (b.left, b.left + b.width)]
    width, seen = m[1] - m[0] + m[3] - m[2] + m[5] - m[4], sum(b.width for b in leak)
    if width <= 0 or seen <= 0:
        return None
    scale = seen / width
    before, after = c[2] - c[1], c[4] - c[3]
    return ((before - after) / scale - ((m[2] - m[1]) - (m[4] - m[3]))) / 2


def line_reading(lines: tuple[list[tuple[WordBox, int]], ...], site: Site) -> float | None:
    """How far (points, down positive) the site's line stands from its place between the
    lines above and below it, relative to the master; None when the boxes cannot say.

    ``lines`` holds, for the line above, the line and the line below, each leak word
    paired with the index of the master word it is (in the locator's order). The
    median height of a line's paired words in the leak, ``m``, and of the same words
    in the master, ``M``, are related as ``m = s M + t`` by any scale and offset a
    scan or a screenshot applies (a median commutes with them); the lines above and
    below, unmoved, give ``s`` and ``t``; what the middle line shows beyond ``s M + t``,
    over ``s``, is its shift."""
    assert site.locator is not None
    values = [float(v) / MILLI for v in site.locator.address[LINE_ENDS + 9 :]]
    if any(len(ln) < _MIN_PAIRS for ln in lines):
        return None
    ink = lines[1][0][0].ink
    m, big = [], []
    for ln in lines:
        m.append(_median([b.top + b.height / 2 for b, _ in ln]))
        big.append(_median([values[2 * j + (1 if ink else 0)] for _, j in ln]))
    if big[2] - big[0] <= 0:
        return None
    scale = (m[2] - m[0]) / (big[2] - big[0])
    if scale <= 0:
        return None
    offset = ((m[0] - scale * big[0]) + (m[2] - scale * big[2])) / 2
    return (m[1] - scale * big[1] - offset) / scale


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


class LayoutChannel(Channel):
    """Sideways shifts of words on justified lines of a typeset copy, and up and down
    shifts of lines."""

    name = "layout"
    consistent = False  # each word is its own site: shifts make no style to keep
    own_positions = True

    def rules(self) -> list[str]:
        return [WORD_RULE, LINE_RULE]

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        # Found in the typeset master, not in its text: barium.formats.layout.
        return []

    def fold(self, text: str) -> str:
        return text

    def reserved_forms(self, rule: str) -> frozenset[int]:
        return frozenset({0})

    @staticmethod
    def shift(site: Site, form: int) -> float:
        """The points a copy showing ``form`` moves the site's word (right is positive) or
        line (down is positive)."""
        d = _d(site)
        return {RIGHT: d, LEFT: -d}.get(form, 0.0)

    def shown_forms(self, site: Site) -> tuple[str, ...]:
        d = self.shift(site, RIGHT)
        if site.rule == LINE_RULE:
            return ("line (unmoved)", f"line {d:.2f} pt down", f"line {d:.2f} pt up")
        word = site.forms[0]
        return (f"{word} (unmoved)", f"{word} {d:.2f} pt right", f"{word} {d:.2f} pt left")

    def read(
        self, site: Site, master: str, window: tuple[int, int], leak: LeakEvidence, span: tuple[int, int]
    ) -> int | None:
        words, starts = leak.words, leak.word_starts
        if not words or site.locator is None:
            return None
        if site.rule == LINE_RULE:
            return _form(_read_line(site, master, words, starts, span), _d(site))
        if span[0] <= 0:
            return None
        i = bisect.bisect_right(starts, span[0] - 1) - 1  # the word holding the left anchor's end
        if i < 0 or i + 2 >= len(words):
            return None
        prev, word, nxt = words[i], words[i + 1], words[i + 2]
        if not (
            starts[i + 1] >= span[0] and starts[i + 1] + len(word.text) <= span[1] <= starts[i + 2] + len(nxt.text)
        ):
            return None
        if retype_key(word.text) != retype_key(master[site.start : site.end]):
            return None
        if not (prev.left + prev.width <= word.left and word.left + word.width <= nxt.left):
            return None
        if not _same_widths((prev, word, nxt), site):
            return None  # other words, or another font: another page than the master's
        if site.locator.kind != FLOW and not _on_its_line(site, master, words, i + 1):
            return None
        return _form(shift_reading((prev, word, nxt), site), _d(site))


def _same_widths(leak: tuple[WordBox, WordBox, WordBox], site: Site) -> bool:
    """The three words are as wide, scaled alike, as the master's: each within
    :data:`_WIDTH_TOLERANCE` (glyph boxes) or :data:`_INK_TOLERANCE` (ink) points of
    its master width times the three's scale."""
    assert site.locator is not None
    numbers = [float(v) / MILLI for v in site.locator.address[GEOMETRY:]]
    m = numbers[6:12] if leak[1].ink else numbers[0:6]
    widths = [m[1] - m[0], m[3] - m[2], m[5] - m[4]]
    total, seen = sum(widths), sum(b.width for b in leak)
    if total <= 0 or seen <= 0:
        return False
    scale = seen / total
    tolerance = _INK_TOLERANCE if leak[1].ink else _WIDTH_TOLERANCE
    return all(abs(b.width / scale - w) <= tolerance for b, w in zip(leak, widths, strict=True))


def _d(site: Site) -> float:
    assert site.locator is not None
    return float(site.locator.address[LINE_D if site.rule == LINE_RULE else -1]) / MILLI


def _form(shift: float | None, d: float) -> int | None:
    """The form a shift reads as: within ``d / 2`` of 0, ``+d`` or ``-d``; else none."""
    if shift is None:
        return None
    for form, target in ((0, 0.0), (RIGHT, d), (LEFT, -d)):
        if abs(shift - target) < d / 2:
            return form
    return None


def _line_at(words: tuple[WordBox, ...], k: int) -> tuple[int, int]:
    """The first and last index of the leak words on word ``k``'s line."""
    here = words[k]

    def same(b: WordBox) -> bool:
        return b.page == here.page and abs(b.top - here.top) < here.height / 2

    a = k
    while a > 0 and same(words[a - 1]) and words[a - 1].left < words[a].left:
        a -= 1
    z = k
    while z + 1 < len(words) and same(words[z + 1]) and words[z + 1].left > words[z].left:
        z += 1
    return a, z


def _read_line(
    site: Site, master: str, words: tuple[WordBox, ...], starts: tuple[int, ...], span: tuple[int, int]
) -> float | None:
    """The shift of the site's line in the leak: its first word is the leak word at the
    end of ``span``; the line above ends just before it, the line below starts just
    after the line ends; each of the three must begin and end as the master's does."""
    assert site.locator is not None
    address = site.locator.address
    k = bisect.bisect_right(starts, span[1]) - 1
    if k <= 0 or starts[k] + len(words[k].text) <= span[1]:
        return None
    a, z = _line_at(words, k)
    if a != k or z + 1 >= len(words):
        return None
    bounds = [_line_at(words, a - 1), (a, z), _line_at(words, z + 1)]
    paired: list[list[tuple[WordBox, int]]] = []
    offset = 0  # index of the line's first word among the locator's words
    for i, (lo, hi) in enumerate(bounds):
        first, last, count = (int(v) for v in address[LINE_ENDS + 3 * i : LINE_ENDS + 3 * i + 3])
        names = master[first:last].split()
        if len(names) != count or not _ends_agree(words[lo], words[hi], names):
            return None
        paired.append(_pair(words[lo : hi + 1], names, offset))
        offset += count
    return line_reading((paired[0], paired[1], paired[2]), site)


def _ends_agree(first: WordBox, last: WordBox, names: list[str]) -> bool:
    """The leak line's first and last words are the master line's (``names``): an end
    OCR could not read says nothing, one read as another word says "not this line"."""
    ends = [_agrees(first, names[:1]), _agrees(last, names[-1:])]
    return False not in ends and True in ends


def _pair(boxes: tuple[WordBox, ...], names: list[str], offset: int) -> list[tuple[WordBox, int]]:
    """Each leak word that is a master word of the line, with that word's index (plus
    ``offset``), in order: the longest runs of equal words the two share."""
    keys = [retype_key(b.text) if PLACEHOLDER not in b.text else PLACEHOLDER for b in boxes]
    matcher = difflib.SequenceMatcher(None, keys, [retype_key(n) for n in names], autojunk=False)
    return [(boxes[i + n], offset + j + n) for i, j, size in matcher.get_matching_blocks() for n in range(size)]


def _on_its_line(site: Site, master: str, words: tuple[WordBox, ...], k: int) -> bool:
    """The leak's word ``k`` stands on a line that begins and ends as the site's line
    does (not a count of words: a copy's marks may add some, "76%" becoming "76 per
    cent"); an end OCR left unread may stand for its word, not both. A page laid out
    anew (the copy's text set by a word processor) has other lines, and there a shift
    would read noise."""
    assert site.locator is not None
    first, last = (int(site.locator.address[i]) for i in (FIRST, LAST))
    a, z = _line_at(words, k)
    head = master[first : first + _WORD_WINDOW].split(maxsplit=1)[:1]
    tail = master[max(0, last - _WORD_WINDOW) : last].rsplit(maxsplit=1)[-1:]
    return _ends_agree(words[a], words[z], head + tail if head and tail else ["", ""])


def _agrees(box: WordBox, master: list[str]) -> bool | None:
    """The leak's word is the master's (True), another (False), or unread (None)."""
    if not master or PLACEHOLDER in box.text:
        return None
    return retype_key(box.text) == retype_key(master[0])
