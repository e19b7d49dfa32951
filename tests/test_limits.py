"""The one Limits object and the one text check: caps that agree, checks that never disagree."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.detect import DetectionIndex, DetectionOptions
from barium.errors import InputTooLarge
from barium.limits import Limits, clean_text, looks_binary
from barium.settings import load_settings
from barium.text import tokenize

caps = st.integers(min_value=1, max_value=10**9)


@given(document=caps, leak=caps, public=caps, article=caps)
def test_the_detector_caps_are_never_below_a_text_cap(document: int, leak: int, public: int, article: int) -> None:
    limits = Limits(document_bytes=document, leak_bytes=leak, public_bytes=public, article_bytes=article)
    for kind in ("document", "leak", "public", "article"):
        cap, _ = limits.cap(kind)
        # A text of `cap` bytes has at most `cap` characters and at most `cap` words.
        assert limits.text_chars >= cap and limits.text_words >= cap


def test_limits_come_from_the_settings_and_name_them() -> None:
    settings = load_settings(None, environ={"BARIUM_MAX_PUBLIC_BYTES": "1234", "BARIUM_MAX_ARCHIVE_BYTES": "99"})
    limits = Limits.from_settings(settings)
    assert limits.public_bytes == 1234 and limits.archive_bytes == 99
    assert limits.document_bytes == settings.max_document_bytes and limits.article_bytes == settings.watch_max_bytes
    assert {f.name for f in fields(Limits)} >= {"document_bytes", "leak_bytes", "public_bytes", "csv_bytes"}
    with pytest.raises(InputTooLarge, match=r"x\.txt: 1,235 bytes, over the 1,234-byte limit \(max_public_bytes\)"):
        limits.check_text("a" * 1235, "public", name="x.txt")


@given(st.text())
def test_the_text_check_is_idempotent_and_its_result_never_looks_binary(text: str) -> None:
    limits = Limits()
    once = limits.check_text(text, "leak", name="t")
    assert limits.check_text(once, "leak", name="t") == once
    assert not looks_binary(once)


@given(st.text())
def test_a_cleaned_text_is_always_accepted_by_the_detector(text: str) -> None:
    limits = Limits(leak_bytes=10_000)
    index = DetectionIndex(DetectionOptions(max_chars=limits.text_chars, max_tokens=limits.text_words))
    index.add("1:1", "The quick brown fox jumps over the lazy dog near the quiet river bank today.")
    index.search(limits.check_text(text, "leak", name="t"))  # raises nothing


def test_control_characters_are_dropped_and_record_separators_become_line_breaks() -> None:
    assert clean_text("fi\x01gu\x7fres\x0bnext\x1eline\x85end") == "figures\nnext\nline\nend"
    assert clean_text("tab\tnew\nline\r\nzero\u200bwidth") == "tab\tnew\nline\r\nzero\u200bwidth"
    assert [t.key for t in tokenize(clean_text("leak\x02ed fig\x03ures"))] == ["leaked", "figures"]


def test_binary_is_judged_on_the_whole_data() -> None:
    text = b"plain words " * 10_000
    assert not looks_binary(text)
    assert looks_binary(text + b"\x00")  # a NUL far past the first 64 KiB
    assert looks_binary(b"\x01\x02\x03" * 10 + b"words" * 200)
    assert not looks_binary(b"\x01" * 10 + b"words " * 200)  # a few stray controls are text


def test_the_default_limits_are_the_packaged_settings() -> None:
    assert Limits() == Limits.from_settings(load_settings(None, environ={}))


def test_the_detectors_default_caps_take_every_text_the_packaged_limits_accept() -> None:
    options, limits = DetectionOptions(), Limits()
    assert options.max_chars >= limits.text_chars and options.max_tokens >= limits.text_words
