"""A parsed master: its text and the regions of prose that marks may touch."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ParsedDocument", "Region", "Variant"]


@dataclass(frozen=True, slots=True)
class Region:
    """A span of editable prose inside paragraph ``paragraph``."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Variant:
    """An author variant (``barium.variants``), located in the clean master.

    ``text[start:end]`` is ``forms[0]``, the master's own wording.
    """

    start: int
    end: int
    forms: tuple[str, ...]
    paragraph: int


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """The master text plus its editable regions, sorted and non-overlapping.

    Everything outside a region (code, URLs, link targets, HTML, front matter,
    table rules) is never changed by any channel. ``variants`` are the author's
    alternatives, already replaced in ``text`` by their first wording.
    """

    text: str
    format: str
    regions: tuple[Region, ...]
    variants: tuple[Variant, ...] = ()

    def editable(self) -> list[tuple[int, int, int]]:
        return [(r.start, r.end, r.paragraph) for r in self.regions]
