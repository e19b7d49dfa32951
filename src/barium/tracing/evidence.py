"""Tracing one leak against one document version: align, read, observe, decode."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from barium.channels.base import Channel, LeakEvidence
from barium.codes import Code, Observation
from barium.marking.plan import MarkPlan
from barium.text.tokens import Token
from barium.tracing.align import Alignment, MasterIndex
from barium.tracing.read import SiteAnchors, read_sites


@dataclass(frozen=True, slots=True)
class PreparedVersion:
    """Everything about a master that tracing reuses across leaks."""

    version_id: int
    master: str
    index: MasterIndex
    plan: MarkPlan
    anchors: SiteAnchors
    code: Code


@dataclass(slots=True)
class VersionReading:
    """What a leak shows of one version's marks."""

    version_id: int
    alignment: Alignment
    readings: dict[int, int]
    observation: Observation
    channels: dict[str, int] = field(default_factory=dict)

    @property
    def sites_read(self) -> int:
        return len(self.readings)


def align_and_read(
    version: PreparedVersion,
    leak: str | LeakEvidence,
    leak_tokens: Sequence[Token],
    channels: Mapping[str, Channel],
    *,
    min_passage: int,
) -> VersionReading:
    """Align the leak (its text, or all it shows: text and word boxes) to the version's
    master and read every site inside a passage of at least ``min_passage`` aligned words."""
    evidence = leak if isinstance(leak, LeakEvidence) else LeakEvidence(leak)
    alignment = version.index.align(leak_tokens)
    readings = read_sites(
        sites=version.plan.sites,
        anchors=version.anchors,
        master=version.master,
        master_tokens=version.index.tokens,
        leak=evidence.text,
        leak_tokens=leak_tokens,
        alignment=alignment,
        channels=channels,
        min_passage=min_passage,
        evidence=evidence,
    )
    per_channel = Counter(version.plan.sites[s].channel for s in readings)
    return VersionReading(
        version_id=version.version_id,
        alignment=alignment,
        readings=readings,
        observation=version.plan.observe(readings),
        channels={name: per_channel.get(name, 0) for name in channels},
    )
