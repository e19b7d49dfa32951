"""Content canary markup: an order of items, a number within a tolerance."""

from __future__ import annotations

import pytest

from barium.errors import InputError
from barium.formats.canaries import split_list
from barium.formats.load import parse_text
from barium.formats.variants import extract_variants


def forms(source: str) -> tuple[str, ...]:
    doc = extract_variants(parse_text(source))
    (v,) = doc.variants
    assert doc.text[v.start : v.end] == v.forms[0]
    return v.forms


def test_an_order_of_three_shows_every_order_the_masters_first() -> None:
    f = forms("Raids in {{order: Leeds, Hull and York}} today.\n")
    assert f[0] == "Leeds, Hull and York"
    assert len(f) == len(set(f)) == 6
    assert {tuple(sorted(split_list(x).items)) for x in f} == {("Hull", "Leeds", "York")}  # type: ignore[union-attr]


def test_an_order_keeps_the_masters_conjunction_and_serial_comma() -> None:
    f = forms("From {{order: Durham, Cleveland, Cumbria, or Northumbria}} forces.\n")
    assert len(f) == 24
    assert all(x.count(", or ") == 1 and x.count(",") == 3 for x in f)


def test_five_items_give_each_first_and_second_pair_once() -> None:
    f = forms("Towns: {{order: A1x, B2x, C3x, D4x and E5x}}.\n")
    pairs = {tuple(split_list(x).items[:2]) for x in f}  # type: ignore[union-attr]
    assert len(f) == len(pairs) == 20


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("{{37~2}}", ("37", "35", "36", "38", "39")),
        ("{{1,200~100}}", ("1,200", *(f"{v:,}" for v in range(1100, 1301, 20) if v != 1200))),
        ("{{4.5~0.5}}", ("4.5", "4.0", "4.1", "4.2", "4.3", "4.4", "4.6", "4.7", "4.8", "4.9", "5.0")),
        ("{{2~3}}", ("2", "0", "1", "3", "4", "5")),
        ("{{11~3}}", ("11", "10", "12", "13", "14")),  # never "9": as many digits as the master's
    ],
)
def test_a_number_varies_within_its_tolerance(markup: str, expected: tuple[str, ...]) -> None:
    assert forms(f"About {markup} officers.\n") == expected


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("{{order: Leeds}}", "order canary"),
        ("{{order: Leeds, Leeds and York}}", "order canary"),
        ("{{order: A, B, C, D, E, F, G, H and I}}", "at most 8 items"),
        ("{{37~0}}", "positive"),
        ("{{37~0.5}}", "decimal places"),
        ("{{just one}}", "at least two alternatives"),
    ],
)
def test_malformed_canaries_are_refused_with_the_line(markup: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as e:
        extract_variants(parse_text(f"First line.\nAbout {markup} officers.\n"))
    assert "line 2" in str(e.value)
