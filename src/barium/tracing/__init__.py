"""Tracing: align a leak to a master, read the surviving marks, decode, decide."""

from barium.tracing.align import Alignment, MasterIndex
from barium.tracing.evidence import PreparedVersion, VersionReading, align_and_read, read_by_content
from barium.tracing.marks import MarkRead, marks_read
from barium.tracing.read import SiteAnchors, read_sites
from barium.tracing.result import (
    BOUND_FLOOR,
    WEAK_THRESHOLD,
    Accusation,
    DocumentRef,
    LeakReport,
    ScoreRow,
    TraceResult,
    Verdict,
)

__all__ = [
    "BOUND_FLOOR",
    "WEAK_THRESHOLD",
    "Accusation",
    "Alignment",
    "DocumentRef",
    "LeakReport",
    "MarkRead",
    "MasterIndex",
    "PreparedVersion",
    "ScoreRow",
    "SiteAnchors",
    "TraceResult",
    "Verdict",
    "VersionReading",
    "align_and_read",
    "marks_read",
    "read_by_content",
    "read_sites",
]
