"""One definition of an invisible character, and every reader of text honours it."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from barium.channels.invisible import ALPHABET
from barium.services import Barium
from barium.simulate import embed, excerpt_words
from barium.text import is_invisible, strip_invisible, tokenize
from barium.text.invisible import RANGES
from tests.conftest import add_people

VARIATION_SELECTORS = [chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))]
FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
EVERY_INVISIBLE = FORMAT_CHARACTERS + VARIATION_SELECTORS
BEFORE = "Officials welcomed the news but warned that the details were still being checked."
AFTER = "The ministry declined to comment on the document or on how it came to be published."


def sprinkle(text: str, chars: list[str]) -> str:
    """``text`` with one of ``chars`` inside every word and another at its start, in turn."""
    out: list[str] = []
    pos = n = 0
    for tok in tokenize(text):
        middle = tok.start + max(1, (tok.end - tok.start) // 2)
        out += [text[pos : tok.start], chars[n % len(chars)], text[tok.start : middle], chars[(n + 1) % len(chars)]]
        pos, n = middle, n + 2
    out.append(text[pos:])
    return "".join(out)


def test_every_format_character_and_variation_selector_is_invisible() -> None:
    assert all(is_invisible(ch) for ch in EVERY_INVISIBLE)
    assert strip_invisible("".join(EVERY_INVISIBLE)) == ""


def test_nothing_visible_is_called_invisible() -> None:
    for first, last in RANGES:
        for cp in range(first, last + 1):
            category = unicodedata.category(chr(cp))
            # Format characters, selectors and joiners (Mn), Hangul fillers (Lo), reserved (Cn).
            assert category in {"Cf", "Mn", "Lo", "Cn"}, f"U+{cp:04X} is {category}"
            assert category != "Lo" or "FILLER" in unicodedata.name(chr(cp))
    assert not any(is_invisible(ch) for ch in "a Z 0 \u00e9 \u0301 \u3042 \u2014 \u00a0 \ufffd \ufffc")


def test_the_invisible_channel_writes_only_invisible_characters() -> None:
    assert ALPHABET and all(is_invisible(ch) for ch in ALPHABET)


def test_an_invisible_character_inside_a_word_leaves_the_word_unchanged() -> None:
    for ch in EVERY_INVISIBLE:
        tokens = tokenize(f"tow{ch}ards e-{ch}mail {ch}don{ch}'t 1,{ch}500")
        assert [t.key for t in tokens] == ["towards", "email", "dont", "1500"], f"U+{ord(ch):04X}"


def test_a_leak_sprinkled_with_every_invisible_character_still_names_its_recipient(
    tmp_path: Path, memo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The words setting: a mark in every gap, so that each added character sits beside a mark
    # and the marks are many enough to count.
    monkeypatch.setenv("BARIUM_INVISIBLE_GAPS", "words")
    with Barium.init(tmp_path / "ws") as barium:
        doc = barium.documents.add(memo, title="Release")
        add_people(barium, 40)
        copy = barium.issuing.issue(doc.id, all_recipients=True).copies[17]
        leak = sprinkle(excerpt_words(copy.text, 0, 300), EVERY_INVISIBLE)
        assert all(ch in leak for ch in EVERY_INVISIBLE)
        result = barium.tracing.trace(embed(leak, before=BEFORE, after=AFTER))
    assert result.verdict == "identified"
    assert [a.recipient for a in result.accused] == [copy.recipient.name]
    # The gaps' own marks are still read: the added characters are noise, not forms.
    assert result.channels["invisible"] > 100


def test_a_bidi_isolate_inside_every_word_still_names_its_recipient(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 40)
    copy = barium.issuing.issue(doc.id, all_recipients=True).copies[3]
    result = barium.tracing.trace(sprinkle(copy.text, ["", "\u2066"]))
    assert result.verdict == "identified"
    assert [a.recipient for a in result.accused] == [copy.recipient.name]


def test_detection_finds_a_passage_sprinkled_with_every_invisible_character(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(memo, title="Release")
    passage = excerpt_words(barium.documents.master_text(doc.id), 40, 120)
    page = tmp_path / "article.txt"
    page.write_text(embed(sprinkle(passage, EVERY_INVISIBLE), before=BEFORE, after=AFTER), encoding="utf-8")
    (match,) = barium.watching.scan([page])
    assert match.document.id == doc.id and match.kind == "verbatim"
    assert sum(span["doc_end"] - span["doc_start"] for span in match.spans) >= 0.9 * len(passage)
    assert match.trace["verdict"] == "inconclusive"  # the master: found, and no one accused
