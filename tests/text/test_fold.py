"""One definition of what survives a retype: the tracer's key, the channels' folds and
the simulated attack are the same transformation."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from barium.channels.orthography import fold as orthography_fold
from barium.channels.punctuation import PunctuationChannel
from barium.simulate import retype
from barium.text import retype_key, strip_invisible, tokenize
from barium.text.tokens import token_key

# Letters, accents to compose, typography, compatibility forms, spaces and invisibles.
PIECES = [
    *"aZe\u0301 \t\n\u00a0\u2009\u202f,.-'\"",
    *"\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2212\u2026\u2033",
    *"\uff21\ufb01\u00b2\u2460",  # fullwidth A, the fi ligature, superscript two, circled one
    *"\u200b\u200d\u00ad\u2066\ufe0f\ufeff",
    *("\u0065\u0301", "\u1100\u1161"),  # e + acute, Hangul jamo: both compose under NFKC
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def test_a_retype_folds_typography_invisibles_compatibility_forms_and_spacing() -> None:
    text = (
        "\u00a0 \u201cStaff\u201d\u200b \u2014 and \u2018ﬁnance\u2019 \u2013 met\u2026\t\t"
        "\uff21\uff12 at\u2009the\u202fdesk\u00ad, \u00abnow\u00bb \u2212 5\u2033.\n\n  "
    )
    assert retype_key(text) == "\"Staff\" - and 'finance' - met... A2 at the desk, \"now\" - 5''."


def test_a_retype_keeps_words_case_and_punctuation_style() -> None:
    assert retype_key("Staff") != retype_key("staff")
    assert retype_key("colour") != retype_key("color")
    assert retype_key('"staff"') != retype_key("'staff'")
    assert retype_key("costs \u2013 prices") != retype_key("costs\u2014prices")
    assert retype_key("e-mail") != retype_key("email")


def test_an_invisible_character_between_a_letter_and_its_accent_does_not_keep_them_apart() -> None:
    assert retype_key("caf" + "e\u200b\u0301") == retype_key("caf\u00e9") == "caf\u00e9"
    assert retype_key("\u1100\u2060\u1161") == "\uac00"


@given(TEXTS)
def test_retyping_a_retype_changes_nothing(text: str) -> None:
    assert retype_key(retype_key(text)) == retype_key(text)


@given(TEXTS)
def test_invisible_characters_change_no_retype(text: str) -> None:
    assert retype_key(text) == retype_key(strip_invisible(text))
    assert unicodedata.is_normalized("NFKC", retype_key(text))


@given(TEXTS)
def test_the_simulated_retype_and_the_channels_folds_are_the_tracers_key(text: str) -> None:
    assert retype(text) == retype_key(text)
    assert PunctuationChannel().fold(text) == retype_key(text)
    assert orthography_fold(text) == orthography_fold(retype_key(text))


@given(TEXTS)
def test_a_words_key_is_its_retype_case_folded_without_joiners(text: str) -> None:
    for token in tokenize(text):
        word = text[token.start : token.end]
        expected = "".join(ch for ch in retype_key(word).casefold() if ch not in "'-.,")
        assert token.key == token_key(word) == expected
    for word in ("Don't", "e-mail", "1,500", "U.S.", "Caf\u00e9", "\uff21\uff22", "don\u2019t"):
        assert token_key(word) == "".join(ch for ch in retype_key(word).casefold() if ch not in "'-.,")
