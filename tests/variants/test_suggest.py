"""Variant suggestions: safe alternatives only, written as markup that round-trips."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Collection

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.errors import InputError
from barium.formats import parse
from barium.variants import suggest as suggest_module
from barium.variants.suggest import FAMILIES, SuggestionReport, suggest


def forms(text: str, fmt: str = "text", families: Collection[str] | None = None) -> list[tuple[str, ...]]:
    return [s.forms for s in suggest(text, fmt, families=families).suggestions]


def only(family: str, text: str, fmt: str = "text") -> list[tuple[str, ...]]:
    return forms(text, fmt, families=[family])


def assert_round_trips(text: str, fmt: str, report: SuggestionReport) -> None:
    before, after = parse(text, fmt), parse(report.text, fmt)
    assert after.text == before.text
    expected = Counter(v.forms for v in before.variants) + Counter(s.forms for s in report.suggestions)
    assert Counter(v.forms for v in after.variants) == expected
    last = -1
    for s in report.suggestions:
        assert text[s.start : s.end] == s.forms[0]
        assert s.start > last  # sorted, never overlapping or touching
        last = s.end


# --------------------------------------------------------------------------- the API


def test_families_are_listed_in_a_stable_order_and_exported() -> None:
    assert FAMILIES[0] == "attribution-order"
    assert len(set(FAMILIES)) == len(FAMILIES)
    assert set(suggest_module.__all__) == {"FAMILIES", "Suggestion", "SuggestionReport", "suggest"}


def test_an_unknown_family_or_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="bogus"):
        suggest("But it rained.\n", families=["bogus"])
    with pytest.raises(InputError):
        suggest("But it rained.\n", "pdf")


def test_empty_and_blank_input_give_an_empty_report() -> None:
    for text in ("", "\n\n", "   \n"):
        report = suggest(text)
        assert report.suggestions == ()
        assert report.text == text
        assert report.words == 0
        assert report.per_100_words() == 0.0


def test_the_report_is_json_ready_and_counts_per_family() -> None:
    text = 'Sales fell. But profits rose.\n\n"We will win," said Mr Smith.\n'
    report = suggest(text)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["by_family"] == {"attribution-order": 1, "sentence-opener": 1}
    assert data["suggestions"][0]["forms"] == ["But", "However,"]
    assert data["text"] == report.text
    assert report.words == 11
    assert report.per_100_words() == pytest.approx(200 / 11)


def test_families_can_be_chosen() -> None:
    text = 'Sales fell. But profits rose.\n\n"We will win," said Mr Smith.\n'
    assert forms(text, families=["attribution-order"]) == [("said Mr Smith", "Mr Smith said")]
    assert forms(text, families=[]) == []


def test_suggestions_are_written_as_markup_in_the_output() -> None:
    report = suggest('"We will win," said Mr Smith. But they lost.\n')
    assert report.text == '"We will win," {{said Mr Smith|Mr Smith said}}. {{But|However,}} they lost.\n'


# --------------------------------------------------------------------------- attribution-order


def test_a_speaker_after_a_quotation_can_come_before_or_after_the_verb() -> None:
    assert only("attribution-order", '"We will win," said Mr Smith.') == [("said Mr Smith", "Mr Smith said")]
    assert only("attribution-order", '"We will win," the minister said.') == [
        ("the minister said", "said the minister")
    ]
    assert only("attribution-order", '"Why?" asked a Japan Airlines spokesman.') == [
        ("asked a Japan Airlines spokesman", "a Japan Airlines spokesman asked")
    ]


def test_a_speaker_with_a_job_title_moves_with_it() -> None:
    text = '"Rates will rise," said Jonathan Loynes, chief UK economist at Capital Economics.'
    assert only("attribution-order", text) == [
        (
            "said Jonathan Loynes, chief UK economist at Capital Economics",
            "Jonathan Loynes, chief UK economist at Capital Economics, said",
        )
    ]


def test_reported_speech_attribution_is_reordered_too() -> None:
    text = "Sales fell by 5% in the last three months of the year, the company said."
    assert only("attribution-order", text) == [("the company said", "said the company")]


@pytest.mark.parametrize(
    "text",
    [
        '"We will win," he said.',  # "said he" is archaic
        '"We will win," said Mr Smith, who is retiring.',  # the attribution does not end the sentence
        '"We will win," said Mr Smith on Monday.',
        '"We will win," said Gardener afterwards.',  # an adverb is not part of the speaker
        '"It is wrong," said Mr McLeish of the decision.',  # "of the decision" is what he spoke about
        '"We will win," said Mr Smith, adding that the team was ready.',
        '"We will win," Mr Smith told the BBC.',
        'He said: "Sales fell, the company said."',  # inside a quotation
        "Despite the fall in sales, the firm said.",  # not a report of anything
        '"We will win." Mr Smith said.',  # the quotation ended its own sentence
    ],
)
def test_attributions_that_would_read_wrongly_are_left_alone(text: str) -> None:
    assert only("attribution-order", text) == []


# --------------------------------------------------------------------------- sentence-opener


def test_a_sentence_initial_but_and_however_swap() -> None:
    assert only("sentence-opener", "Sales rose. But the firm warned of job cuts.") == [("But", "However,")]
    assert only("sentence-opener", "Sales rose. However, the firm warned of cuts.") == [("However,", "But")]
    assert only("sentence-opener", "But the firm warned of job cuts.") == [("But", "However,")]


def test_a_mid_sentence_however_can_open_the_sentence() -> None:
    assert only("sentence-opener", "Sales rose. The firm, however, warned of cuts.") == [
        ("The firm, however,", "However, the firm")
    ]
    # a name stays capitalised, known as one from the rest of the document
    text = "Microsoft, however, disagreed. Shares in Microsoft fell."
    assert only("sentence-opener", text) == [("Microsoft, however,", "However, Microsoft")]


@pytest.mark.parametrize(
    "text",
    [
        "But for the rain, we would have won.",  # "but for" means "were it not for"
        "Sales rose. But why did the firm cut jobs?",  # a question
        "Sales rose but the firm cut jobs.",  # not at a sentence start
        "However much it costs, we will pay.",
        "Sales rose. But then the firm cut jobs.",
        "Sales rose. However, he said, the firm cut jobs.",
        "It was cheap. But also slow.",
        'Sales rose. "But we are worried," he said.',  # a quotation stays verbatim
        "See Mr. But the firm cut jobs.",  # "Mr." does not end a sentence
    ],
)
def test_openers_whose_meaning_would_change_are_left_alone(text: str) -> None:
    assert only("sentence-opener", text) == []


# --------------------------------------------------------------------------- coordination-order, list-order


def test_two_places_people_or_nationalities_can_swap() -> None:
    assert only("coordination-order", "Talks between France and Germany resumed.") == [
        ("France and Germany", "Germany and France")
    ]
    assert only("coordination-order", "Mr Blair and Mr Brown met in London.") == [
        ("Mr Blair and Mr Brown", "Mr Brown and Mr Blair")
    ]
    assert only("coordination-order", "British and French troops arrived.") == [
        ("British and French", "French and British")
    ]
    assert only("coordination-order", "Sales grew in the US and China.") == [("the US and China", "China and the US")]
    assert only("coordination-order", "The US and China agreed.") == [("The US and China", "China and the US")]


def test_surnames_the_document_titles_count_as_people() -> None:
    text = "Mr Blair spoke first. Mr Brown spoke next. Blair and Brown then left together."
    assert ("Blair and Brown", "Brown and Blair") in only("coordination-order", text)


@pytest.mark.parametrize(
    "text",
    [
        "Trinidad and Tobago won the match.",  # one country
        "He was born in Serbia and Montenegro.",
        "Marks and Spencer said profits fell.",  # one company
        "The Department of Trade and Industry agreed.",
        "The Law Society of England and Wales objected.",  # part of a longer name
        "Bread and butter issues dominated.",
        "He came in and sat down.",
        "They like rock and roll.",
        "Britain sells to France and Germany buys from Spain.",  # Germany starts a new clause
        "France and Germany grew by 2% and 3% respectively.",  # the order carries meaning
        "France and Germany grew by 2% and 3%.",
        "France and Germany were first and second; the former won.",
        "England and Wales Cricket Board officials met.",
        "Spain is just behind the United States and France in sales.",  # a ranking
        "the US and China talks resumed.",
    ],
)
def test_pairs_that_are_names_or_carry_order_are_left_alone(text: str) -> None:
    assert only("coordination-order", text) == []


def test_a_list_of_three_gets_three_other_orders() -> None:
    assert only("list-order", "He visited France, Germany and Italy last week.") == [
        (
            "France, Germany and Italy",
            "France, Italy and Germany",
            "Germany, France and Italy",
            "Italy, Germany and France",
        )
    ]
    (found,) = only("list-order", "The Netherlands, Italy and Spain objected.")
    assert found[-1] == "Spain, Italy and the Netherlands"


@pytest.mark.parametrize(
    "text",
    [
        "The flag is red, white and blue.",  # a fixed phrase, and not names
        "He visited Spain, France, Germany and Italy.",  # the tail of a longer list
        "He visited Bosnia, Serbia and Montenegro.",
        "Exports to France, Germany and Italy rose 1%, 2% and 3%.",
        "They flew to France, Germany and the US and back.",
        "It is fourth in the world after England, South Africa and France.",  # a ranking
    ],
)
def test_lists_that_are_not_three_free_names_are_left_alone(text: str) -> None:
    assert only("list-order", text) == []


# --------------------------------------------------------------------------- word-choice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Many firms, for example, cut jobs.", ("for example", "for instance")),
        ("For instance, it cut fares.", ("For instance", "For example")),
        ("It cut fares in a bid to win customers.", ("in a bid to", "in an attempt to", "in an effort to")),
        ("They praised each other.", ("each other", "one another")),
        ("He tried to leave.", ("tried to", "attempted to")),
        ("He is trying to leave.", ("trying to", "attempting to")),
        ("Prices began to fall.", ("began", "started")),
        ("Prices have started to fall.", ("started", "begun")),
        ("Prices will start to fall.", ("start to", "begin to")),
        ("It happened prior to the vote.", ("prior to", "before")),
        ("The majority of the staff agreed.", ("The majority of", "Most of")),
        ("It cut a further 500 jobs.", ("a further", "another")),
        ("He is injured at the moment.", ("at the moment", "at present")),
        ("It closed because of the strike.", ("because of", "as a result of", "owing to")),
        ("It closed in the wake of the strike.", ("in the wake of", "following")),
        ("It grows each year.", ("each", "every")),
        ("By contrast, sales fell.", ("By contrast", "In contrast")),
        ("Nevertheless, sales fell.", ("Nevertheless", "Nonetheless")),
        ("Sales fell too.", ("too", "as well")),
        ("Sales rose. So far, nobody has complained.", ("So far", "To date")),
    ],
)
def test_interchangeable_wordings_are_offered(text: str, expected: tuple[str, ...]) -> None:
    assert only("word-choice", text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Each other country objected.",  # every other country
        "The majority of people agreed.",  # "most of people" is wrong
        "The money owing to creditors was paid.",  # owed, not "because of"
        "He was tried to the end.",
        "You might as well.",  # an idiom
        "It was a good start to the season.",  # a noun
        "At the moment he scored, the crowd rose.",  # a point in time
        "He started to the cheers of the crowd.",
        "It cut a further blow.",
        # the orthography channel already varies these: not duplicated here
        "It cost about 5m. Nearly 10 died. It rose, although slowly. It fell more than 5%.",
    ],
)
def test_lookalikes_and_orthography_sites_are_not_offered(text: str) -> None:
    assert only("word-choice", text) == []


# --------------------------------------------------------------------------- time-fronting, source-fronting


def test_a_time_adverbial_moves_to_the_front_and_back() -> None:
    assert only("time-fronting", "Shares in the firm fell sharply on Monday.") == [
        ("Shares in the firm fell sharply on Monday", "On Monday, shares in the firm fell sharply")
    ]
    assert only("time-fronting", "Last year, the firm made a loss.") == [
        ("Last year, the firm made a loss", "The firm made a loss last year")
    ]
    assert only("time-fronting", "Microsoft cut prices in 2004. Others followed Microsoft.") == [
        ("Microsoft cut prices in 2004", "In 2004, Microsoft cut prices")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The firm plans to cut 500 jobs in 2005.",  # the plan or the cuts?
        "The firm is forecasting growth of 2% in 2005.",  # the date belongs to the growth
        "He denied that he stole the car last week.",
        "He sold the shares he bought in 2004.",
        "Shares did not fall on Monday.",  # negation scope
        "He was only appointed in 2004.",
        "Profits rose to £5m from £3m in 2003.",  # the date belongs to £3m
        "The firm criticised the deal announced last week.",  # a reduced relative clause
        "He met the panel at the show earlier in January.",
        "Talks begin at his residence later on Wednesday.",
        "He said shares fell on Monday.",
        'Mr Smith said "shares fell on Monday".',
        "Zorblax grew fast in 2004.",  # a name or an ordinary word? unknown: left alone
        "I got mine 12 years ago.",  # a sentence does not open with a numeral
        "Sales, which fell, rose again in May.",
        "The firm has enjoyed strong growth in 2004.",
    ],
)
def test_time_adverbials_in_complex_sentences_stay_put(text: str) -> None:
    assert only("time-fronting", text) == []


def test_according_to_moves_to_the_front_and_back() -> None:
    assert only("source-fronting", "Sales rose 5% last year, according to the Office for National Statistics.") == [
        (
            "Sales rose 5% last year, according to the Office for National Statistics",
            "According to the Office for National Statistics, sales rose 5% last year",
        )
    ]
    assert only("source-fronting", "According to the firm, sales rose 5%.") == [
        ("According to the firm, sales rose 5%", "Sales rose 5%, according to the firm")
    ]


def test_according_to_over_an_embedded_clause_stays_put() -> None:
    text = "The minister confirmed that the machine was fast, according to the benchmark."
    assert only("source-fronting", text) == []
    assert only("source-fronting", "Sales rose and costs fell, according to the firm.") == []


# --------------------------------------------------------------------------- quotations, Markdown, existing markup


def test_nothing_between_quotation_marks_is_touched() -> None:
    text = (
        '"But France and Germany tried to help," he said. '
        "He called it \u201cbecause of the war\u201d and 'for example' a mess.\n\n"
        '"It is unclosed. But it continues to the end of the paragraph because of France and Germany.\n'
    )
    assert forms(text) == []


def test_a_reopened_quotation_is_still_a_quotation() -> None:
    text = '"Sales rose in there. "It is still important, but France and Germany matter," added Mr Seller.\n'
    assert forms(text) == [("added Mr Seller", "Mr Seller added")]


def test_markdown_code_urls_and_link_targets_are_never_touched() -> None:
    text = (
        "# Plan\n\n"
        "Use `But the code` here. Visit <https://example.org/But-France-and-Germany> today.\n\n"
        "```\nBut the firm said. France and Germany.\n```\n\n"
        "    But an indented block.\n\n"
        "See [France and Germany](https://example.org/a-b) for details.\n\n"
        "- But the list item counts.\n"
    )
    report = suggest(text, "markdown")
    assert [s.forms for s in report.suggestions] == [("But", "However,")]
    assert "- {{But|However,}} the list item counts." in report.text
    assert_round_trips(text, "markdown", report)


def test_emphasis_is_not_split_by_a_suggestion() -> None:
    assert forms("Sales rose. *But* the firm cut jobs.\n", "markdown") == []


def test_existing_markup_is_left_alone_and_kept() -> None:
    text = "{{But|Yet}} the firm said France and Germany agreed.\n\nSales rose. But the firm cut jobs.\n"
    report = suggest(text)
    assert report.text == (
        "{{But|Yet}} the firm said France and Germany agreed.\n\nSales rose. {{But|However,}} the firm cut jobs.\n"
    )
    assert_round_trips(text, "text", report)
    assert [v.forms for v in parse(report.text, "text").variants] == [("But", "Yet"), ("But", "However,")]


def test_an_escaped_brace_next_to_a_span_blocks_it() -> None:
    assert forms("Sales rose.\\But the firm cut jobs.\n") == []


# --------------------------------------------------------------------------- round trip and speed

_PIECES = [
    "Sales rose.",
    "But the firm cut jobs.",
    "However, profits fell.",
    '"We will win," said Mr Smith.',
    '"It is hard," the minister said.',
    "France and Germany agreed.",
    "He visited France, Germany and Italy.",
    "It cut fares in a bid to win customers.",
    "Shares fell on Monday.",
    "According to the firm, sales rose.",
    "For example, it grew each year.",
    "`But code` and {{a|b}} here.",
    "{{But|Yet}} France and Germany.",
    "\\{{not markup}}",
    "Visit https://example.org/But now.",
    '"Open quotation. But inside it.',
    "Mr Blair and Mr Brown met.",
    "The firm, however, disagreed.",
    "{ } | * _ [x](y) <b>",
    "Trinidad and Tobago",
]
_SEPARATORS = [" ", "  ", "\n", "\n\n", "\n- ", "\n# ", "\n    ", "\n```\n", ""]


@given(
    st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPARATORS)), max_size=14),
    st.sampled_from(["text", "markdown"]),
)
def test_every_suggestion_becomes_a_variant_and_the_clean_master_is_unchanged(
    parts: list[tuple[str, str]], fmt: str
) -> None:
    text = "".join(p + sep for p, sep in parts)
    report = suggest(text, fmt)
    assert_round_trips(text, fmt, report)


_ODD = [*"ab ,.\"'{}|\n`*\\BF\u201c\u201d\u2028", "But ", "France and Germany", "said Mr X", "However, "]


@given(st.lists(st.sampled_from(_ODD), max_size=40).map("".join), st.sampled_from(["text", "markdown"]))
def test_odd_input_never_breaks_the_round_trip(text: str, fmt: str) -> None:
    try:
        report = suggest(text, fmt)
    except InputError:
        return  # broken existing markup is the author's to fix
    assert_round_trips(text, fmt, report)


def test_a_3000_word_document_takes_well_under_a_second() -> None:
    paragraph = (
        '"We will publish in March," said Ms Lane. But the board said the figures were not final. '
        "Talks between France and Germany resumed on Monday. The firm cut fares in a bid to win customers, "
        "according to the report. For example, sales in Spain, Italy and Portugal rose each year. "
        "Shares in the firm fell sharply on Tuesday. Analysts said the market was weak because of the strike.\n\n"
    )
    text = paragraph * (3000 // len(paragraph.split()) + 1)
    suggest(text)  # warm up the compiled patterns
    t0 = time.perf_counter()
    report = suggest(text)
    assert time.perf_counter() - t0 < 1.0
    assert report.words >= 3000
    assert report.per_100_words() > 5
