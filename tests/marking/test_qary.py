"""q-ary positions: an author variant of q forms carries one symbol of q values on a
position of its own, rendered and read back like any other group."""

from __future__ import annotations

import numpy as np

from barium.channels import channel_map
from barium.codes import Code, CodeSpec
from barium.formats.load import parse
from barium.marking import build_plan, find_sites
from barium.variants import format_variant

KEY = b"q" * 32


def variant_text() -> str:
    forms = [["north", "south", "east"], ["red", "blue", "green", "grey", "pink"], ["one", "two"]]
    return " ".join(
        f"Paragraph {k} said the {format_variant(f)} route was open and staff were told to wait."
        for k, f in enumerate(forms * 4)
    )


def test_variants_of_three_or_more_forms_carry_one_qary_symbol_each_on_positions_repeated_nowhere() -> None:
    channels = channel_map()
    doc = parse(variant_text(), "text")
    sites = [s for s in find_sites(doc, [channels["variants"]]) if s.channel == "variants"]
    plan = build_plan(sites, channels=channels, key=KEY, code_id="v", repetition=2.0, qary=frozenset({"variants"}))
    qary = [g for g in plan.groups if g.qary]
    assert sorted(len(g.usable) for g in qary) == [3] * 4 + [5] * 4
    positions = [int(plan.slot_positions[g.first_slot]) for g in qary]
    assert len(set(positions)) == len(positions)
    assert plan.alphabets == {p: len(g.usable) for p, g in zip(positions, qary, strict=True)}
    # Two-way variants stay binary.
    assert all(len(g.usable) == 2 for g in plan.groups if not g.qary)
    code = Code.derive(KEY, "v", plan.length, CodeSpec(), alphabets=plan.alphabets)
    seen: dict[int, set[int]] = {p: set() for p in positions}
    for r in range(200):
        word = code.codeword(str(r))
        forms = plan.forms_for(word)
        observed = plan.observe({s: forms[s] for s in range(len(sites))})
        # Reading every site back gives the holder's own symbols, q-ary ones included.
        assert np.array_equal(observed.symbols, word[observed.positions])
        assert set(observed.positions.tolist()) >= set(positions)
        for p in positions:
            seen[p].add(int(word[p]))
    assert all(seen[p] == set(range(plan.alphabets[p])) for p in positions)


def test_without_qary_channels_the_plan_and_binary_symbols_are_unchanged() -> None:
    channels = channel_map()
    sites = [s for s in find_sites(parse(variant_text(), "text"), [channels["variants"]]) if s.channel == "variants"]
    legacy = build_plan(sites, channels=channels, key=KEY, code_id="v", repetition=2.0)
    assert not any(g.qary for g in legacy.groups) and legacy.alphabets == {}
    code = Code.derive(KEY, "v", 40, CodeSpec())
    mixed = Code.derive(KEY, "v", 40, CodeSpec(), alphabets={3: 5, 7: 3})
    a, b = code.codeword("9"), mixed.codeword("9")
    binary = [i for i in range(40) if i not in (3, 7)]
    assert np.array_equal(a[binary], b[binary])
    assert b[3] < 5 and b[7] < 3


def test_a_site_read_as_one_of_a_few_forms_becomes_a_set_or_the_bits_its_forms_share() -> None:
    channels = channel_map()
    sites = [s for s in find_sites(parse(variant_text(), "text"), [channels["variants"]]) if s.channel == "variants"]
    for qary in (frozenset({"variants"}), frozenset()):
        plan = build_plan(sites, channels=channels, key=KEY, code_id="v", repetition=2.0, qary=qary)
        code = Code.derive(KEY, "v", plan.length, CodeSpec(), alphabets=plan.alphabets)
        word = code.codeword("7")
        forms = plan.forms_for(word)
        five = next(s for s, site in enumerate(sites) if len(site.forms) == 5)
        group = plan.groups[int(plan.site_group[five])]
        other = next(f for f in group.usable if f != forms[five])
        observed = plan.observe({}, {five: (forms[five], other)})
        # The holder's copy agrees wherever the partial reading says anything.
        assert len(observed) >= (1 if qary else 0)
        assert observed.agrees(word[observed.positions][None, :]).all()
        if qary:
            (p,) = observed.positions.tolist()
            assert observed.accepted() == {p: {group.usable.index(forms[five]), group.usable.index(other)}}
        # A set of every usable form rules nothing out: no reading.
        assert len(plan.observe({}, {five: group.usable})) == 0
