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

from barium.channels.base import PLACEHOLDER, Channel, LeakEvidence, Site, WordBox
from barium.formats.base import ParsedDocument
from barium.text.fold import retype_key

__all__ = ["LayoutChannel", "shift_reading"]

MILLI = 1000.0
RIGHT, LEFT = 1, 2
# A locator's address: (page, line, line's first word start, its last word end, its
# words, then in millipoints: the left and right glyph edges of the previous word, the
# site's and the next; the same of their ink; d).
FIRST, LAST, COUNT, GEOMETRY = 2, 3, 4, 5
_WORD_WINDOW = 400  # characters looked at for a line's first or last word (not the whole master)


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


class LayoutChannel(Channel):
    """Sideways shifts of words on justified lines of a typeset copy."""

    name = "layout"
    consistent = False  # each word is its own site: shifts make no style to keep
    own_positions = True

    def rules(self) -> list[str]:
        return ["word-shift"]

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        # Found in the typeset master, not in its text: barium.formats.layout.
        return []

    def fold(self, text: str) -> str:
        return text

    def reserved_forms(self, rule: str) -> frozenset[int]:
        return frozenset({0})

    @staticmethod
    def shift(site: Site, form: int) -> float:
        """The points a copy showing ``form`` moves the site's word (right is positive)."""
        assert site.locator is not None
        d = float(site.locator.address[-1]) / MILLI
        return {RIGHT: d, LEFT: -d}.get(form, 0.0)

    def shown_forms(self, site: Site) -> tuple[str, ...]:
        d = self.shift(site, RIGHT)
        word = site.forms[0]
        return (f"{word} (unmoved)", f"{word} {d:.2f} pt right", f"{word} {d:.2f} pt left")

    def read(
        self, site: Site, master: str, window: tuple[int, int], leak: LeakEvidence, span: tuple[int, int]
    ) -> int | None:
        words, starts = leak.words, leak.word_starts
        if not words or site.locator is None or span[0] <= 0:
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
        if not _on_its_line(site, master, words, i + 1):
            return None
        shift = shift_reading((prev, word, nxt), site)
        if shift is None:
            return None
        d = float(site.locator.address[-1]) / MILLI
        for form, target in ((0, 0.0), (RIGHT, d), (LEFT, -d)):
            if abs(shift - target) < d / 2:
                return form
        return None


def _on_its_line(site: Site, master: str, words: tuple[WordBox, ...], k: int) -> bool:
    """The leak's word ``k`` stands on a line that begins and ends as the site's line
    does (not a count of words: a copy's marks may add some, "76%" becoming "76 per
    cent"); an end OCR left unread may stand for its word, not both. A page laid out
    anew (the copy's text set by a word processor) has other lines, and there a shift
    would read noise."""
    assert site.locator is not None
    first, last = (int(site.locator.address[i]) for i in (FIRST, LAST))
    here = words[k]

    def same(b: WordBox) -> bool:
        return b.page == here.page and abs(b.top - here.top) < here.height / 2

    a = k
    while a > 0 and same(words[a - 1]) and words[a - 1].left < words[a].left:
        a -= 1
    z = k
    while z + 1 < len(words) and same(words[z + 1]) and words[z + 1].left > words[z].left:
        z += 1
    head = master[first : first + _WORD_WINDOW].split(maxsplit=1)[:1]
    tail = master[max(0, last - _WORD_WINDOW) : last].rsplit(maxsplit=1)[-1:]
    ends = [_agrees(words[a], head), _agrees(words[z], tail)]
    # An end OCR could not read says nothing; one read as another word says "not this line".
    return False not in ends and True in ends


def _agrees(box: WordBox, master: list[str]) -> bool | None:
    """The leak's word is the master's (True), another (False), or unread (None)."""
    if not master or PLACEHOLDER in box.text:
        return None
    return retype_key(box.text) == retype_key(master[0])
