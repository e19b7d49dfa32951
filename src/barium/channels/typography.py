"""Typography and whitespace: quote glyphs, dash style, ellipsis, sentence spacing.

These survive copy-paste and most web publishing, and die in a retype; dash and
sentence spacing partly survive because a retype keeps spacing while it flattens
glyphs. Every rule keeps one style per paragraph.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from typing import ClassVar

from barium.channels.base import Channel, Site
from barium.formats.base import ParsedDocument
from barium.text.fold import strip_invisible
from barium.text.sentences import sentence_spans

# Characters after which a quotation mark opens rather than closes.
OPEN_CONTEXT = set(" \t\n([{<\u2014\u2013-/")

# Dash used as punctuation between words: spaced en, closed em, spaced em, spaced hyphen.
_DASH_FORMS = (" \u2013 ", "\u2014", " \u2014 ", " - ")
_DASH = re.compile(r"(?<=[^\W\d_\"'\u2019\u201d)])(?: \u2013 |\u2014| \u2014 | - )(?=[\"'\u2018\u201c(]?[^\W\d_])")
_ELLIPSIS = re.compile(r"\u2026|(?<!\.)\.\.\.(?!\.)")
_QUOTE = re.compile(r"[\"'\u2018\u2019\u201c\u201d]")


def _quote_forms(text: str, i: int) -> tuple[str, str] | None:
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in "\u201c\u201d":
        return (ch, '"')
    if ch in "\u2018\u2019":
        return (ch, "'")
    opening = prev in OPEN_CONTEXT
    if ch == '"':
        return ("\u201c" if opening else "\u201d", '"')
    # A straight single quote: apostrophe inside a word, or a quote mark.
    if prev.isalnum() and nxt.isalnum():
        return ("\u2019", "'")
    if opening and nxt.isalnum():
        return ("\u2018", "'")
    if prev.isalnum() or prev in ".,!?":
        return ("\u2019", "'")
    return None


class TypographyChannel(Channel):
    """Quote glyphs, dash style, ellipsis glyph, one or two spaces between sentences."""

    name = "typography"
    consistent = True
    _RULES = ("quotes", "dashes", "ellipsis", "sentence-spacing")
    # The form a retype or a web page flattens each rule to. A leak that shows only
    # that form for a rule tells nothing about the copy, so the tracer erases it.
    _FLAT: ClassVar[dict[str, int]] = {"quotes": 1, "ellipsis": 1, "sentence-spacing": 0}

    def flat_form(self, rule: str) -> int | None:
        return self._FLAT.get(rule)

    def reserved_forms(self, rule: str) -> frozenset[int]:
        # A spaced hyphen is what a retype makes of every dash: never issue it,
        # so that a flattened dash reads as "no form" rather than a wrong one.
        return frozenset({3}) if rule == "dashes" else frozenset()

    def rules(self) -> list[str]:
        return list(self._RULES)

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        text = doc.text
        sites: list[Site] = []
        gaps = _sentence_gaps(text)
        gap_starts = [a for a, _ in gaps]
        for region in doc.regions:
            a, b, par = region.start, region.end, region.paragraph

            def add(rule: str, start: int, end: int, forms: tuple[str, ...], par: int = par) -> None:
                master = text[start:end]
                if rule not in disabled and master in forms:
                    sites.append(Site(self.name, rule, start, end, forms, forms.index(master), par))

            for m in _QUOTE.finditer(text, a, b):
                forms = _quote_forms(text, m.start())
                if forms is not None:
                    add("quotes", m.start(), m.end(), forms)
            for m in _DASH.finditer(text, a, b):
                add("dashes", m.start(), m.end(), _DASH_FORMS)
            for m in _ELLIPSIS.finditer(text, a, b):
                add("ellipsis", m.start(), m.end(), ("\u2026", "..."))
            for start, end in gaps[bisect.bisect_left(gap_starts, a) :]:
                if end >= b:
                    break
                add("sentence-spacing", start, end, (" ", "  "))
        sites.sort(key=lambda s: s.start)
        return _drop_overlaps(sites)

    def fold(self, text: str) -> str:
        # Keep glyphs and spaces as they are; only NFC and invisible characters go.
        # Not the retype key: this channel's forms are the glyphs a retype flattens.
        return unicodedata.normalize("NFC", strip_invisible(text))


def _sentence_gaps(text: str) -> list[tuple[int, int]]:
    """The spaces between two sentences (:mod:`barium.text.sentences`) where the spacing
    mark goes: one or two spaces, a lone ``.``, ``!`` or ``?`` right after a letter or
    digit before them and a capital right after. No quote or bracket may stand beside
    the gap: it could be a site of its own, and a mark reads best between plain words."""
    spans = sentence_spans(text)
    return [
        (e, s)
        for (a, e), (s, _) in itertools.pairwise(spans)
        if text[e:s] in (" ", "  ")
        and e - a >= 2
        and text[e - 1] in ".!?"
        and text[e - 2].isalnum()
        and text[s].isupper()
    ]


def _drop_overlaps(sites: list[Site]) -> list[Site]:
    out: list[Site] = []
    end = -1
    for site in sites:
        if site.start >= end:
            out.append(site)
            end = max(end, site.end)
    return out
