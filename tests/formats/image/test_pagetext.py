"""Pages laid out as text masters are: paragraphs, joined lines, safe hyphen joins, placeholders."""

from __future__ import annotations

from barium.channels.base import WordBox
from barium.formats.image.pagetext import PLACEHOLDER, assemble, join_pages, line_joiner
from barium.formats.image.read import MIN_CONFIDENCE, read_words
from barium.formats.image.tesseract import OcrWord
from barium.text import tokenize


def boxes(line: str) -> list[WordBox]:
    return [WordBox(w, 0, 0, 1, 1, 1.0) for w in line.split()]


def test_a_word_hyphenated_at_a_line_end_joins_and_keeps_its_hyphen() -> None:
    assert line_joiner("recom-", "mendation") == ("recom-", "")
    assert line_joiner("e-", "mail") == ("e-", "")  # never "email": that is the other form of a mark
    assert line_joiner("1990-", "95") == ("1990-", " ")  # not between letters
    assert line_joiner("Anglo-", "French") == ("Anglo-", " ")  # a capital may start a word of its own
    assert line_joiner("recom\u00ad", "mendation") == ("recom", "")  # a soft hyphen is never text
    assert line_joiner("profit\u2014", "and") == ("profit\u2014", "")  # an unspaced dash stays unspaced
    assert line_joiner("profit", "\u2014 and") == ("profit", " ")
    assert line_joiner("end.", "Next") == ("end.", " ")


def test_a_hyphenated_join_aligns_like_the_unbroken_word() -> None:
    assert [t.key for t in tokenize("recom-mendation")] == [t.key for t in tokenize("recommendation")]


def test_paragraphs_are_separated_by_a_blank_line_and_lines_joined_by_a_space() -> None:
    page = assemble(
        [[boxes("The firm, which is"), boxes("now recom-"), boxes("mendation here.")], [boxes("Next one.")]]
    )
    assert page.text == "The firm, which is now recom-mendation here.\n\nNext one."
    assert [page.text[s : s + len(w.text)] for s, w in zip(page.word_starts, page.words, strict=True)] == [
        w.text for w in page.words
    ]
    both = join_pages([page, assemble([[boxes("Page two.")]])])
    assert both.text.endswith("Next one.\n\nPage two.") and both.text[both.word_starts[-1] :] == "two."


def test_a_word_read_unsurely_becomes_a_placeholder_that_aligns_to_nothing() -> None:
    def word(text: str, conf: float, n: int) -> OcrWord:
        return OcrWord(text, 10 * n, 0, 9, 9, conf, 1, 1, 1)

    page = read_words([word("moved", 96, 0), word("toward", MIN_CONFIDENCE - 1, 1), word("the", 91, 2)])
    assert page.text == f"moved {PLACEHOLDER} the"
    assert [t.key for t in tokenize(page.text)] == ["moved", "the"]
    assert page.words[1].text == PLACEHOLDER and page.words[1].confidence < MIN_CONFIDENCE / 100
