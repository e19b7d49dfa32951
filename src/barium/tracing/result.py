"""The outcome of a trace, as data. Rendering lives in the CLI (and later the web app)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["identified", "inconclusive", "no_match"]


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: int
    title: str
    version: int


@dataclass(frozen=True, slots=True)
class Accusation:
    """A recipient with the evidence against them.

    ``false_accusation_bound`` is a rigorous upper bound on the probability that
    any innocent recipient would have scored this high (union over every recipient
    scored and every test run); ``test`` names the test that gave it.
    """

    recipient: str
    email: str | None
    score: float
    false_accusation_bound: float
    test: str
    recipient_id: int
    document: DocumentRef


@dataclass(frozen=True, slots=True)
class TraceResult:
    verdict: Verdict
    document: DocumentRef | None
    accused: list[Accusation]
    candidates: list[Accusation]
    aligned_words: int
    sites_read: int
    positions_read: int
    channels: dict[str, int]
    ambiguous_positions: int = 0
    recipients_scored: int = 0
    max_false_accusation: float = 1e-6
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def person(a: Accusation) -> dict[str, Any]:
            return {
                "recipient": a.recipient,
                "email": a.email,
                "score": round(a.score, 4),
                "false_accusation_bound": a.false_accusation_bound,
                "test": a.test,
                "document": asdict(a.document),
            }

        return {
            "verdict": self.verdict,
            "document": asdict(self.document) if self.document else None,
            "accused": [person(a) for a in self.accused],
            "candidates": [person(a) for a in self.candidates],
            "aligned_words": self.aligned_words,
            "sites_read": self.sites_read,
            "positions_read": self.positions_read,
            "channels": dict(self.channels),
            "ambiguous_positions": self.ambiguous_positions,
            "recipients_scored": self.recipients_scored,
            "max_false_accusation": self.max_false_accusation,
            "notes": list(self.notes),
        }
