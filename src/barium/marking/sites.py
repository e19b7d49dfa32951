"""Collecting every channel's sites for a master, and storing the list.

The exact site list of every issued version is kept (FIELD.md section 4: adding
rules later must not break old copies), so sites serialise to JSON.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence

from barium.channels.base import PROFILE_SWITCH, WHOLE_DOCUMENT, Channel, Locator, Site
from barium.channels.variants import VariantsChannel
from barium.errors import WorkspaceError
from barium.formats.base import ParsedDocument, Region

VARIANTS = VariantsChannel.name


def find_sites(
    doc: ParsedDocument,
    channels: Iterable[Channel],
    *,
    disabled_channels: frozenset[str] = frozenset(),
    disabled_rules: frozenset[str] = frozenset(),
) -> list[Site]:
    """Every channel's sites; where two overlap, the earlier (more robust) channel
    wins, and the author's variants are kept apart from house style
    (:func:`_guard_variants`)."""
    active = [c for c in channels if c.name not in disabled_channels]
    kept = _SortedSites()
    for channel in active:
        for site in channel.find_sites(doc, disabled=disabled_rules):
            kept.add_unless_clash(site)
    ordered = kept.sites()
    ordered.sort(key=lambda s: (s.start, s.end))
    return _guard_variants(doc, ordered, active, disabled_rules)


class _SortedSites:
    """The kept sites by start, in chunks, so that an insertion costs a short list
    insert rather than moving every later site (a flat list made a master with
    200,000 sites quadratic). Keeps exactly the order a flat list with
    ``bisect_left`` insertions would have, so the same sites win every clash."""

    CHUNK = 512

    def __init__(self) -> None:
        self.chunks: list[list[Site]] = []
        self.starts: list[list[int]] = []
        self.lasts: list[int] = []  # the last start of each chunk

    def _at(self, c: int, o: int) -> Site | None:
        """The site at offset ``o`` of chunk ``c``, with offsets running on into
        the neighbouring chunks (-1 is the previous chunk's last)."""
        if o < 0:
            return self.chunks[c - 1][-1] if c > 0 else None
        while c < len(self.chunks) and o >= len(self.chunks[c]):
            o -= len(self.chunks[c])
            c += 1
        return self.chunks[c][o] if c < len(self.chunks) else None

    def add_unless_clash(self, site: Site) -> None:
        x = site.start
        if not self.chunks:
            self.chunks.append([site])
            self.starts.append([x])
            self.lasts.append(x)
            return
        # bisect_left over all starts: the first chunk whose last start is >= x.
        c = min(bisect.bisect_left(self.lasts, x), len(self.chunks) - 1)
        o = bisect.bisect_left(self.starts[c], x)
        for k in (o - 1, o, o + 1):
            other = self._at(c, k)
            if other is not None and _clash(site, other):
                return
        self.chunks[c].insert(o, site)
        self.starts[c].insert(o, x)
        self.lasts[c] = self.starts[c][-1]
        if len(self.chunks[c]) > 2 * self.CHUNK:
            half = self.CHUNK
            self.chunks[c + 1 : c + 1] = [self.chunks[c][half:]]
            self.starts[c + 1 : c + 1] = [self.starts[c][half:]]
            del self.chunks[c][half:], self.starts[c][half:]
            self.lasts[c : c + 1] = [self.starts[c][-1], self.starts[c + 1][-1]]

    def sites(self) -> list[Site]:
        return [s for chunk in self.chunks for s in chunk]


def _guard_variants(
    doc: ParsedDocument,
    sites: list[Site],
    channels: Sequence[Channel],
    disabled_rules: frozenset[str],
) -> list[Site]:
    """Keep house style from changing the words around an author variant.

    House-style rules read their context in the master, which shows only the
    first alternative: ``cost {{barely|no}} more than`` must not become "cost no
    over". So no house-style site of a consistent channel may lie within two
    words of a variant. And a paragraph must not mix styles: when such a site is
    dropped, or an alternative itself contains text of a rule (a quotation mark,
    "towards"), that rule's other sites in the paragraph are dropped too.
    """
    variants = [s for s in sites if s.channel == VARIANTS]
    if not variants:
        return sites
    consistent = {c.name for c in channels if c.consistent}
    zones = _merged(sorted(_guard_zone(doc.text, v) for v in variants))
    zone_starts = [a for a, _ in zones]
    dropped: set[tuple[str, str, int]] = set()
    out: list[Site] = []
    for site in sites:
        if site.channel != VARIANTS and site.channel in consistent:
            i = bisect.bisect_right(zone_starts, site.end) - 1  # the last zone starting at or before the site's end
            if i >= 0 and site.start <= zones[i][1]:
                dropped.add((site.channel, site.rule, site.paragraph))
                continue
        out.append(site)
    # Every alternative, as prose of its variant's paragraph: what rules would find there.
    pieces: list[str] = []
    regions: list[Region] = []
    pos = 0
    for v in variants:
        for form in v.forms:
            pieces.append(form + "\n\n")
            regions.append(Region(pos, pos + len(form), v.paragraph))
            pos += len(form) + 2
    alternatives = ParsedDocument(text="".join(pieces), format="text", regions=tuple(regions))
    # Every rule text in an alternative counts, whatever the master's style allows; a rule
    # of document scope is then dropped from the whole document.
    whole = {(s.channel, s.rule) for s in sites if s.paragraph == WHOLE_DOCUMENT}
    for channel in channels:
        if channel.name in consistent:
            dropped.update(
                (channel.name, s.rule, WHOLE_DOCUMENT if (channel.name, s.rule) in whole else s.paragraph)
                for s in channel.find_sites(alternatives, disabled=disabled_rules | {PROFILE_SWITCH})
            )
    return [s for s in out if (s.channel, s.rule, s.paragraph) not in dropped]


_WORD = re.compile(r"[^\W_]+")
GUARD_WORDS = 2  # words either side of a variant that house style leaves alone


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans joined where they overlap, so that one bisect finds the one to check."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _guard_zone(text: str, v: Site) -> tuple[int, int]:
    before = list(_WORD.finditer(text, max(0, v.start - 200), v.start))
    after = _WORD.finditer(text, v.end, min(len(text), v.end + 200))
    start = before[-GUARD_WORDS].start() if len(before) >= GUARD_WORDS else max(0, v.start - 200)
    end = v.end
    for n, m in enumerate(after, start=1):
        end = m.end()
        if n == GUARD_WORDS:
            break
    return start, end


def _clash(new: Site, old: Site) -> bool:
    if old.channel == VARIANTS and new.channel != VARIANTS:
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


# The stored site list: self-describing (a schema name, a version and the field
# names), compact (one row per site: a master can hold hundreds of thousands).
SITES_SCHEMA = "barium.sites"
SITES_VERSION = 2
SITE_FIELDS = ("channel", "rule", "start", "end", "forms", "master", "paragraph", "locator")


def sites_to_json(sites: Sequence[Site]) -> str:
    rows = [
        [
            s.channel,
            s.rule,
            s.start,
            s.end,
            list(s.forms),
            s.master_form,
            s.paragraph,
            None if s.locator is None else [s.locator.kind, list(s.locator.address)],
        ]
        for s in sites
    ]
    data = {"schema": SITES_SCHEMA, "version": SITES_VERSION, "fields": list(SITE_FIELDS), "sites": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def sites_from_json(data: str) -> list[Site]:
    """The site list of a stored version; refuses a schema this release cannot read."""
    doc = json.loads(data)
    if not isinstance(doc, dict) or doc.get("schema") != SITES_SCHEMA or doc.get("version") != SITES_VERSION:
        found = doc.get("version") if isinstance(doc, dict) else "1 (not upgraded)"
        raise WorkspaceError(f"a stored site list has schema version {found}; this Barium reads {SITES_VERSION}")
    at = {name: doc["fields"].index(name) for name in SITE_FIELDS}
    return [
        Site(
            row[at["channel"]],
            row[at["rule"]],
            row[at["start"]],
            row[at["end"]],
            tuple(row[at["forms"]]),
            row[at["master"]],
            row[at["paragraph"]],
            None if row[at["locator"]] is None else Locator(row[at["locator"]][0], tuple(row[at["locator"]][1])),
        )
        for row in doc["sites"]
    ]
