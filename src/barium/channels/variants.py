"""Author variants as a channel: each ``{{a|b}}`` the author wrote is one site.

The forms are the author's alternatives, so every wording a copy can show has
been approved by a person. Variants are words, so they survive copy-paste, web
pages, a retype and OCR (FIELD.md section 2, "content canaries"). They are not
grouped by paragraph: each variant is its own choice.
"""

from __future__ import annotations

from barium.channels.base import Channel, Site
from barium.formats.base import ParsedDocument
from barium.text.fold import retype_key

RULE = "variant"


class VariantsChannel(Channel):
    """The author's alternatives, read back by their retype-proof wording."""

    name = "variants"
    consistent = False

    def rules(self) -> list[str]:
        return [RULE]

    def set_by_publisher(self, site: Site) -> bool:
        # The author's wording: a quote keeps its words.
        return False

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        if RULE in disabled:
            return []
        return [Site(self.name, RULE, v.start, v.end, v.forms, 0, v.paragraph) for v in doc.variants]

    def fold(self, text: str) -> str:
        return retype_key(text)
