"""From sites to code positions, and from a codeword to a marked copy.

Sites are gathered into *groups*: every site of one rule in one paragraph of a
consistent channel (so the paragraph keeps one style), or a single site of an
inconsistent one (invisible gaps). A group with u usable forms carries
k = floor(log2 u) *slots* (binary code symbols). Slots are laid out in document
order and slot s carries code position perm[s mod m], with m = ceil(slots /
repetition): each position recurs about ``repetition`` times, about m slots
apart, i.e. spread through the document, and across channels, so that a
retyped excerpt and a pasted one both read it.

Which forms a group uses, and in which order they encode symbols, is a keyed
permutation: nothing about a copy, not even which of its forms is the master's,
is predictable without the key.

Groups of the channels named in ``qary`` (author variants, in versions registered
since q-ary positions came) instead carry one code position of their own each: a
q-ary symbol over all their usable forms (up to eight), never repeated elsewhere. A
3-way variant then carries log2(3) = 1.6 bits rather than 1, a 6-way list order 2.6
rather than 2, and a paraphrase that restates a dozen of them reads a dozen
independent positions.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from barium.channels.base import Channel, Site
from barium.codes import Code, Observation, permutation
from barium.codes.prf import small_permutation

Ints = npt.NDArray[np.int64]
MAX_BITS = 3
MAX_Q = Code.MAX_Q  # forms of one q-ary group (content canaries can have more than 8)


@dataclass(frozen=True, slots=True)
class Group:
    """Sites that always show the same form, and the code slots they carry."""

    channel: str
    rule: str
    sites: tuple[int, ...]
    usable: tuple[int, ...]
    first_slot: int
    qary: bool = False  # one q-ary symbol (q = len(usable)) on a position of its own

    @property
    def bits(self) -> int:
        """Binary slots the group carries (a q-ary group: none, it has one q-ary slot)."""
        return 0 if self.qary else len(self.usable).bit_length() - 1

    @property
    def slots(self) -> int:
        return 1 if self.qary else self.bits


@dataclass(frozen=True, slots=True)
class MarkPlan:
    """How one document version is marked under one key."""

    code_id: str
    sites: tuple[Site, ...]
    groups: tuple[Group, ...]
    slot_positions: Ints
    length: int
    # Derived lookup tables that make rendering a copy a few array operations.
    group_positions: Ints  # (groups, MAX_BITS): code position of each bit, 0 where unused
    group_weights: Ints  # (groups, MAX_BITS): 1 << bit, 0 where unused
    group_usable: Ints  # (groups, at least 1 << MAX_BITS): form shown for each value
    site_group: Ints  # group of each site, -1 for sites no group carries
    master_forms: Ints
    alphabets: dict[int, int]  # q of each q-ary position (the others are binary)

    @property
    def slots(self) -> int:
        return int(self.slot_positions.shape[0])

    def forms_for(self, codeword: npt.NDArray[np.uint8]) -> list[int]:
        """The form every site shows in the copy of the holder of ``codeword``."""
        if not self.groups:
            return [int(f) for f in self.master_forms]
        values = (codeword[self.group_positions].astype(np.int64) * self.group_weights).sum(axis=1)
        forms = self.group_usable[np.arange(len(self.groups)), values]
        chosen = self.master_forms.copy()
        carried = self.site_group >= 0
        chosen[carried] = forms[self.site_group[carried]]
        return [int(f) for f in chosen]

    def render(self, master: str, codeword: npt.NDArray[np.uint8]) -> str:
        """The copy of the holder of ``codeword``: the master with every site's form applied."""
        return self.render_forms(master, self.forms_for(codeword))

    def render_forms(self, master: str, chosen: Sequence[int]) -> str:
        """The master with site i showing form ``chosen[i]``."""
        parts: list[str] = []
        pos = 0
        for site, form in zip(self.sites, chosen, strict=True):
            parts.append(master[pos : site.start])
            parts.append(site.forms[form])
            pos = site.end
        parts.append(master[pos:])
        return "".join(parts)

    def positions_of(self, site: int) -> tuple[int, ...]:
        """The code positions site ``site`` carries (none when no group carries it)."""
        g = int(self.site_group[site])
        if g < 0:
            return ()
        group = self.groups[g]
        return tuple(int(self.slot_positions[group.first_slot + i]) for i in range(group.slots))

    def observe(self, readings: Mapping[int, int], partial: Mapping[int, Collection[int]] | None = None) -> Observation:
        """Turn the forms read at sites (site index -> form) into code symbols.

        A form the group does not use is an erasure. When sites of one position
        disagree, the position saw both symbols (copies were mixed) and is ambiguous.
        ``partial`` gives sites read only as one of a few forms (a list named in part):
        a q-ary position then accepts their symbols, a binary one is read where they
        all agree on its bit; a set that rules nothing out is no reading.
        """
        seen: dict[int, set[int]] = {}
        sets: dict[int, set[int]] = {}
        group_of = self.site_group
        by_group: dict[int, set[int]] = {}
        for s, form in readings.items():
            g = int(group_of[s])
            if g >= 0:
                by_group.setdefault(g, set()).add(form)
        for g, forms in by_group.items():
            group = self.groups[g]
            values = [group.usable.index(f) for f in forms if f in group.usable]
            if group.qary:
                if values:
                    seen.setdefault(int(self.slot_positions[group.first_slot]), set()).update(values)
                continue
            for i in range(group.bits):
                position = int(self.slot_positions[group.first_slot + i])
                bucket = seen.setdefault(position, set())
                bucket.update((v >> i) & 1 for v in values)
        for s, fits in (partial or {}).items():
            g = int(group_of[s])
            if g < 0 or g in by_group:
                continue
            group = self.groups[g]
            fitting = {group.usable.index(f) for f in fits if f in group.usable}
            if not fitting:
                continue
            if group.qary:
                if len(fitting) < len(group.usable):
                    sets[int(self.slot_positions[group.first_slot])] = fitting
                continue
            for i in range(group.bits):
                bits = {(v >> i) & 1 for v in fitting}
                if len(bits) == 1:
                    seen.setdefault(int(self.slot_positions[group.first_slot + i]), set()).update(bits)
        ambiguous = sum(1 for b in seen.values() if len(b) > 1)
        single = {p: b for p, b in seen.items() if len(b) == 1}
        return Observation.of_sets({**sets, **single}, ambiguous)


