"""Collecting every channel's sites for a master, and storing the list.

The exact site list of every issued version is kept (FIELD.md section 4: adding
rules later must not break old copies), so sites serialise to JSON.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence

from barium.channels.base import Channel, Site
from barium.formats.base import ParsedDocument


def find_sites(
    doc: ParsedDocument,
    channels: Iterable[Channel],
    *,
    disabled_channels: frozenset[str] = frozenset(),
    disabled_rules: frozenset[str] = frozenset(),
) -> list[Site]:
    """Every channel's sites; where two overlap, the earlier (more robust) channel wins.

    An author variant also keeps its edges: a site touching one (an optional
    "that" inserted just before it, say) could combine with an alternative into
    something the author never approved.
    """
    kept: list[Site] = []
    starts: list[int] = []
    for channel in channels:
        if channel.name in disabled_channels:
            continue
        for site in channel.find_sites(doc, disabled=disabled_rules):
            i = bisect.bisect_left(starts, site.start)
            if any(_clash(site, kept[j]) for j in (i - 1, i, i + 1) if 0 <= j < len(kept)):
                continue
            kept.insert(i, site)
            starts.insert(i, site.start)
    kept.sort(key=lambda s: (s.start, s.end))
    return kept


def _clash(new: Site, old: Site) -> bool:
    if old.channel == "variants" and new.channel != "variants":
        return old.start <= new.end and new.start <= old.end
    return _overlap(new, old)


def _overlap(a: Site, b: Site) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def sites_to_json(sites: Sequence[Site]) -> str:
    rows = [[s.channel, s.rule, s.start, s.end, list(s.forms), s.master_form, s.paragraph] for s in sites]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def sites_from_json(data: str) -> list[Site]:
    return [Site(c, r, a, b, tuple(f), m, p) for c, r, a, b, f, m, p in json.loads(data)]
