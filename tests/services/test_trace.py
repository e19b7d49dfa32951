"""Tracing through the public API: leaks name their source and no one else."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barium.errors import InputError
from barium.services import Barium
from barium.simulate import embed, excerpt_words, html_paste, retype
from tests.conftest import FIXTURES, add_people

WORDS = [
    "the",
    "committee",
    "said",
    "that",
    "its",
    "review",
    "of",
    "contracts",
    "would",
    "be",
    "finished",
    "towards",
    "the",
    "end",
    "of",
    "the",
    "year",
    "although",
    "the",
    "chair",
    "warned",
    "that",
    "costs",
    "had",
    "risen",
    "by",
    "more",
    "than",
    "5",
    "per",
    "cent",
    "and",
    "that",
    "staff",
    "were",
    "working",
    "late",
    "however",
    "the",
    "board",
    "agreed",
    "to",
    "meet",
    "again",
    "in",
    "June",
    "when",
    "it",
    "will",
    "receive",
    "a",
    "full",
    "report",
    "on",
    "the",
    "programme",
    "which",
    "began",
    "in",
    "March",
    "and",
    "it",
    "is",
    "not",
    "clear",
    "whether",
    "the",
    "new",
    "system",
    "will",
    "be",
    "ready",
]
# A plain-text report of about 950 words: a whole copy of the 405-word memo carries few
# invisible marks (after clauses and sentences only, the default), too few for an update
# that splits the evidence between two versions.
REVIEW = FIXTURES / "review.txt"
ARTICLE_BEFORE = "A newspaper article about something else entirely, with its own opening paragraph."
ARTICLE_AFTER = "The article goes on to discuss the weather, sport and the price of bread in detail."


def random_document(rng: random.Random, paragraphs: int) -> str:
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
            words[0] = words[0].capitalize()
            if rng.random() < 0.3:
                words.insert(rng.randint(2, len(words) - 1), '"quoted words"')
            if rng.random() < 0.3:
                words.insert(rng.randint(2, len(words) - 1), "– an aside –")
            sentences.append(" ".join(words) + rng.choice([".", ".", ".", "…"]))
        out.append(" ".join(sentences))
    return "\n\n".join(out) + "\n"


@given(seed=st.integers(0, 10_000))
@settings(max_examples=12)
def test_a_full_copy_of_a_random_document_traces_to_its_recipient_and_no_one_else(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    with Barium.init(tmp_path / f"ws{seed}") as b:
        # 8 to 14 paragraphs (some 500 to 1,000 words): with no commas in its words, a random
        # document carries invisible marks only between sentences under the default setting.
        doc = b.documents.add(random_document(rng, rng.randint(8, 14)), title=f"Doc {seed}")
        add_people(b, 40)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
        leaker = copies[rng.randrange(len(copies))]
        result = b.tracing.trace(leaker.text)
        assert result.verdict == "identified"
        assert [a.recipient for a in result.accused] == [leaker.recipient.name]
        assert result.accused[0].false_accusation_bound <= 1e-6


def test_the_master_and_unrelated_text_accuse_no_one(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 50)
    barium.issuing.issue(doc.id, all_recipients=True)
    master = memo.read_text()
    from_master = barium.tracing.trace(
        embed(excerpt_words(master, 20, 250), before=ARTICLE_BEFORE, after=ARTICLE_AFTER)
    )
    assert from_master.verdict == "inconclusive" and from_master.accused == []
    assert from_master.document is not None and from_master.document.id == doc.id
    unrelated = barium.tracing.trace(ARTICLE_BEFORE + " " + ARTICLE_AFTER)
    assert unrelated.verdict == "no_match" and unrelated.accused == [] and unrelated.document is None


def test_a_pasted_excerpt_inside_an_article_names_the_leaker(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 200)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    leak = embed(
        html_paste(excerpt_words(copies[123].text, 100, 200)),  # a pasted excerpt needs about 140 words
        before=ARTICLE_BEFORE,
        after=ARTICLE_AFTER,
    )
    result = barium.tracing.trace(leak)
    assert result.verdict == "identified"
    assert [a.recipient for a in result.accused] == [copies[123].recipient.name]
    assert result.channels["invisible"] > 0


def test_a_retyped_leak_never_accuses_an_innocent(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 100)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    for n, start in ((60, 10), (150, 50), (300, 0)):
        leaker = copies[(n * 7) % len(copies)]
        result = barium.tracing.trace(retype(excerpt_words(leaker.text, start, n)))
        assert result.channels.get("invisible", 0) == 0
        assert all(a.recipient == leaker.recipient.name for a in result.accused)


def test_old_versions_stay_traceable_after_an_update(barium: Barium, tmp_path: Path) -> None:
    doc = barium.documents.add(REVIEW, title="Review")
    add_people(barium, 20)
    old = barium.issuing.issue(doc.id, all_recipients=True).copies
    changed = tmp_path / "v2.txt"
    changed.write_text(REVIEW.read_text().replace("Summary", "Key points"))
    v2 = barium.documents.update(doc.id, changed)
    assert v2.version == 2
    barium.issuing.issue(doc.id, all_recipients=True)
    result = barium.tracing.trace(old[5].text)
    assert result.verdict == "identified" and result.accused[0].recipient == old[5].recipient.name
    assert result.accused[0].document.version == 1


def test_copies_are_reproducible_byte_for_byte(barium: Barium, memo: Path, tmp_path: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 3)
    first = barium.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "a")
    second = barium.issuing.issue(doc.id, to=["Person 001"], out=tmp_path / "b")
    assert second.copies[0].sha256 == first.copies[1].sha256
    assert (tmp_path / "a" / first.copies[1].file).read_bytes() == (tmp_path / "b" / second.copies[0].file).read_bytes()


def test_with_many_documents_the_detection_index_picks_the_source(barium: Barium) -> None:
    rng = random.Random(7)
    docs = [barium.documents.add(random_document(rng, 8), title=f"Doc {i}") for i in range(25)]
    add_people(barium, 10)
    copies = barium.issuing.issue(docs[22].id, all_recipients=True).copies
    result = barium.tracing.trace(embed(copies[4].text, before=ARTICLE_BEFORE, after=ARTICLE_AFTER))
    assert result.document is not None and result.document.id == docs[22].id
    assert [a.recipient for a in result.accused] == [copies[4].recipient.name]
    assert barium.tracing.trace(ARTICLE_BEFORE + " " + ARTICLE_AFTER).verdict == "no_match"


def test_an_edited_and_reordered_leak_still_names_its_source(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 300)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    leaker = copies[211]
    paragraphs = [p for p in leaker.text.split("\n\n") if len(p.split()) > 30]
    rng = random.Random(3)
    edited = []
    for p in paragraphs[1:5]:
        words = p.split(" ")
        for _ in range(len(words) // 20):  # about 5% of the words rewritten by a sub-editor
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "new", "official", "the"])
        edited.append(" ".join(words))
    edited.reverse()
    result = barium.tracing.trace(embed("\n\n".join(edited), before=ARTICLE_BEFORE, after=ARTICLE_AFTER))
    assert result.verdict == "identified"
    assert [a.recipient for a in result.accused] == [leaker.recipient.name]


def test_a_leak_two_versions_share_is_reported_with_the_version_whose_evidence_decided(
    barium: Barium, memo: Path
) -> None:
    # Version 1 has no orthographic marks; version 2, the same text, marks every channel.
    doc = barium.documents.add(memo, title="Release", disabled_channels=frozenset({"orthography"}))
    add_people(barium, 30)
    barium.issuing.issue(doc.id, all_recipients=True)
    v2 = barium.documents.update(doc.id, memo, disabled_channels=frozenset())
    assert v2.version == 2 and v2.channels.get("orthography", 0) > 0 == doc.channels.get("orthography", 0)
    copy = barium.issuing.issue(doc.id, all_recipients=True).copies[9]
    # Retyped, a short excerpt keeps only orthography: version 2's marks, none of version 1's.
    leak = embed(retype(excerpt_words(copy.text, 40, 90)), before=ARTICLE_BEFORE, after=ARTICLE_AFTER)
    result = barium.tracing.trace(leak)
    assert result.verdict == "inconclusive"
    assert result.document is not None and result.document.version == 2
    assert result.channels["orthography"] > 0 and result.positions_read > 0
    assert not any("no marks survived" in note for note in result.notes)


def test_a_passage_of_the_unmarked_master_lists_no_one_and_counts_who_remains(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 60)
    barium.issuing.issue(doc.id, all_recipients=True)
    result = barium.tracing.trace(
        embed(excerpt_words(memo.read_text(), 20, 250), before=ARTICLE_BEFORE, after=ARTICLE_AFTER)
    )
    assert result.verdict == "inconclusive" and result.positions_read > 0
    assert result.candidates == [] and result.accused == []
    assert result.equally_consistent == result.recipients_scored == 60
    data = result.to_dict()
    assert data["candidates"] == [] and data["equally_consistent"] == 60 and data["max_candidate_bound"] == 1e-2


def test_candidates_are_listed_only_at_or_below_the_candidate_bound(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 60)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    for n in (15, 25, 40, 60, 100):
        result = barium.tracing.trace(html_paste(excerpt_words(copies[7].text, 30, n)))
        assert all(a.false_accusation_bound <= 1e-2 for a in result.candidates)
        assert all(a.test != "none" for a in result.candidates)
        assert (
            result.equally_consistent == result.recipients_scored - len(result.candidates)
            or len(result.candidates) == 5
        )


def test_a_bound_below_the_smallest_double_is_reported_below_1e300_never_as_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The words setting: marks between all words take a bound below 1e-300 in a document this long.
    monkeypatch.setenv("BARIUM_INVISIBLE_GAPS", "words")
    with Barium.init(tmp_path / "ws") as b:
        doc = b.documents.add(random_document(random.Random(1), 24), title="Long")
        add_people(b, 20)
        copy = b.issuing.issue(doc.id, all_recipients=True).copies[3]
        (accused,) = b.tracing.trace(copy.text).accused
        assert accused.recipient == copy.recipient.name and accused.bound_below_floor
        data = b.tracing.trace(copy.text).to_dict()["accused"][0]
        assert data["false_accusation_bound"] == 1e-300 and data["bound_below_floor"] is True


def test_a_threshold_above_1e3_is_refused_unless_asked_for_as_weak(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 10)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    leak = retype(excerpt_words(copies[2].text, 0, 120))
    with pytest.raises(InputError, match="--weak"):
        barium.tracing.trace(leak, max_false_accusation=0.05)
    weak = barium.tracing.trace(leak, max_false_accusation=0.05, weak=True)
    assert weak.weak and weak.to_dict()["weak"] is True
    assert all(a.recipient == copies[2].recipient.name for a in weak.accused)
    firm = barium.tracing.trace(leak, max_false_accusation=1e-3)
    assert not firm.weak and firm.to_dict()["weak"] is False
