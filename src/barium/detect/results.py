"""What a search returns: one match per document version, with exact spans."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Kind = Literal["verbatim", "near_verbatim", "paraphrase"]

# Stronger evidence first: a match's kind is the strongest kind among its spans.
KIND_ORDER: tuple[Kind, ...] = ("verbatim", "near_verbatim", "paraphrase")


@dataclass(frozen=True, slots=True)
class Span:
    """One passage of the leak and where it comes from in the protected document.

    Offsets are character offsets into the *original* strings given to
    :meth:`DetectionIndex.search` (leak) and :meth:`DetectionIndex.add` (document),
    half-open, at word boundaries. ``text`` is the leak's text of the span.
    ``words`` counts the leak's words in the span; ``matched`` the words aligned
    to identical words of the document (for a paraphrase, 0). ``score`` is the
    span's similarity in [0, 1]: matched / max(leak words, document words) for
    lexical spans, the sentence embeddings' cosine for a paraphrase.
    """

    leak_start: int
    leak_end: int
    doc_start: int
    doc_end: int
    text: str
    kind: Kind
    words: int
    matched: int
    score: float


@dataclass(frozen=True, slots=True)
class DetectionMatch:
    """Every span of a leak that comes from one document version (``key``).

    ``kind`` is the strongest kind among the spans; ``score`` the best span score;
    ``words`` the leak words covered by all spans. Spans are in leak order and do
    not overlap in the leak.
    """

    key: str
    kind: Kind
    score: float
    words: int
    spans: tuple[Span, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-serialisable data."""
        return asdict(self)
