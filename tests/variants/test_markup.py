"""Author variant markup: found in prose only, replaced by the master's wording."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.errors import InputError
from barium.formats import parse
from barium.text import retype_key
from barium.variants import format_variant


def test_a_variant_becomes_its_first_wording_and_is_recorded() -> None:
    doc = parse("The raid is {{planned for|scheduled for|set for}} 6 June.\n", "text")
    assert doc.text == "The raid is planned for 6 June.\n"
    (v,) = doc.variants
    assert doc.text[v.start : v.end] == "planned for"
    assert v.forms == ("planned for", "scheduled for", "set for")


def test_regions_follow_the_clean_text() -> None:
    source = "One {{big|large}} step.\n\nThen {{a|the}} second {{x|y}} one.\n"
    doc = parse(source, "text")
    assert [doc.text[r.start : r.end] for r in doc.regions] == ["One big step.", "Then a second x one."]
    assert [v.paragraph for v in doc.variants] == [0, 1, 1]


def test_markdown_code_and_urls_keep_their_braces() -> None:
    source = "Use `{{a|b}}` here, {{not|never}} there.\n\n```\n{{x|y}}\n```\n\n<https://e.org/{{p|q}}>\n"
    doc = parse(source, "markdown")
    assert "`{{a|b}}`" in doc.text and "{{x|y}}" in doc.text and "{{p|q}}" in doc.text
    assert [v.forms for v in doc.variants] == [("not", "never")]


def test_a_variant_inside_a_table_cell_is_one_cell() -> None:
    source = "| who | when |\n|---|---|\n| team | {{Monday|Tuesday}} |\n"
    doc = parse(source, "markdown")
    assert doc.text == "| who | when |\n|---|---|\n| team | Monday |\n"
    (v,) = doc.variants
    assert doc.text[v.start : v.end] == "Monday"


def test_escaped_markup_is_literal() -> None:
    for fmt in ("text", "markdown"):
        doc = parse("Write \\{{a|b}} as is.\n", fmt)
        assert doc.variants == ()
        assert doc.text == "Write \\{{a|b}} as is.\n"


@pytest.mark.parametrize(
    "source",
    [
        "Please {{write to press@example.org|e-mail press@example.org}} now.",
        "A {{typo|missing} brace.",
        "Nested {{the {{big|large}} plan|the plan}}.",
        "Code {{use `x`|use y}} here.",
        "A link {{see [this](https://e.org)|read it}}.",
    ],
)
def test_incomplete_or_unsupported_markup_is_refused_not_copied(source: str) -> None:
    with pytest.raises(InputError, match=r"line 2: .*incomplete variant"):
        parse("Intro.\n" + source + "\n", "markdown")


def test_one_word_in_braces_is_neither_a_variant_nor_a_canary() -> None:
    with pytest.raises(InputError, match=r"line 2: .*at least two alternatives.*\{\{order: A, B and C\}\}"):
        parse("Intro.\nSingle {{word}} only.\n", "markdown")


def test_two_insertions_at_one_place_are_refused() -> None:
    with pytest.raises(InputError, match="two insertions"):
        parse("Two {{|very }}{{|large }}things.\n", "text")


def test_an_empty_alternative_is_allowed() -> None:
    doc = parse("A {{very |}}big deal.\n", "text")
    assert doc.text == "A very big deal.\n"
    assert doc.variants[0].forms == ("very ", "")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("The {{plan|plan}} works.", "read the same"),
        ("The {{plan| plan }} works.", "read the same"),
        ('The {{“plan”|"plan"}} works.', "read the same"),
        ("The {{a|b|c|d|e|f|g|h|i}} works.", "at most 8"),
        ("The {{" + "a" * 401 + "|b}} works.", "longer than"),
    ],
)
def test_bad_variants_are_refused_with_the_line(source: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as err:
        parse("First line.\n\n" + source + "\n", "text")
    assert "line 3" in err.value.message


def test_retype_key_folds_what_a_retype_changes_and_keeps_words() -> None:
    assert retype_key("“staff”\u200b  — all") == retype_key('"staff" - all')
    assert retype_key("Staff") != retype_key("staff")


forms = st.lists(
    st.text(
        st.characters(
            blacklist_characters="{}|\\\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", blacklist_categories=("Cs",)
        ),
        max_size=12,
    ),
    min_size=2,
    max_size=4,
    unique_by=retype_key,
)


@given(forms, st.text(st.sampled_from("ab ."), max_size=10), st.text(st.sampled_from("cd ."), max_size=10))
def test_markup_round_trips(alternatives: list[str], before: str, after: str) -> None:
    source = "x" + before + format_variant(alternatives) + after + "y"
    doc = parse(source, "text")
    assert doc.text == "x" + before + alternatives[0] + after + "y"
    (v,) = doc.variants
    assert v.forms == tuple(alternatives)
    assert doc.text[v.start : v.end] == alternatives[0]


def test_format_variant_refuses_what_the_syntax_cannot_hold() -> None:
    with pytest.raises(InputError):
        format_variant(["a|b", "c"])
    with pytest.raises(InputError):
        format_variant(["only one"])


def test_neighbouring_variants_that_combine_alike_are_refused() -> None:
    with pytest.raises(InputError, match="combine into the same words"):
        parse("We gather {{at the|at}} {{harbour|the harbour}} now.\n", "text")
    with pytest.raises(InputError, match="side by side"):
        parse("X " + " ".join("{{a|b|c|d|e|f|g|h}}" for _ in range(5)) + " y.\n", "text")
    # A word between them, or alternatives that stay distinct, is fine.
    assert len(parse("Go {{fast|quickly}}, {{now|today}} ok.\n", "text").variants) == 2
    assert len(parse("Meet {{at the|at}} main {{harbour|the harbour}}.\n", "text").variants) == 2
