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
_CF = re.compile("[\u200b\u200c\u200d\u2060]*")
_GAP = re.compile(r"(?<=[^\W_])([\u200b\u200c\u200d\u2060]*) (?=[^\W_])")
_CF_ANY = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u180e\u00ad]")


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
        # Only the invisible characters matter; everything visible is someone else's.
        return "".join(_CF_ANY.findall(text))
