"""Reading the form each site shows in a leak."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from barium.channels.base import Channel, Site, flat_form, read_form, reserved_forms
from barium.text.tokens import Token, tokenize
from barium.tracing.align import Alignment

MAX_SLACK = 3  # extra or missing words tolerated between a site's anchors
MAX_WINDOW = 160  # characters; a longer gap between anchors is not the site any more


@dataclass(frozen=True, slots=True)
class SiteAnchors:
    """For each site, the master words just before and just after it (-1: none),
    and how far the leak may stray between them: a form may be several words
    longer than the master's (an author variant), so the limits grow with it."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    slack: tuple[int, ...]
    window: tuple[int, ...]

    @classmethod
    def compute(cls, sites: Sequence[Site], tokens: Sequence[Token]) -> SiteAnchors:
        ends = [t.end for t in tokens]
        starts = [t.start for t in tokens]
        left = tuple(bisect.bisect_right(ends, s.start) - 1 for s in sites)
        right = tuple(bisect.bisect_left(starts, s.end) for s in sites)
        right = tuple(r if r < len(tokens) else -1 for r in right)
        limits = {forms: _limits(forms) for forms in {s.forms for s in sites}}
        return cls(
            left,
            right,
            tuple(limits[s.forms][0] for s in sites),
            tuple(limits[s.forms][1] for s in sites),
        )


def _limits(forms: tuple[str, ...]) -> tuple[int, int]:
    """(extra words, window characters) a leak may show between a site's anchors."""
    words = [len(tokenize(f)) for f in forms]
    return MAX_SLACK + max(words) - min(words), MAX_WINDOW + max(len(f) for f in forms)


def read_sites(
    *,
    sites: Sequence[Site],
    anchors: SiteAnchors,
    master: str,
    master_tokens: Sequence[Token],
    leak: str,
    leak_tokens: Sequence[Token],
    alignment: Alignment,
    channels: Mapping[str, Channel],
) -> dict[int, int]:
    """Site index -> form index, for every site the leak shows unambiguously."""
    m2l = alignment.master_to_leak
    readings: dict[int, int] = {}
    for s, site in enumerate(sites):
        lo, hi = anchors.left[s], anchors.right[s]
        if lo < 0 or hi < 0:
            continue
        a, b = int(m2l[lo]), int(m2l[hi])
        if a < 0 or b <= a or (b - a) > (hi - lo) + anchors.slack[s]:
            continue
        leak_window = leak[leak_tokens[a].end : leak_tokens[b].start]
        if len(leak_window) > anchors.window[s]:
            continue
        window = (master_tokens[lo].end, master_tokens[hi].start)
        channel = channels[site.channel]
        form = read_form(channel, site, master, window, leak_window)
        # A form no copy shows (an emptied invisible gap) is an erasure, not a reading.
        if form is not None and form not in reserved_forms(channel, site.rule):
            readings[s] = form
    return _drop_flattened(readings, sites, channels)


def _drop_flattened(readings: dict[int, int], sites: Sequence[Site], channels: Mapping[str, Channel]) -> dict[int, int]:
    """Erase every rule whose sites all show the form that a retype or a web page
    flattens it to: such a leak says nothing about which copy it came from."""
    by_rule: dict[tuple[str, str], list[int]] = {}
    for s in readings:
        by_rule.setdefault((sites[s].channel, sites[s].rule), []).append(s)
    out = dict(readings)
    for (channel, rule), members in by_rule.items():
        flat = flat_form(channels[channel], rule)
        if flat is not None and all(readings[s] == flat for s in members):
            for s in members:
                del out[s]
    return out
