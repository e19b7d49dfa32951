"""Tracing one leak against one document version: align, read, observe, decode."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from barium.channels.base import Channel, LeakEvidence
from barium.codes import Code, Observation
from barium.marking.plan import MarkPlan
from barium.text.tokens import Token
from barium.tracing.align import Alignment, MasterIndex
from barium.tracing.content import CHANNEL, ContentRead, read_content
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
    # Sites read as one of a few forms (a list named in part): site -> the forms.
    partial: dict[int, tuple[int, ...]] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    # Sites read by what the text says (content canaries), not between aligned
    # words: where in the leak each was found.
    by_content: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def sites_read(self) -> int:
        return len(self.readings) + len(self.partial)


QUOTED_WORDS = 40  # the longest aligned run below which a leak mostly of other words is an article quoting phrases


def quoted_in_an_article(alignment: Alignment, leak_words: int) -> bool:
    """Whether a leak is an article that quotes or follows the copy only in phrases (no
    aligned run of QUOTED_WORDS words, and under half of its words aligned). Its
    publisher set those phrases in its own house style: their quotation marks, numbers
    and dates are the publication's, and reading them as the copy's would misread them
    about half the time, so only the marks a quote keeps (wording, spelling) are read
    there. An excerpt, however it is surrounded, is read in full."""
    longest = max((r.length for r in alignment.runs), default=0)
    return longest < QUOTED_WORDS and 2 * alignment.aligned_words <= leak_words


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
    if quoted_in_an_article(alignment, len(leak_tokens)):
        sites = version.plan.sites
        readings = {s: f for s, f in readings.items() if not channels[sites[s].channel].set_by_publisher(sites[s])}
    # Variants the aligned words did not read (outside the quote, or reworded in it)
    # may still be restated in the reporter's words: read those by content.
    unread = {s for s, site in enumerate(version.plan.sites) if site.channel == CHANNEL and s not in readings}
    return _reading(version, alignment, readings, _by_content(version, evidence.text, unread), channels)


def read_by_content(
    version: PreparedVersion, leak: str, leak_tokens: Sequence[Token], channels: Mapping[str, Channel]
) -> VersionReading:
    """Read a leak that aligns nowhere (a paraphrase) by its content alone: the
    content canaries it restates (:mod:`barium.tracing.content`)."""
    alignment = Alignment(np.full(len(version.index.tokens), -1, dtype=np.int64), ())
    return _reading(version, alignment, {}, _by_content(version, leak, None), channels)


def _by_content(version: PreparedVersion, leak: str, only: set[int] | None) -> dict[int, ContentRead]:
    if only is not None and not only:
        return {}
    return read_content(version.master, version.plan.sites, leak, only=only)


def _reading(
    version: PreparedVersion,
    alignment: Alignment,
    readings: dict[int, int],
    content: dict[int, ContentRead],
    channels: Mapping[str, Channel],
) -> VersionReading:
    readings = {**readings, **{s: c.form for s, c in content.items() if not c.also}}
    partial = {s: c.forms for s, c in content.items() if c.also}
    per_channel = Counter(version.plan.sites[s].channel for s in (*readings, *partial))
    return VersionReading(
        version_id=version.version_id,
        alignment=alignment,
        readings=readings,
        partial=partial,
        observation=version.plan.observe(readings, partial),
        channels={name: per_channel.get(name, 0) for name in channels},
        by_content={s: (c.start, c.end) for s, c in content.items()},
    )
