"""What an evidence report says, as data: both renderings (HTML, PDF) are made from it.

Nothing here reads the database or renders: :mod:`barium.services.reports` gathers a
:class:`Report`, :mod:`barium.report.html` and :mod:`barium.report.pdf` lay it out.
A report that may not name anyone (an inconclusive trace, or names withheld under the
two-person rule) is built without names at all, so no rendering can show one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "CHECKPOINT_EXPLAINED",
    "MARKS_EXPLAINED",
    "Citation",
    "Handling",
    "LeakItem",
    "MarkRow",
    "Person",
    "Report",
    "Score",
    "Step",
    "split_context",
]


@dataclass(frozen=True, slots=True)
class Step:
    at: str
    actor: str
    what: str
    note: str
    audit_seq: int | None


@dataclass(frozen=True, slots=True)
class LeakItem:
    """An item of evidence: where it came from, its hash, and what it showed."""

    evidence: int
    filename: str
    origin: str
    media_type: str
    size: int
    sha256: str
    received_at: str
    attached_by: str
    intact: bool
    excerpt: str
    aligned_words: int | None = None
    positions_read: int | None = None


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    score: float
    test: str
    bound: str  # as printed: "9.9e-17", or "below 1e-300"
    odds: str  # in words: "one in ten quadrillion"


@dataclass(frozen=True, slots=True)
class MarkRow:
    """One mark read: where, in which channel, and what master, leak and copy say.
    Contexts are (before, the mark, after)."""

    n: int
    leak: int
    channel: str
    rule: str
    leak_at: str
    master_at: str
    master_says: str
    leak_says: str
    copy_says: str | None  # the accused's copy (None in a report that names no one)
    agrees: bool | None
    leak_context: tuple[str, str, str]
    master_context: tuple[str, str, str]
    copy_context: tuple[str, str, str] | None  # the master's context with the copy's form in it
    by_content: bool


@dataclass(frozen=True, slots=True)
class Score:
    label: str  # a name when the report may name people, else ""
    evidence: float  # -log10 of the false-accusation bound (0: no evidence)
    accused: bool


@dataclass(frozen=True, slots=True)
class Handling:
    """Someone other than the recipient who handled a recipient's copy, and when."""

    recipient: str
    actor: str
    action: str
    at: str
    audit_seq: int


@dataclass(frozen=True, slots=True)
class Citation:
    """An audit entry the report cites, with its RFC 6962 inclusion proof."""

    seq: int
    at: str
    actor: str
    action: str
    subject: str
    leaf: str
    entry: str  # the canonical JSON the leaf hashes
    path: list[str]
    valid: bool


@dataclass(slots=True)
class Report:
    title: str
    generated_at: str
    barium_version: str
    key_fingerprint: str
    case: dict[str, Any]
    history: list[Step]
    leaks: list[LeakItem]
    names: bool  # whether this report names anyone
    verdict: str  # identified, inconclusive, no_match, or "not traced"
    summary: str  # the finding of the evidence, in plain words
    bound_method: str
    accused: list[Person] = field(default_factory=list)
    marks: list[MarkRow] = field(default_factory=list)
    marks_total: int = 0
    scores: list[Score] = field(default_factory=list)
    threshold: float = 1e-6
    recipients_scored: int = 0
    distribution: list[dict[str, str]] = field(default_factory=list)
    distribution_summary: str = ""
    handling: list[Handling] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    checkpoint: dict[str, Any] = field(default_factory=dict)
    checkpoint_note: str = ""  # the exact text its Ed25519 signature is over
    trace_inputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


MARKS_EXPLAINED = (
    "Each row is one marked place the trace read: where it is in the leak and in the master, what the master "
    "says there, what the leak says, and what the accused's copy says. Highlighted is the mark itself, between "
    "the words around it; an invisible character or a spacing is named in brackets (U+200B is a zero-width "
    "space). A place where leak, master and copy read the same still counts: copies of other recipients show "
    "another form there, so an agreement with the master's form is an agreement with some copies and a "
    "disagreement with the others."
)
CHECKPOINT_EXPLAINED = (
    "The audit log's size and root at a moment, signed with the workspace's Ed25519 key. To check it without "
    "Barium: verify the signature (hex) over the text below, as UTF-8, with the public key (hex, raw Ed25519); "
    "then, for each entry above, SHA-256 of the byte 0x00 and the entry's text is its leaf, and the path leads "
    "from it to the root (RFC 6962; RFC 9162, 2.1.3.2)."
)


def split_context(context: str) -> tuple[str, str, str]:
    """A mark's context "before[mark]after" (``tracing.marks``) as its three parts."""
    i, j = context.find("["), context.rfind("]")
    if i < 0 or j < i:
        return context, "", ""
    return context[:i], context[i + 1 : j], context[j + 1 :]
