"""The word-shift reading: local to a word and its neighbours, blind to scale, offset
and a copy's other spaces; thresholds that turn a reading into a form or an erasure."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.channels import LayoutChannel, LeakEvidence, Locator, Site, WordBox
from barium.channels.layout import LEFT, RIGHT, shift_reading

# Three words of a master line: "alpha" "beta" "gamma", glyph boxes at these lefts and
# widths (points); their ink as wide, 0.2 pt in from each side.
LEFTS, WIDTHS = (100.0, 130.0, 158.0), (26.0, 24.0, 27.0)  # one 4-pt space each side
D = 0.35
MASTER = "one alpha beta gamma two"
START, END = MASTER.index("beta"), MASTER.index("beta") + 4


def site() -> Site:
    glyph = [v for a, w in zip(LEFTS, WIDTHS, strict=True) for v in (a, a + w)]
    ink = [v for a, w in zip(LEFTS, WIDTHS, strict=True) for v in (a + 0.2, a + w - 0.2)]
    numbers = [*glyph, *ink, D]
    address = (0, 0, 0, len(MASTER), 5, *(round(v * 1000) for v in numbers))
    return Site("layout", "word-shift", START, END, ("beta",) * 3, 0, 0, Locator("pdf-word", address))


def boxes(
    shift: float, *, scale: float, offset: float, stretch: float, ink: bool, grow: float = 0.0
) -> tuple[WordBox, WordBox, WordBox]:
    """The leak's boxes: the site's word moved ``shift`` points, every space of the line
    ``stretch`` points wider, the page scaled and moved."""
    out = []
    for j, (a, w) in enumerate(zip(LEFTS, WIDTHS, strict=True)):
        left = a + j * stretch + (shift if j == 1 else 0.0)
        if ink:  # as the master's ink, then grown (blur, a low threshold) on every edge
            left, w = left + 0.2 - grow, w - 0.4 + 2 * grow
        out.append(
            WordBox(("alpha", "beta", "gamma")[j], offset + left * scale, 50.0, w * scale, 12.0 * scale, 1.0, ink=ink)
        )
    return out[0], out[1], out[2]


@given(
    shift=st.sampled_from([D, -D, 0.0]),
    scale=st.floats(0.5, 6.0),
    offset=st.floats(-500, 500),
    stretch=st.floats(-1.5, 1.5),
    ink=st.booleans(),
)
def test_a_shift_reads_whatever_the_scale_offset_and_spacing(
    shift: float, scale: float, offset: float, stretch: float, ink: bool
) -> None:
    reading = shift_reading(boxes(shift, scale=scale, offset=offset, stretch=stretch, ink=ink), site())
    assert reading == pytest.approx(shift, abs=1e-6)


@given(shift=st.sampled_from([D, -D]), grow=st.floats(-0.3, 0.3), scale=st.floats(1.5, 6.0))
def test_ink_grown_or_shrunk_on_every_edge_barely_moves_a_reading(shift: float, grow: float, scale: float) -> None:
    reading = shift_reading(boxes(shift, scale=scale, offset=3, stretch=0.5, ink=True, grow=grow), site())
    assert reading == pytest.approx(shift, abs=0.02)


def evidence(words: tuple[WordBox, ...]) -> tuple[LeakEvidence, tuple[int, int]]:
    """The leak "one alpha beta gamma two" with boxes for every word; the span between
    the anchors around the site (the end of "alpha", the start of "gamma")."""
    one = WordBox("one", words[0].left - 40, words[0].top, 20, words[0].height, 1.0, ink=words[0].ink)
    two = WordBox("two", words[2].left + words[2].width + 20, words[0].top, 20, words[0].height, 1.0, ink=words[0].ink)
    text = "one alpha beta gamma two"
    starts = tuple(text.index(w) for w in ("one", "alpha", "beta", "gamma", "two"))
    return LeakEvidence(text, (one, *words, two), starts), (text.index("alpha") + 5, text.index("gamma"))


@pytest.mark.parametrize(("shift", "form"), [(D, RIGHT), (-D, LEFT), (0.0, 0), (D * 0.4, 0), (D * 0.6, RIGHT)])
def test_readings_turn_into_forms_by_fixed_thresholds(shift: float, form: int) -> None:
    leak, span = evidence(boxes(shift, scale=2.7, offset=10, stretch=0.4, ink=True))
    assert LayoutChannel().read(site(), MASTER, (0, len(MASTER)), leak, span) == form


def test_far_off_readings_and_other_lines_are_no_reading() -> None:
    channel = LayoutChannel()
    leak, span = evidence(boxes(3 * D, scale=1.0, offset=0, stretch=0, ink=False))
    assert channel.read(site(), MASTER, (0, len(MASTER)), leak, span) is None  # OCR split or joined words
    # The same words on a line that begins with another word: a page laid out anew.
    address = site().locator.address  # type: ignore[union-attr]
    other = replace(site(), locator=Locator("pdf-word", (0, 0, MASTER.index("alpha"), *address[3:])))
    leak, span = evidence(boxes(D, scale=1.0, offset=0, stretch=0, ink=False))
    assert channel.read(other, MASTER, (0, len(MASTER)), leak, span) is None
    assert channel.read(site(), MASTER, (0, len(MASTER)), leak, span) == RIGHT


def test_a_text_without_boxes_reads_nothing() -> None:
    assert LayoutChannel().read(site(), MASTER, (0, len(MASTER)), LeakEvidence(MASTER), (9, 15)) is None


def test_copies_move_words_by_d_and_never_show_the_master_form() -> None:
    s = site()
    assert LayoutChannel.shift(s, RIGHT) == pytest.approx(D) and LayoutChannel.shift(s, LEFT) == pytest.approx(-D)
    assert LayoutChannel().reserved_forms("word-shift") == frozenset({0})