def build_plan(
    sites: Sequence[Site],
    *,
    channels: Mapping[str, Channel],
    key: bytes,
    code_id: str,
    repetition: float,
    qary: frozenset[str] = frozenset(),
) -> MarkPlan:
    """Group the sites, choose each group's forms, and lay slots onto code positions.

    ``qary``: the channels whose groups carry one q-ary position of their own each.
    """
    keyed: dict[tuple[str, str, int], list[int]] = {}
    order: list[tuple[str, str, int]] = []
    for i, site in enumerate(sites):
        channel = channels[site.channel]
        gkey = (site.channel, site.rule, site.paragraph if channel.consistent else -1 - i)
        if gkey not in keyed:
            keyed[gkey] = []
            order.append(gkey)
        keyed[gkey].append(i)

    groups: list[Group] = []
    slot = 0
    own: list[bool] = []  # per slot: a slot of a channel with positions of its own
    kinds: list[int] = []  # per slot: q of a q-ary slot, else 0 (binary)
    for g, gkey in enumerate(order):
        members = keyed[gkey]
        first = sites[members[0]]
        channel = channels[first.channel]
        reserved = channel.reserved_forms(first.rule)
        available = [f for f in range(first.arity) if f not in reserved]
        bits = min(MAX_BITS, len(available).bit_length() - 1) if available else 0
        if bits == 0:
            continue
        perm = small_permutation(key, "forms", code_id, g, n=len(available))
        if first.channel in qary and len(available) > 2:
            usable = tuple(available[j] for j in perm[:MAX_Q])
            groups.append(Group(first.channel, first.rule, tuple(members), usable, slot, qary=True))
            slot += 1
            own.append(True)
            kinds.append(len(usable))
            continue
        usable = tuple(available[j] for j in perm[: 1 << bits])
        groups.append(Group(first.channel, first.rule, tuple(members), usable, slot))
        slot += bits
        own.extend([channel.own_positions] * bits)
        kinds.extend([0] * bits)

    # Shared slots cycle through the first ``shared`` positions, the slots of channels
    # with positions of their own (page layout) through the rest: each set recurs
    # about ``repetition`` times. With no such channel this is one cycle, as before.
    # A q-ary slot has a position of its own, repeated nowhere: after both cycles.
    q_of = np.array(kinds, dtype=np.int64)
    is_q = q_of > 0
    is_own = np.array(own, dtype=bool) & ~is_q
    n_own, n_q = int(is_own.sum()), int(is_q.sum())
    shared = math.ceil((slot - n_own - n_q) / repetition)
    extra = math.ceil(n_own / repetition)
    length = max(1, shared + extra + n_q)
    positions = permutation(key, "positions", code_id, n=length)
    rank = np.zeros(slot, dtype=np.int64)
    binary = ~is_own & ~is_q
    rank[binary] = np.arange(slot - n_own - n_q, dtype=np.int64) % max(1, shared)
    rank[is_own] = shared + np.arange(n_own, dtype=np.int64) % max(1, extra)
    rank[is_q] = shared + extra + np.arange(n_q, dtype=np.int64)
    slot_positions = positions[rank]
    alphabets = {int(slot_positions[k]): int(q_of[k]) for k in np.flatnonzero(is_q)}

    # The tables are filled from flat index lists: assigning numpy elements one at
    # a time cost more than everything else for a master with 100,000 groups.
    rows: list[int] = []
    bit_of: list[int] = []
    usable_rows: list[int] = []
    usable_cols: list[int] = []
    usable_forms: list[int] = []
    member_sites: list[int] = []
    member_groups: list[int] = []
    for g, group in enumerate(groups):
        # A q-ary group's one "bit" has weight 1: its symbol is the form's index.
        rows.extend([g] * group.slots)
        bit_of.extend(range(group.slots))
        usable_rows.extend([g] * len(group.usable))
        usable_cols.extend(range(len(group.usable)))
        usable_forms.extend(group.usable)
        member_sites.extend(group.sites)
        member_groups.extend([g] * len(group.sites))
    first_slots = np.array([group.first_slot for group in groups], dtype=np.int64)
    r = np.array(rows, dtype=np.int64)
    b = np.array(bit_of, dtype=np.int64)
    group_positions = np.zeros((len(groups), MAX_BITS), dtype=np.int64)
    group_weights = np.zeros((len(groups), MAX_BITS), dtype=np.int64)
    width = max([1 << MAX_BITS, *(len(group.usable) for group in groups)])
    group_usable = np.zeros((len(groups), width), dtype=np.int64)
    site_group = np.full(len(sites), -1, dtype=np.int64)
    if rows:
        group_positions[r, b] = slot_positions[first_slots[r] + b]
        group_weights[r, b] = np.left_shift(1, b)
    group_usable[np.array(usable_rows, dtype=np.int64), np.array(usable_cols, dtype=np.int64)] = usable_forms
    site_group[np.array(member_sites, dtype=np.int64)] = np.array(member_groups, dtype=np.int64)
    return MarkPlan(
        code_id=code_id,
        sites=tuple(sites),
        groups=tuple(groups),
        slot_positions=slot_positions,
        length=length,
        group_positions=group_positions,
        group_weights=group_weights,
        group_usable=group_usable,
        site_group=site_group,
        master_forms=np.array([s.master_form for s in sites], dtype=np.int64),
        alphabets=alphabets,
    )
