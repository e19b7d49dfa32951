"""One definition of a sentence: where sentences end, and that marks never move an end."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.channels import Site, all_channels
from barium.formats import parse
from barium.marking.sites import find_sites
from barium.text.invisible import is_invisible, strip_invisible
from barium.text.sentences import at_sentence_start, sentence_at, sentence_spans, sentences_within

FIXTURES = Path(__file__).parents[1] / "fixtures"
CHANNEL_FIXTURES = Path(__file__).parents[1] / "channels" / "fixtures"


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Prof. Lee and Mrs. Tan left. No. 10 said so.", ["Prof. Lee and Mrs. Tan left.", "No. 10 said so."]),
        (
            "Some firms, e.g. Acme, refused. Others, i.e. Bell, agreed.",
            ["Some firms, e.g. Acme, refused.", "Others, i.e. Bell, agreed."],
        ),
        ("It grew in the U.S. Congress passed it.", ["It grew in the U.S. Congress passed it."]),
        ("J. K. Rowling wrote it. The book sold.", ["J. K. Rowling wrote it.", "The book sold."]),
        ("The meeting is on Sept. 5 at 7 a.m. Please come.", ["The meeting is on Sept. 5 at 7 a.m. Please come."]),
    ],
)
def test_a_full_stop_after_an_abbreviation_or_an_initial_ends_no_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_an_abbreviation_that_may_end_a_sentence_ends_one_before_a_capital() -> None:
    assert sentences("They sold pens, paper etc. The shop closed.") == [
        "They sold pens, paper etc.",
        "The shop closed.",
    ]
    assert sentences("They sold pens etc. at cost.") == ["They sold pens etc. at cost."]
    assert sentences("It cost 5p. Then it rose.") == ["It cost 5p.", "Then it rose."]
    assert sentences("He came home at last. It rained.") == ["He came home at last.", "It rained."]


def test_a_decimal_point_or_a_dotted_name_ends_no_sentence() -> None:
    text = "Prices rose 3.5 per cent to $1.13bn. See example.com for 2.0 details. Done."
    assert sentences(text) == ["Prices rose 3.5 per cent to $1.13bn.", "See example.com for 2.0 details.", "Done."]


def test_a_numbered_list_item_is_not_cut_after_its_number_but_a_year_ending_a_sentence_is() -> None:
    assert sentences("1. First point\n2. Second point") == ["1. First point", "2. Second point"]
    assert sentences("Sales peaked in\n2024. The firm said so.") == ["Sales peaked in\n2024.", "The firm said so."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
        ("He said \u201cno.\u201d Then he left.", ["He said \u201cno.\u201d", "Then he left."]),
        ("(See the annex.) The figures follow.", ["(See the annex.)", "The figures follow."]),
        ("It was *over.* \u201cReally?\u201d she asked.", ["It was *over.*", "\u201cReally?\u201d she asked."]),
        ("It ended. (The rest is lost.)", ["It ended.", "(The rest is lost.)"]),
    ],
)
def test_closing_quotes_and_brackets_after_the_stop_stay_with_their_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_an_ellipsis_ends_a_sentence_before_a_capital_and_not_before_a_lower_case_word() -> None:
    assert sentences("He waited... Then he left.") == ["He waited...", "Then he left."]
    assert sentences("He waited\u2026 Then he left.") == ["He waited\u2026", "Then he left."]
    assert sentences("He waited... and then left.") == ["He waited... and then left."]
    assert sentences("Wait . . . The end.") == ["Wait . . .", "The end."]


def test_questions_and_exclamations_end_sentences_unless_the_sentence_goes_on() -> None:
    assert sentences("Why? Because it rained! Really?! Yes.") == ["Why?", "Because it rained!", "Really?!", "Yes."]
    assert sentences('"Why?" he asked. "Because!" she said.') == ['"Why?" he asked.', '"Because!" she said.']


def test_a_paragraph_break_ends_a_sentence_and_a_wrapped_line_does_not() -> None:
    text = "Quarterly report\n\nSales rose in the\nnorth and fell in the\nsouth. Costs held\r\n\r\nStaff were told.\u2029Next"
    assert sentences(text) == [
        "Quarterly report",
        "Sales rose in the\nnorth and fell in the\nsouth.",
        "Costs held",
        "Staff were told.",
        "Next",
    ]


def test_list_items_and_headings_are_sentences_of_their_own() -> None:
    text = "# Summary\nWe met on Monday and agreed:\n- the budget\n* the plan\n3) the date\n## Next\nMore soon"
    assert sentences(text) == [
        "# Summary",
        "We met on Monday and agreed:",
        "- the budget",
        "* the plan",
        "3) the date",
        "## Next",
        "More soon",
    ]


def test_a_text_without_any_sentence_has_no_spans() -> None:
    assert sentence_spans("") == [] and sentence_spans(" \n\n\t ") == []
    assert sentences("  no stop at all  ") == ["no stop at all"]


def test_spaces_around_a_text_move_its_sentences_and_change_nothing_else() -> None:
    text = "It rose. Then it fell.\n\nNext."
    spans = sentence_spans(text)
    assert sentence_spans(text + "  \n\n ") == spans
    assert sentence_spans("\n  " + text) == [(a + 3, b + 3) for a, b in spans]


# Pieces that make boundaries and near-boundaries in every combination.
PIECES = [
    *"aZ\u00e91 .!?\u2026\"'\u201c\u201d\u2019()*_-#>\n\t\r\u2029\u00a0,\u200b\u2066",
    *("Mr", "e.g", "U.S", " The", "\n\n", "\n- ", "1. "),
]


@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_spans_cover_every_visible_character_once_in_order_with_only_whitespace_between(text: str) -> None:
    spans = sentence_spans(text)
    pos = 0
    for a, b in spans:
        assert pos <= a < b <= len(text)
        assert strip_invisible(text[pos:a]).strip() == ""  # nothing else between sentences
        for edge in (text[a], text[b - 1]):  # no space drifts into a span
            assert not edge.isspace() and not is_invisible(edge)
        pos = b
    assert strip_invisible(text[pos:]).strip() == ""


@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join), st.randoms(use_true_random=False))
def test_invisible_characters_anywhere_change_no_sentence(text: str, rng: random.Random) -> None:
    sprinkled = "".join(ch + rng.choice(["", "", "\u200b", "\u2066\ufe0f", "\u00ad"]) for ch in text)
    assert [strip_invisible(s) for s in sentences(sprinkled)] == sentences(strip_invisible(text))


def test_the_sentence_at_an_offset_and_whether_a_sentence_starts_there() -> None:
    text = '- "Although it rained," he said. (Despite that) they played. e.g. Then'
    first, second = sentence_spans(text)
    assert sentence_at(text, 0) == first and sentence_at(text, text.index("he")) == first
    assert sentence_at(text, text.index("(Despite") - 1) == first  # the space after a sentence
    assert sentence_at(text, text.index("Despite")) == second == sentence_at(text, len(text))
    assert sentence_at("  It", 1) is None
    assert [at_sentence_start(text, text.index(w)) for w in ("Although", "Despite", "he", "they", "Then")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert sentences_within(text, 0, len(text)) == [first, second]
    assert sentences_within(text, 1, len(text)) == [second]
    assert sentences_within(text, 0, second[1] - 1) == [first]


# Sites beside full stops: titles, dotted abbreviations, clock times, ellipses, quotes, spacing.
ABBREVIATED = (
    "Dr Smith met Mr. Jones and Prof Lee on Monday. Shares fell in the US market, e.g. at banks, and in the "
    "U.K. market, ie at insurers. The train left at 7 a.m. sharp\u2026 Then it stopped. \u201cWhy?\u201d "
    'he asked. "Because." She left at 10pm tonight. Dr. Patel, Mrs Hall and Ms. Khan agreed. The US Senate '
    "and firms, eg Acme, agreed."
)
MASTERS = [
    (FIXTURES / "memo.txt").read_text(encoding="utf-8"),
    (FIXTURES / "briefing.md").read_text(encoding="utf-8"),
    (CHANNEL_FIXTURES / "news.txt").read_text(encoding="utf-8"),
    " ".join([ABBREVIATED] * 8),
]


@pytest.mark.parametrize(("master", "fmt"), list(zip(MASTERS, ["text", "markdown", "text", "text"], strict=True)))
def test_no_form_of_any_mark_moves_a_sentence_boundary(master: str, fmt: str) -> None:
    # What lets colluders' copies be interleaved sentence by sentence, and makes a
    # copy's sentences the master's for the orthography and detection that read them.
    sites = find_sites(parse(master, fmt), all_channels())
    assert len(sites) > 50
    starts = [a for a, _ in sentence_spans(master)]
    rng = random.Random(7)
    for _ in range(20):
        chosen = [rng.randrange(len(s.forms)) for s in sites]
        parts, pos = [], 0
        for site, form in zip(sites, chosen, strict=True):
            parts += [master[pos : site.start], site.forms[form]]
            pos = site.end
        copy = "".join([*parts, master[pos:]])
        assert [a for a, _ in sentence_spans(copy)] == [in_copy(a, sites, chosen) for a in starts]


def in_copy(offset: int, sites: list[Site], chosen: list[int]) -> int:
    """Where a master offset that starts a sentence lands in the copy."""
    return offset + sum(
        len(s.forms[f]) - (s.end - s.start) for s, f in zip(sites, chosen, strict=True) if s.end <= offset
    )
