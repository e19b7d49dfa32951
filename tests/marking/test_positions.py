"""Code positions: the layout channel's slots cycle through positions of their own, so
adding word shifts to a version neither moves nor thins what its text marks carry."""

from __future__ import annotations

import re

import numpy as np
import pytest

from barium.channels import Locator, Site, channel_map
from barium.formats.load import parse
from barium.marking import build_plan, find_sites
from tests.formats.pages import CORPUS, bbc

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the BBC corpus (../shared/corpus)")
KEY = b"k" * 32
TEXT_CHANNELS = ["variants", "orthography", "punctuation", "typography", "invisible"]


def text_sites() -> tuple[str, list[Site]]:
    text = bbc("business", 7)
    channels = channel_map()
    return text, find_sites(parse(text, "text"), [channels[n] for n in TEXT_CHANNELS])


def shifts(text: str, n: int) -> list[Site]:
    """Up to ``n`` word-shift sites, every third word (geometry made up: the plan reads none)."""
    words = list(re.finditer(r"[A-Za-z]{3,}", text))[::3][:n]
    return [
        Site("layout", "word-shift", m.start(), m.end(), (m.group(),) * 3, 0, 0, Locator("pdf-word", (0,) * 15))
        for m in words
    ]


def test_text_slots_keep_one_cycle_of_positions_and_layout_slots_another() -> None:
    text, sites = text_sites()
    channels = channel_map()
    alone = build_plan(sites, channels=channels, key=KEY, code_id="v1", repetition=2.0)
    layout = [s for s in shifts(text, 40) if not any(t.start < s.end and s.start < t.end for t in sites)]
    both = sorted([*sites, *layout], key=lambda s: (s.start, s.end))
    plan = build_plan(both, channels=channels, key=KEY, code_id="v1", repetition=2.0)
    own = np.array([plan.groups[g].channel == "layout" for g in range(len(plan.groups))])
    text_positions = {int(plan.group_positions[g, 0]) for g in np.flatnonzero(~own)}
    layout_positions = {int(plan.group_positions[g, 0]) for g in np.flatnonzero(own)}
    assert text_positions.isdisjoint(layout_positions)
    # As many distinct positions for the text as without layout sites, each about twice.
    shared = {int(p) for g in range(len(alone.groups)) for p in alone.group_positions[g, : alone.groups[g].bits]}
    carried = {int(p) for g in np.flatnonzero(~own) for p in plan.group_positions[g, : plan.groups[g].bits]}
    assert len(carried) == len(shared)
    assert plan.length == alone.length + len(layout_positions) == alone.length + -(-len(layout) // 2)


def test_without_layout_sites_the_plan_is_what_it_always_was() -> None:
    _, sites = text_sites()
    channels = channel_map()
    plan = build_plan(sites, channels=channels, key=KEY, code_id="v1", repetition=2.0)
    # One cycle through ceil(slots / repetition) positions, in slot order.
    assert plan.length == -(-plan.slots // 2)
    order = plan.slot_positions
    assert len(set(order[: plan.length].tolist())) == plan.length
    assert (order[plan.length : 2 * plan.length] == order[: len(order) - plan.length]).all()
