"""Invisible characters in the gaps between words: the highest-capacity, most
fragile layer (gone after a retype or "paste as plain text" in some editors).

Each gap between two words joined by one space gets one of nine sequences of
zero-width characters just after the first word (eight are used per copy: three
code symbols); the master shows none. The
sequences are format characters (Unicode category Cf), which render as nothing
and do not change line breaking at the space.
"""

from __future__ import annotations

import re

from barium.channels.base import Channel, Site
from barium.formats.base import ParsedDocument

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


class InvisibleChannel(Channel):
    """Zero-width sequences between words."""

    name = "invisible"
    consistent = False

    def rules(self) -> list[str]:
        return ["gaps"]

    def flat_form(self, rule: str) -> int | None:
        return None

    def reserved_forms(self, rule: str) -> frozenset[int]:
        # Copies never show an empty gap: a leak stripped of format characters then
        # reads as erased everywhere instead of as thousands of wrong symbols.
        return frozenset({0})

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        if "gaps" in disabled:
            return []
        text = doc.text
        sites: list[Site] = []
        for region in doc.regions:
            for m in _GAP.finditer(text, region.start, region.end):
                master = m.group(1)
                if master in FORMS:
                    sites.append(
                        Site(
                            self.name,
                            "gaps",
                            m.start(1),
                            m.end(1),
                            FORMS,
                            FORMS.index(master),
                            region.paragraph,
                        )
                    )
        return sites

    def fold(self, text: str) -> str:
        # Only the mark alphabet matters: everything visible is another channel's, and
        # any other invisible character (a bidi isolate, a soft hyphen, a variation
        # selector) was added on the leak's way out, so it is noise, not a form.
        return "".join(ch for ch in text if ch in ALPHABET)
