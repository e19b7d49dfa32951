"""Merging every channel's sites: the same winners as a flat sorted list, without
moving every later site on each insertion."""

from __future__ import annotations

import bisect
import random

from barium.channels.base import Site
from barium.marking.sites import _clash, _SortedSites


def flat_merge(sites: list[Site]) -> list[Site]:
    """The specification: a flat list with bisect_left insertions (quadratic)."""
    kept: list[Site] = []
    starts: list[int] = []
    for site in sites:
        i = bisect.bisect_left(starts, site.start)
        if any(_clash(site, kept[j]) for j in (i - 1, i, i + 1) if 0 <= j < len(kept)):
            continue
        kept.insert(i, site)
        starts.insert(i, site.start)
    return kept


def random_sites(rnd: random.Random, n: int) -> list[Site]:
    out = []
    for _ in range(n):
        a = rnd.randrange(0, 5000)
        b = a + rnd.choice((0, 0, 1, 2, 5))
        channel = rnd.choice(("variants", "orthography", "typography", "invisible"))
        out.append(Site(channel, "r", a, b, ("x", "y"), 0, 0))
    return out


def test_chunked_merge_keeps_exactly_the_sites_a_flat_sorted_list_keeps() -> None:
    rnd = random.Random(7)
    for _ in range(20):
        sites = random_sites(rnd, 3000)
        merged = _SortedSites()
        for site in sites:
            merged.add_unless_clash(site)
        assert merged.sites() == flat_merge(sites)


def test_a_site_inserted_before_all_others_moves_at_most_one_chunk() -> None:
    # Inserting 100,000 sites each before all the others was quadratic in a flat
    # list; chunks stay small, so each insertion moves a bounded number of sites.
    merged = _SortedSites()
    for start in range(200_000, 0, -2):
        merged.add_unless_clash(Site("orthography", "r", start, start + 1, ("x", "y"), 0, 0))
    assert len(merged.sites()) == 100_000
    assert max(len(chunk) for chunk in merged.chunks) <= 2 * _SortedSites.CHUNK
