"""Invisible characters in the gaps between words: the highest-capacity, most
fragile layer (gone after a retype or "paste as plain text" in some editors).

A gap gets one of nine sequences of zero-width characters just after the word or
punctuation before it (eight are used per copy: three code symbols); the master
shows none. The sequences are format characters (Unicode category Cf), which render
as nothing and do not change line breaking at the space.

Three rules, for the trade-off between capacity and what a reader notices: a mark
in every gap between sentences (``sentence-gaps``), after a comma, semicolon or
colon (``clause-gaps``: a search for a phrase that crosses no punctuation still
finds it), and between every two words inside a clause (``gaps``: three bits a
word, but an exact search for "forced labour" finds nothing, since a mark sits
between the words). The ``invisible_gaps`` setting picks them (``sentences``,
``clauses``, ``words``); measured in ``benchmarks/invisible.py``.
"""

from __future__ import annotations

import re

from barium.channels.base import Channel, Site
from barium.formats.base import ParsedDocument
from barium.text.sentences import sentences_within

FORMS: tuple[str, ...] = (
    "",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\u200b\u200c",
    "\u200c\u200d",
    "\u200d\u200b",
    "\u2060\u200c",
    "\u200b\u2060",
)
# The characters the marks are written with: a few of the invisible characters that
# barium.text.invisible defines, which every other part of Barium ignores (a test
# keeps the alphabet inside that definition).
ALPHABET = frozenset("".join(FORMS))
_MARK = "".join(sorted(ALPHABET))
_GAP = re.compile(rf"(?<=[^\W_])([{_MARK}]*) (?=[^\W_])")
# The gap after a sentence (its end offset), one space before the next one.
_AFTER_SENTENCE = re.compile(rf"([{_MARK}]*) (?=\S)")
# The gap after a comma, semicolon or colon that follows a word, before the next word.
_CLAUSE = re.compile(rf"(?<=[^\W_][,;:])([{_MARK}]*) (?=[^\W_])")
WORD_GAPS = "gaps"
CLAUSE_GAPS = "clause-gaps"
SENTENCE_GAPS = "sentence-gaps"


class InvisibleChannel(Channel):
    """Zero-width sequences between words."""

    name = "invisible"
    consistent = False

    def rules(self) -> list[str]:
        return [WORD_GAPS, CLAUSE_GAPS, SENTENCE_GAPS]

    def flat_form(self, rule: str) -> int | None:
        return None

    def reserved_forms(self, rule: str) -> frozenset[int]:
        # Copies never show an empty gap: a leak stripped of format characters then
        # reads as erased everywhere instead of as thousands of wrong symbols.
        return frozenset({0})

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        text = doc.text
        sites: list[Site] = []
        for region in doc.regions:
            ends = (
                {b for _, b in sentences_within(text, region.start, region.end)}
                if SENTENCE_GAPS not in disabled
                else set()
            )
            if WORD_GAPS not in disabled:
                for m in _GAP.finditer(text, region.start, region.end):
                    if m.group(1) in FORMS and m.start(1) not in ends:
                        sites.append(self._site(WORD_GAPS, m.start(1), m.end(1), m.group(1), region.paragraph))
            if CLAUSE_GAPS not in disabled:
                for m in _CLAUSE.finditer(text, region.start, region.end):
                    if m.group(1) in FORMS and m.start(1) not in ends:
                        sites.append(self._site(CLAUSE_GAPS, m.start(1), m.end(1), m.group(1), region.paragraph))
            for end in sorted(ends):
                gap = _AFTER_SENTENCE.match(text, end)
                if gap and gap.end() <= region.end and gap.group(1) in FORMS:
                    sites.append(self._site(SENTENCE_GAPS, gap.start(1), gap.end(1), gap.group(1), region.paragraph))
        sites.sort(key=lambda x: x.start)
        return sites

    def _site(self, rule: str, start: int, end: int, master: str, paragraph: int) -> Site:
        return Site(self.name, rule, start, end, FORMS, FORMS.index(master), paragraph)

    def fold(self, text: str) -> str:
        # Only the mark alphabet matters: everything visible is another channel's, and
        # any other invisible character (a bidi isolate, a soft hyphen, a variation
        # selector) was added on the leak's way out, so it is noise, not a form.
        return "".join(ch for ch in text if ch in ALPHABET)
