"""Reading the form each site shows in a leak."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from barium.channels.base import Channel, LeakEvidence, Site
from barium.text.fold import retype_key
from barium.text.tokens import Token, tokenize
from barium.tracing.align import Alignment, Ints

MAX_SLACK = 3  # extra or missing words tolerated between a site's anchors
MAX_WINDOW = 160  # characters; a longer gap between anchors is not the site any more
MAX_EXPAND = 4  # unaligned words skipped on each side when reading sites together
MAX_COMBINATIONS = 512  # form combinations tried for one group of neighbouring sites
# Combinations tried per leak and version: a leak built of dense runs of many-way
# variants then costs seconds, not minutes (skipping costs readings, never soundness).
JOINT_BUDGET = 200_000


@dataclass(frozen=True, slots=True)
class SiteAnchors:
    """For each site, the master words just before and just after it (-1: none),
    and how far the leak may stray between them: a form may be several words
    longer than the master's (an author variant), so the limits grow with it."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    slack: tuple[int, ...]
    window: tuple[int, ...]
    wordy: tuple[bool, ...]  # the forms differ in what a retype keeps (words, punctuation)
    starts: tuple[int, ...]  # each site's start, for finding a window's sites by bisection
    reach: int  # the most master or leak words any reading bridges between two aligned words

    @classmethod
    def compute(cls, sites: Sequence[Site], tokens: Sequence[Token]) -> SiteAnchors:
        ends = [t.end for t in tokens]
        starts = [t.start for t in tokens]
        left = tuple(bisect.bisect_right(ends, s.start) - 1 for s in sites)
        right = tuple(bisect.bisect_left(starts, s.end) for s in sites)
        right = tuple(r if r < len(tokens) else -1 for r in right)
        limits = {forms: _limits(forms) for forms in {s.forms for s in sites}}
        slack = tuple(limits[s.forms][0] for s in sites)
        spread = max((r - lo + k for lo, r, k in zip(left, right, slack, strict=True) if lo >= 0 and r >= 0), default=0)
        return cls(
            left,
            right,
            slack,
            tuple(limits[s.forms][1] for s in sites),
            tuple(limits[s.forms][2] for s in sites),
            tuple(s.start for s in sites),
            # Reading neighbours together widens a window by MAX_EXPAND words on each
            # side and adds the members' slacks: one more MAX_SLACK covers that.
            spread + 2 * MAX_EXPAND + MAX_SLACK,
        )


def _limits(forms: tuple[str, ...]) -> tuple[int, int, bool]:
    """(extra words, window characters, wordy) of a site with these forms."""
    words = [len(tokenize(f)) for f in forms]
    wordy = len({retype_key(f) for f in forms}) == len(forms)
    return MAX_SLACK + max(words) - min(words), MAX_WINDOW + max(len(f) for f in forms), wordy


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
    min_passage: int,
    evidence: LeakEvidence | None = None,
) -> dict[int, int]:
    """Site index -> form index, for every site the leak shows unambiguously.

    A site is read only between aligned words of one passage (aligned words in the
    master's order, in the leak's order, no wider apart than any reading bridges) of
    at least ``min_passage`` aligned words. The words around a quote are the
    reporter's own, and a phrase of them that happens to match the master ("news of
    the operation but warned") would otherwise be read as that master sentence's
    marks, in the reporter's style rather than the copy's.

    ``evidence`` carries what more than text came back (word boxes, the file); its
    ``text`` must be ``leak``.
    """
    evidence = evidence or LeakEvidence(leak)
    passage = _passages(alignment.master_to_leak, gap=anchors.reach, min_words=min_passage)
    reader = _Reader(
        sites,
        anchors,
        master,
        master_tokens,
        leak,
        leak_tokens,
        alignment.master_to_leak,
        passage,
        channels,
        evidence,
    )
    readings = reader.one_by_one()
    readings.update(reader.together(readings))
    return _drop_flattened(readings, sites, channels)


