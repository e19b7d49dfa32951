"""Numbers as people write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from barium.text.numbers import number_mentions, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("36", 36),
        ("1,250", 1250),
        ("4.5", Decimal("4.5")),
        ("thirty-six", 36),
        ("Thirty six", 36),
        ("two hundred and forty", 240),
        ("a thousand", 1000),
        ("one thousand two hundred", 1200),
        ("a dozen", 12),
        ("two dozen", 24),
        ("nineteen", 19),
        ("3.7m", Decimal("3.7")),
        ("48bn", 48),
        ("670k", 670),
    ],
)
def test_numbers_in_digits_and_words(text: str, value: int | Decimal) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["five six", "twenty thirty", "dozen", "a", "M62", "3rd", "ten ten", "and", "3mm", "5kg"]
)
def test_what_is_not_one_number(text: str) -> None:
    assert parse_number(text) is None


def test_mentions_in_running_text_with_their_places() -> None:
    text = "About 36 officers, a dozen vans and two hundred and forty leaflets on the M62 in 2024-25, for £3.7m."
    found = [(m.value, text[m.start : m.end]) for m in number_mentions(text)]
    assert found == [
        (Decimal(36), "36"),
        (Decimal(12), "a dozen"),
        (Decimal(240), "two hundred and forty"),
        (Decimal("3.7"), "3.7m"),
    ]


def test_a_mention_knows_when_it_is_written_as_an_estimate() -> None:
    text = "About 40 officers, two dozen vans, more than 1,200 leaflets and 36 dogs."
    marks = {int(m.value): (m.hedged, m.dozens) for m in number_mentions(text)}
    assert marks == {40: (True, False), 24: (False, True), 1200: (True, False), 36: (False, False)}


def test_a_number_hedged_after_it_is_an_estimate_that_leans() -> None:
    text = "Twenty-odd stations, 40-plus vans, 30 or so dogs, more than 12 sites and nearly 90 staff."
    marks = {int(m.value): (m.hedged, m.bound) for m in number_mentions(text)}
    assert marks == {20: (True, "above"), 40: (True, "above"), 30: (True, ""), 12: (True, "above"), 90: (True, "below")}
