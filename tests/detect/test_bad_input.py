"""Empty, huge and binary-looking input: clear errors, never a crash."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.detect import DetectionIndex, DetectionOptions
from barium.errors import Conflict, InputError, InputTooLarge, NotFound, UnsupportedFormat


def test_empty_and_wordless_text_finds_nothing(index: DetectionIndex) -> None:
    assert index.search("") == []
    assert index.search(" \n\t ... -- !!") == []


def test_an_empty_index_finds_nothing() -> None:
    assert DetectionIndex().search("Some words that are not indexed anywhere at all.") == []


def test_huge_text_is_refused_with_a_clear_error(index: DetectionIndex) -> None:
    small = DetectionIndex(DetectionOptions(max_tokens=50, max_chars=10_000))
    with pytest.raises(InputTooLarge, match="word cap"):
        small.search("word " * 51)
    with pytest.raises(InputTooLarge, match="character cap"):
        small.search("x" * 10_001)


def test_binary_looking_text_is_refused(index: DetectionIndex) -> None:
    with pytest.raises(UnsupportedFormat):
        index.search("PK\x03\x04\x00\x00binary\x00junk" * 20)


def test_documents_without_words_and_duplicate_keys_are_refused(index: DetectionIndex) -> None:
    with pytest.raises(InputError):
        index.add("3:1", "  ... ")
    with pytest.raises(Conflict):
        index.add("1:1", "Anything at all here.")
    with pytest.raises(NotFound):
        index.remove("404:1")


@given(st.text(max_size=400))
def test_any_text_either_searches_or_raises_an_input_error(text: str) -> None:
    index = DetectionIndex()
    index.add("1:1", "The quick brown fox jumps over the lazy dog near the quiet river bank today.")
    with contextlib.suppress(InputError):
        index.search(text)