@dataclass(frozen=True, slots=True)
class _Reader:
    """One leak against one master's sites."""

    sites: Sequence[Site]
    anchors: SiteAnchors
    master: str
    master_tokens: Sequence[Token]
    leak: str
    leak_tokens: Sequence[Token]
    m2l: Ints
    passage: Ints  # per master word: its passage's id, or -1 (unaligned, or too short a passage)
    channels: Mapping[str, Channel]
    evidence: LeakEvidence

    def covered(self, lo: int, hi: int) -> bool:
        """Master words ``lo`` and ``hi`` are aligned inside one passage long enough to read."""
        return bool(self.passage[lo] >= 0 and self.passage[lo] == self.passage[hi])

    def one_by_one(self) -> dict[int, int]:
        """Each site in the window between the aligned words just around it."""
        anchors, m2l = self.anchors, self.m2l
        readings: dict[int, int] = {}
        for s, site in enumerate(self.sites):
            lo, hi = anchors.left[s], anchors.right[s]
            if lo < 0 or hi < 0 or not self.covered(lo, hi):
                continue
            a, b = int(m2l[lo]), int(m2l[hi])
            if b <= a or (b - a) > (hi - lo) + anchors.slack[s]:
                continue
            leak_window = self.leak[self.leak_tokens[a].end : self.leak_tokens[b].start]
            if len(leak_window) > anchors.window[s]:
                continue
            window = (self.master_tokens[lo].end, self.master_tokens[hi].start)
            channel = self.channels[site.channel]
            span = (self.leak_tokens[a].end, self.leak_tokens[b].start)
            form = channel.read(site, self.master, window, self.evidence, span)
            # A form no copy shows (an emptied invisible gap) is an erasure, not a reading.
            if form is not None and form not in channel.reserved_forms(site.rule):
                readings[s] = form
        return readings

    def together(self, readings: Mapping[int, int]) -> dict[int, int]:
        """Word-level sites the one-by-one reader could not read, read with their
        neighbours: between the nearest aligned words on either side, try every
        combination of the forms of the sites there and keep the one combination (if
        exactly one) that reads like the leak once both are retyped.

        Two marked words in a row leave no aligned word between them, and a quotation
        mark in another channel's style can sit between a site and its anchor; both
        cost readings otherwise.
        """
        sites, anchors, m2l, tokens = self.sites, self.anchors, self.m2l, self.master_tokens
        starts = anchors.starts
        n = len(tokens)
        found: dict[int, int] = {}
        tried: set[tuple[int, int]] = set()
        budget = JOINT_BUDGET
        for s in range(len(sites)):
            if s in readings or s in found or not anchors.wordy[s]:
                continue
            lo, hi = anchors.left[s], anchors.right[s]
            if lo < 0 or hi < 0:
                continue
            for _ in range(MAX_EXPAND):
                if lo < 0 or m2l[lo] >= 0:
                    break
                lo -= 1
            for _ in range(MAX_EXPAND):
                if hi >= n or m2l[hi] >= 0:
                    break
                hi += 1
            if lo < 0 or hi >= n or not self.covered(lo, hi) or (lo, hi) in tried:
                continue
            tried.add((lo, hi))  # the window's other members would try it again
            a, b = int(m2l[lo]), int(m2l[hi])
            w0, w1 = tokens[lo].end, tokens[hi].start
            first, last = bisect.bisect_left(starts, w0), bisect.bisect_right(starts, w1)
            members = [j for j in range(first, last) if sites[j].end <= w1 and anchors.wordy[j]]
            if b <= a or (b - a) > (hi - lo) + sum(anchors.slack[j] for j in members) or s not in members:
                continue
            combos = math.prod(sites[j].arity for j in members)
            if combos > MAX_COMBINATIONS or combos > budget:
                continue
            budget -= combos
            seen = retype_key(self.leak[self.leak_tokens[a].end : self.leak_tokens[b].start])
            if len(seen) > sum(anchors.window[j] for j in members):
                continue
            group = [sites[j] for j in members]
            hits = [
                combo
                for combo in itertools.product(*(range(site.arity) for site in group))
                if retype_key(_render(self.master, w0, w1, group, combo)) == seen
            ]
            if len(hits) != 1:
                continue
            for j, form in zip(members, hits[0], strict=True):
                reserved = self.channels[sites[j].channel].reserved_forms(sites[j].rule)
                if j not in readings and j not in found and form not in reserved:
                    found[j] = form
        return found


def _passages(m2l: Ints, *, gap: int, min_words: int) -> Ints:
    """Group the aligned master words into passages; -1 for words outside any passage
    of at least ``min_words`` aligned words.

    Two aligned words are in one passage when the leak has them in the master's order
    and neither text puts more than ``gap`` words between them (a mark that changes
    words only splits the alignment's runs, never the passage). Passages are the
    connected groups of that relation, so a stray phrase aligned elsewhere in the leak
    (a site's own words, repeated in another copy's sentence) does not cut the passage
    around it, and a chance phrase of the reporter's, far from the quote in the leak or
    in the master, stays a passage of its own.
    """
    out = np.full(m2l.shape[0], -1, dtype=np.int64)
    js = np.flatnonzero(m2l >= 0)
    if js.size == 0:
        return out
    ls = m2l[js]
    # Runs: words that continue the previous word on both sides. Only run starts
    # need a look back, at the runs that ended less than ``gap`` words before.
    direct = (np.diff(js) == 1) & (np.diff(ls) == 1)
    run_of = np.concatenate(([0], np.cumsum(~direct)))
    firsts = np.flatnonzero(np.concatenate(([True], ~direct))).tolist()
    lasts = [*(k - 1 for k in firsts[1:]), len(js) - 1]
    parent = list(range(len(firsts)))

    def root(r: int) -> int:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for r, k in enumerate(firsts):
        j0, i0 = int(js[k]), int(ls[k])
        for q in range(r - 1, -1, -1):
            jl, il, n = int(js[lasts[q]]), int(ls[lasts[q]]), lasts[q] - firsts[q] + 1
            if j0 - jl > gap + 1:
                break  # runs are in master order: this one and all before it are out of reach
            t = max(0, il - i0 + 1)  # the run's last word before the leak's word i0
            if t < n and i0 - (il - t) <= gap + 1 and j0 - (jl - t) <= gap + 1:
                parent[root(r)] = root(q)
    group = np.asarray([root(r) for r in range(len(firsts))], dtype=np.int64)[run_of]
    sizes = np.bincount(group, minlength=len(firsts))
    out[js] = np.where(sizes[group] >= min_words, group, -1)
    return out


def _render(master: str, start: int, end: int, members: Sequence[Site], combo: Sequence[int]) -> str:
    parts: list[str] = []
    pos = start
    for site, form in zip(members, combo, strict=True):
        parts.append(master[pos : site.start])
        parts.append(site.forms[form])
        pos = site.end
    parts.append(master[pos:end])
    return "".join(parts)


def _drop_flattened(readings: dict[int, int], sites: Sequence[Site], channels: Mapping[str, Channel]) -> dict[int, int]:
    """Erase every rule whose sites all show the form that a retype or a web page
    flattens it to: such a leak says nothing about which copy it came from."""
    by_rule: dict[tuple[str, str], list[int]] = {}
    for s in readings:
        by_rule.setdefault((sites[s].channel, sites[s].rule), []).append(s)
    out = dict(readings)
    for (channel, rule), members in by_rule.items():
        flat = channels[channel].flat_form(rule)
        if flat is not None and all(readings[s] == flat for s in members):
            for s in members:
                del out[s]
    return out
