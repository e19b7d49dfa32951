"""Adding and removing versions updates the index in place: only the new version is
fingerprinted, and the result is the index a fresh build would give."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from barium.detect import DetectionIndex, DetectionOptions
from barium.detect.fingerprints import Hashes, ngram_hashes
from barium.detect.postings import Postings
from tests.detect.conftest import filler, words_of

# Few words, so that n-grams recur across documents and some become banal.
VOCABULARY = np.arange(1, 7, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
NGRAM, MAX_DF = 2, 2


def contents(p: Postings) -> tuple[list[tuple[int, str, int]], list[int]]:
    """Every posting as (n-gram, key, position), sorted, and the banal n-grams."""
    postings = sorted(
        (int(g), p.keys[int(d)], int(pos)) for g, d, pos in zip(p.grams, p.docs, p.positions, strict=True)
    )
    return postings, [int(g) for g in p.banal]


version = st.tuples(st.integers(0, 3), st.lists(st.integers(0, len(VOCABULARY) - 1), min_size=0, max_size=12))
operations = st.lists(st.tuples(st.booleans(), st.integers(0, 7), version), min_size=1, max_size=25)


@given(operations)
def test_postings_kept_up_to_date_equal_postings_built_afresh(
    ops: list[tuple[bool, int, tuple[int, list[int]]]],
) -> None:
    live: dict[str, tuple[str, Hashes]] = {}
    kept = Postings.build([], ngram=NGRAM, max_document_frequency=MAX_DF)
    for add, slot, (document, words) in ops:
        key = f"{document}:{slot}"
        if key in live and not add:
            kept.remove(key)
            del live[key]
        elif key not in live and add:
            live[key] = (str(document), VOCABULARY[words])
            kept.add(key, str(document), VOCABULARY[words])
    fresh = Postings.build(
        [(k, doc, words) for k, (doc, words) in live.items()], ngram=NGRAM, max_document_frequency=MAX_DF
    )
    assert contents(kept) == contents(fresh)
    assert bool(np.all(kept.grams[:-1] <= kept.grams[1:]))
    # Banal: found in more than MAX_DF documents, versions of one document counted once.
    documents: dict[int, set[str]] = {}
    for doc, words in live.values():
        for g in ngram_hashes(words, NGRAM).tolist():
            documents.setdefault(g, set()).add(doc)
    assert contents(kept)[1] == sorted(g for g, docs in documents.items() if len(docs) > MAX_DF)


def test_an_added_version_is_the_only_one_fingerprinted_and_found_at_once(memo_text: str, briefing_text: str) -> None:
    index = DetectionIndex()
    index.add("1:1", memo_text)
    index.add("2:1", briefing_text)
    assert index.stats.fingerprinted == 2
    passage, _, _ = words_of(memo_text, 150, 30)
    article = f"{filler(300)}\n\n{passage}\n\n{filler(300, seed=9)}"
    assert [m.key for m in index.search(article)] == ["1:1"]
    index.add("3:1", memo_text.replace("November", "December"))
    assert index.stats.fingerprinted == 3
    assert sorted(m.key for m in index.search(article)) == ["1:1", "3:1"]
    index.remove("1:1")
    assert [m.key for m in index.search(article)] == ["3:1"]


def test_versions_added_after_a_search_make_their_shared_text_banal(memo_text: str) -> None:
    boilerplate = (
        "This message and any attachments are confidential and intended only for the named recipient; "
        "if you received it in error please delete it and tell the sender at once without copying it."
    )
    index = DetectionIndex(DetectionOptions(max_document_frequency=2))
    index.add("1:1", f"{filler(200, seed=1)}\n\n{boilerplate}")
    index.add("2:1", f"{filler(200, seed=2)}\n\n{boilerplate}")
    assert len(index.search(f"Notice: {boilerplate}")) == 2
    index.add("3:1", f"{filler(200, seed=3)}\n\n{boilerplate}")
    assert index.search(f"Notice: {boilerplate}") == []
    index.remove("3:1")
    assert len(index.search(f"Notice: {boilerplate}")) == 2
