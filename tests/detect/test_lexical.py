"""Verbatim and near-verbatim passages are found with exact spans; noise is not."""

from __future__ import annotations

import random

import pytest

from barium.detect import DetectionIndex, DetectionOptions
from barium.detect.normalize import Normalizer
from barium.text import tokenize
from tests.detect.conftest import filler, words_of


def bury(passage: str, *, words: int = 1000, seed: int = 1) -> tuple[str, int]:
    """The passage in the middle of ``words`` words of unrelated text, and its offset."""
    before = filler(words // 2, seed=seed)
    after = filler(words // 2, seed=seed + 1)
    article = f"{before}\n\n{passage}\n\n{after}"
    return article, len(before) + 2


def test_a_20_word_excerpt_buried_in_1000_words_is_found_with_exact_spans(
    index: DetectionIndex, memo_text: str
) -> None:
    passage, doc_start, doc_end = words_of(memo_text, 120, 20)
    article, at = bury(passage)
    matches = index.search(article)
    assert [m.key for m in matches] == ["1:1"]
    (span,) = matches[0].spans
    assert matches[0].kind == "verbatim"
    assert (span.leak_start, span.leak_end) == (at, at + len(passage))
    assert (span.doc_start, span.doc_end) == (doc_start, doc_end)
    assert span.text == passage
    assert span.words == 20


def test_an_excerpt_of_a_marked_copy_is_found_verbatim(index: DetectionIndex, memo_text: str) -> None:
    passage, doc_start, doc_end = words_of(memo_text, 60, 40)
    marked = (
        passage.replace("'", "\u2019")
        .replace(" - ", " \u2013 ")
        .replace("the ", "the\u200b ")
        .replace("of", "o\u200df")
        .replace(" ", "\u00a0", 3)
    )
    marked = f"\u201c{marked}\u201d"
    article, at = bury(marked, seed=7)
    (match,) = index.search(article)
    assert match.key == "1:1" and match.kind == "verbatim"
    (span,) = match.spans
    assert (span.doc_start, span.doc_end) == (doc_start, doc_end)
    assert span.leak_start == at + 1  # after the opening quotation mark
    assert span.text == marked[1:-1]


def test_orthographic_variants_of_a_marked_copy_fold_to_the_master() -> None:
    ortho = pytest.importorskip("barium.channels.orthography")
    master = (
        "The organisation will move towards e-mail for all staff by September, and ten regional "
        "offices do not expect the 2,000 per cent rise in costs that the finance team predicted "
        "for the coming year, according to the internal review seen by the board on Monday."
    )
    copy = (
        "The organization will move toward email for all staff by September, and ten regional "
        "offices don't expect the 2000 percent rise in costs that the finance team predicted "
        "for the coming year, according to the internal review seen by the board on Monday."
    )
    index = DetectionIndex()
    index.add("9:1", master)
    article, at = bury(copy, words=400)
    (match,) = index.search(article)
    (span,) = match.spans
    assert span.leak_start == at and span.leak_end == at + len(copy) - 1  # the final full stop is no word
    assert ortho.canonicalize(copy) == ortho.canonicalize(master)
    assert match.kind == "verbatim"
    assert (span.doc_start, span.doc_end) == (0, len(master) - 1)


def edit_words(passage: str, share: float, *, seed: int) -> str:
    """Substitute, delete or insert words at random in ``share`` of the positions."""
    rng = random.Random(seed)
    words = passage.split()
    n = round(share * len(words))
    for i in sorted(rng.sample(range(1, len(words) - 1), n), reverse=True):
        op = rng.choice(("sub", "del", "ins"))
        if op == "sub":
            words[i] = rng.choice(("nevertheless", "roughly", "reportedly", "officials"))
        elif op == "del":
            del words[i]
        else:
            words.insert(i, rng.choice(("indeed", "apparently", "quite")))
    return " ".join(words)


@pytest.mark.parametrize(("share", "length"), [(0.1, 40), (0.3, 60)])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_edited_passages_are_found_as_near_verbatim(
    index: DetectionIndex, memo_text: str, share: float, length: int, seed: int
) -> None:
    passage, doc_start, doc_end = words_of(memo_text, 80, length)
    edited = edit_words(passage, share, seed=seed)
    article, at = bury(edited, seed=seed)
    matches = index.search(article)
    assert [m.key for m in matches] == ["1:1"]
    assert matches[0].kind == "near_verbatim"
    span = matches[0].spans[0]
    # The span lies within the planted passage and covers most of it.
    assert at <= span.leak_start and span.leak_end <= at + len(edited)
    assert span.leak_end - span.leak_start >= 0.7 * len(edited)
    assert doc_start - 1 <= span.doc_start and span.doc_end <= doc_end + 1


def test_unrelated_text_raises_nothing(index: DetectionIndex) -> None:
    assert index.search(filler(3000, seed=42)) == []


def test_boilerplate_shared_by_many_documents_raises_nothing() -> None:
    notice = (
        "This document is confidential and intended solely for the named recipient. If you have "
        "received it in error please notify the sender immediately and delete all copies, as any "
        "disclosure, copying or distribution of its contents is strictly prohibited under the policy."
    )
    index = DetectionIndex(DetectionOptions(max_document_frequency=5))
    for i in range(6):
        index.add(f"{i}:1", f"{filler(300, seed=100 + i)}\n\n{notice}")
    article, _ = bury(notice, words=500)
    assert index.search(article) == []


def test_versions_of_one_document_do_not_make_its_text_banal(memo_text: str) -> None:
    index = DetectionIndex(DetectionOptions(max_document_frequency=2))
    for v in range(1, 6):
        index.add(f"7:{v}", memo_text)
    passage, _, _ = words_of(memo_text, 100, 30)
    article, _ = bury(passage)
    assert sorted(m.key for m in index.search(article)) == [f"7:{v}" for v in range(1, 6)]


def test_text_registered_as_public_raises_nothing(index: DetectionIndex, memo_text: str) -> None:
    passage, _, _ = words_of(memo_text, 120, 50)
    index.add_public(f"Press statement. {passage} Ends.")
    article, _ = bury(passage)
    assert index.search(article) == []
    # A passage next to the public one still alerts.
    other, _, _ = words_of(memo_text, 250, 30)
    article, _ = bury(f"{passage} {other}")
    (match,) = index.search(article)
    assert match.spans[0].text.endswith(other)


def test_two_passages_from_one_document_give_one_match_with_two_spans(index: DetectionIndex, memo_text: str) -> None:
    first, _, _ = words_of(memo_text, 40, 25)
    second, _, _ = words_of(memo_text, 300, 25)
    article = f"{filler(300, seed=3)}\n\n{second}\n\n{filler(200, seed=4)}\n\n{first}\n\n{filler(100, seed=5)}"
    (match,) = index.search(article)
    assert [s.text for s in match.spans] == [second, first]


def test_a_removed_document_is_no_longer_found(index: DetectionIndex, memo_text: str) -> None:
    passage, _, _ = words_of(memo_text, 120, 30)
    index.remove("1:1")
    assert index.search(bury(passage)[0]) == []


def test_spans_point_into_the_original_texts_after_canonical_folding(memo_text: str) -> None:
    # A canonicaliser that changes the number of words: offsets stay original.
    def canon(text: str) -> str:
        return text.replace("per cent", "percent").replace("do not", "don't")

    norm = Normalizer(canon)
    text = "Costs rose 5 per cent and we do not know why."
    words = norm.words(text, max_tokens=100)
    assert [text[s:e] for s, e in zip(words.starts, words.ends, strict=True)] == [
        "Costs",
        "rose",
        "5",
        "per cent",
        "and",
        "we",
        "do not",
        "know",
        "why",
    ]
    assert list(words.keys) == [t.key for t in tokenize(canon(text))]
