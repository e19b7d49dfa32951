"""Punctuation style that survives a retype: quotation mark style and dash style.

A retype flattens glyphs (curly to straight, en and em dashes to hyphens) but keeps
which quotation marks were used and whether a dash was spaced. So these rules
vary exactly that: double or single quotation marks (in the master's glyph family),
and a spaced en dash or a closed em dash. Both are house styles a reader accepts,
and each paragraph keeps one.
"""

from __future__ import annotations

import re

from barium.channels.base import Channel, Site
from barium.channels.typography import OPEN_CONTEXT
from barium.formats.base import ParsedDocument
from barium.text.fold import retype_key

_DOUBLE = re.compile(r"[\"\u201c\u201d]")
# A single quotation mark, as opposed to an apostrophe: not between two letters, and
# not after a plural s (workers' rights).
_SINGLE_QUOTE = re.compile(r"(?:(?<![^\W_])['\u2018\u2019](?=[^\W_]))|(?:(?<=[^\W_s])['\u2019](?![^\W_]))")
_DASH = re.compile(r"(?<=[^\W\d_\"'\u2019\u201d)])(?: \u2013 |\u2014)(?=[\"'\u2018\u201c(]?[^\W\d_])")
_DASH_FORMS = (" \u2013 ", "\u2014")


class PunctuationChannel(Channel):
    """Quotation style and dash style, one per paragraph; readable after a retype."""

    name = "punctuation"
    consistent = True

    def rules(self) -> list[str]:
        return ["quote-style", "dash-style"]

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        text = doc.text
        sites: list[Site] = []
        by_paragraph: dict[int, list[tuple[int, int]]] = {}
        for r in doc.regions:
            by_paragraph.setdefault(r.paragraph, []).append((r.start, r.end))
        for paragraph, spans in by_paragraph.items():
            if "quote-style" not in disabled:
                sites.extend(self._quotes(text, spans, paragraph))
            if "dash-style" not in disabled:
                for a, b in spans:
                    for m in _DASH.finditer(text, a, b):
                        sites.append(
                            Site(
                                self.name,
                                "dash-style",
                                m.start(),
                                m.end(),
                                _DASH_FORMS,
                                _DASH_FORMS.index(m.group()),
                                paragraph,
                            )
                        )
        sites.sort(key=lambda s: s.start)
        return sites

    def _quotes(self, text: str, spans: list[tuple[int, int]], paragraph: int) -> list[Site]:
        # Paragraphs that already use single quotation marks (nesting) are left alone,
        # and so are paragraphs whose double quotes do not pair up.
        if any(_SINGLE_QUOTE.search(text, a, b) for a, b in spans):
            return []
        marks = [m.start() for a, b in spans for m in _DOUBLE.finditer(text, a, b)]
        if not marks or len(marks) % 2:
            return []
        out = []
        for i in marks:
            ch = text[i]
            curly = ch != '"'
            opening = ch == "\u201c" or (ch == '"' and (i == 0 or text[i - 1] in OPEN_CONTEXT))
            if curly:
                forms = ("\u201c", "\u2018") if opening else ("\u201d", "\u2019")
            else:
                forms = ('"', "'")
            out.append(Site(self.name, "quote-style", i, i + 1, forms, 0, paragraph))
        return out

    def fold(self, text: str) -> str:
        # Glyphs and spacing runs are what a retype changes; the style survives it.
        return retype_key(text)
