"""The outcome of a trace, as data. Rendering lives in the CLI (and later the web app)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from barium.tracing.marks import MarkRead

Verdict = Literal["identified", "inconclusive", "no_match"]

# A threshold above this gives weak evidence: it is refused unless asked for explicitly.
WEAK_THRESHOLD = 1e-3
# Bounds smaller than this are reported as "below it": a double cannot hold the tail
# of a long leak's bound (it underflows to 0, which would read as certainty).
BOUND_FLOOR = 1e-300


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
    # One entry per leak traced: the score that leak's marks gave under ``test``
    # (positions two leaks share count in each), None for a leak of a document this
    # recipient holds no copy of (they are not scored on it).
    per_leak: tuple[float | None, ...] = ()

    @property
    def bound_below_floor(self) -> bool:
        """The bound is smaller than :data:`BOUND_FLOOR` (and reported as that floor)."""
        return self.false_accusation_bound < BOUND_FLOOR


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One recipient scored by a trace, accused or not: what a plot of every score shows."""

    recipient_id: int
    recipient: str
    score: float
    test: str
    false_accusation_bound: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "recipient_id": self.recipient_id,
            "recipient": self.recipient,
            "score": round(self.score, 4),
            "test": self.test,
            "false_accusation_bound": max(self.false_accusation_bound, BOUND_FLOOR),
        }


@dataclass(frozen=True, slots=True)
class LeakReport:
    """One leak of a trace: what it is (its file or ``"text"``, the SHA-256 of its bytes)
    and what it showed of the document it matched."""

    source: str
    sha256: str
    document: DocumentRef | None
    aligned_words: int
    sites_read: int
    positions_read: int
    # The leading recipient's score from this leak alone (None: not scored on it).
    contribution: float | None = None
    # Every version the leak was scored against, with the words aligned to it.
    versions: tuple[tuple[DocumentRef, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "sha256": self.sha256,
            "document": asdict(self.document) if self.document else None,
            "aligned_words": self.aligned_words,
            "sites_read": self.sites_read,
            "positions_read": self.positions_read,
            "contribution": None if self.contribution is None else round(self.contribution, 4),
            "versions_aligned": [{**asdict(ref), "aligned_words": words} for ref, words in self.versions],
        }


@dataclass(frozen=True, slots=True)
class TraceResult:
    """What a trace found.

    ``accused`` have a bound at most ``max_false_accusation``; ``candidates`` are the
    best five recipients whose bound is at most the larger of that and
    ``max_candidate_bound`` (the accused first). ``equally_consistent`` counts the
    recipients scored whose bound is above both: the evidence does not single any of
    them out. ``weak`` is true when the threshold was above :data:`WEAK_THRESHOLD`.

    ``leaks`` has one entry per leak traced. Traced jointly, the counts (words
    aligned, sites and positions read, per channel) are sums over the leaks, and a
    recipient's score sums the evidence of every leak of a document they hold.
    """

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
    equally_consistent: int = 0
    max_candidate_bound: float = 1e-2
    leaks: list[LeakReport] = field(default_factory=list)
    # The basis of the scores: every mark read, with what the people listed have there.
    marks: list[MarkRead] = field(default_factory=list)
    # Every recipient scored, when asked for (a case's evidence report plots them all).
    scores: list[ScoreRow] = field(default_factory=list)
    # Provenance: which key (its fingerprint, never the key), which Barium, when (UTC).
    key_fingerprint: str = ""
    barium_version: str = ""
    traced_at: str = ""

    @property
    def weak(self) -> bool:
        return self.max_false_accusation > WEAK_THRESHOLD

    def to_dict(self, *, marks: bool = True) -> dict[str, Any]:
        """The result as JSON data; ``marks=False`` leaves out the marks read (an alert
        keeps the verdict, and a trace of its article gives them again)."""

        def person(a: Accusation) -> dict[str, Any]:
            return {
                "recipient": a.recipient,
                "email": a.email,
                "score": round(a.score, 4),
                "test": a.test,
                "false_accusation_bound": max(a.false_accusation_bound, BOUND_FLOOR),
                "bound_below_floor": a.bound_below_floor,
                "document": asdict(a.document),
                "per_leak": [None if x is None else round(x, 4) for x in a.per_leak],
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
            "weak": self.weak,
            "max_candidate_bound": self.max_candidate_bound,
            "equally_consistent": self.equally_consistent,
            "notes": list(self.notes),
            "leaks": [leak.to_dict() for leak in self.leaks],
            **({"marks": [m.to_dict() for m in self.marks]} if marks else {}),
            **({"scores": [r.to_dict() for r in self.scores]} if self.scores else {}),
            "key_fingerprint": self.key_fingerprint,
            "barium_version": self.barium_version,
            "traced_at": self.traced_at,
        }
