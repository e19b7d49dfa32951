"""The driver: :func:`suggest` runs the families in order and returns a :class:`SuggestionReport`.

Families run in the order of :data:`FAMILIES`, each claiming the spans it
suggests, so a later family never overlaps an earlier one; the report is then
checked to parse back to the same clean master.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from barium.errors import InputError
from barium.formats import parse
from barium.formats.variants import format_variant
from barium.text import tokenize
from barium.variants.suggest.attribution import find_attributions
from barium.variants.suggest.context import Doc
from barium.variants.suggest.fronting import find_source_fronting, find_time_fronting
from barium.variants.suggest.order import find_lists, find_pairs
from barium.variants.suggest.wording import find_openers, find_word_choices

FAMILIES: tuple[str, ...] = (
    "attribution-order",
    "sentence-opener",
    "list-order",
    "coordination-order",
    "word-choice",
    "time-fronting",
    "source-fronting",
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposed variant: ``forms[0]`` is ``text[start:end]`` of the input."""

    start: int
    end: int
    family: str
    forms: tuple[str, ...]
    note: str

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "family": self.family,
            "forms": list(self.forms),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SuggestionReport:
    """The input with every suggestion written as markup, and the suggestions.

    ``words`` counts the words of the clean master's editable prose.
    """

    text: str
    suggestions: tuple[Suggestion, ...]
    words: int

    def per_100_words(self) -> float:
        return 100.0 * len(self.suggestions) / self.words if self.words else 0.0

    def by_family(self) -> dict[str, int]:
        counts = Counter(s.family for s in self.suggestions)
        return {f: counts[f] for f in FAMILIES if counts[f]}

    def to_dict(self) -> dict[str, object]:
        return {
            "words": self.words,
            "per_100_words": round(self.per_100_words(), 3),
            "by_family": self.by_family(),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "text": self.text,
        }


def suggest(text: str, fmt: str = "text", *, families: Collection[str] | None = None) -> SuggestionReport:
    """Suggest variants for ``text`` (a text or Markdown master).

    ``families`` picks families by id (default: all of :data:`FAMILIES`); an
    unknown id raises :class:`~barium.errors.InputError`, and so does an unknown
    format or broken existing markup.
    """
    chosen = set(FAMILIES if families is None else families)
    unknown = sorted(chosen - set(FAMILIES))
    if unknown:
        raise InputError(f"unknown suggestion family {', '.join(map(repr, unknown))}; known: {', '.join(FAMILIES)}")
    clean = parse(text, fmt)
    words = sum(len(tokenize(clean.text[r.start : r.end])) for r in clean.regions)
    doc = Doc(text, fmt)
    accepted: list[Suggestion] = []
    for family in FAMILIES:
        if family in chosen:
            for cand in _FINDERS[family](doc):
                if doc.accept(cand):
                    accepted.append(Suggestion(cand.start, cand.end, family, cand.forms, cand.note))
    accepted.sort(key=lambda s: s.start)
    out = _render(text, accepted)
    if not _round_trips(out, fmt, clean.text, len(clean.variants) + len(accepted)):
        # Never expected; kept so that one odd construct costs one suggestion, not the report.
        accepted = [s for s in accepted if _round_trips(_render(text, [s]), fmt, clean.text, len(clean.variants) + 1)]
        out = _render(text, accepted)
    return SuggestionReport(text=out, suggestions=tuple(accepted), words=words)


def _render(text: str, suggestions: list[Suggestion]) -> str:
    pieces: list[str] = []
    pos = 0
    for s in suggestions:
        pieces += [text[pos : s.start], format_variant(s.forms)]
        pos = s.end
    pieces.append(text[pos:])
    return "".join(pieces)


def _round_trips(out: str, fmt: str, clean: str, variants: int) -> bool:
    try:
        doc = parse(out, fmt)
    except InputError:
        return False
    return doc.text == clean and len(doc.variants) == variants


_FINDERS = {
    "attribution-order": find_attributions,
    "sentence-opener": find_openers,
    "list-order": find_lists,
    "coordination-order": find_pairs,
    "word-choice": find_word_choices,
    "time-fronting": find_time_fronting,
    "source-fronting": find_source_fronting,
}
