"""Tracing several leaks together: a serial leaker named from leaks that each fall short."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from barium.errors import InputError
from barium.services import Barium, IssuedCopy
from barium.simulate import excerpt_words, retype
from barium.variants import format_variant
from tests.conftest import add_people
from tests.services.test_trace import ARTICLE_AFTER, ARTICLE_BEFORE, WORDS

POOL = ["review", "budget", "office", "plan", "staff", "report", "meeting", "survey", "region", "county"]
PEOPLE = 200


def variant_document(rng: random.Random, sentences: int) -> str:
    """Sentences of plain words, each with one four-way author variant."""
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 16))]
        words.insert(rng.randint(1, len(words) - 1), format_variant(rng.sample(POOL, 4)))
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + ".")
    return "\n\n".join(" ".join(out[i : i + 4]) for i in range(0, len(out), 4)) + "\n"


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Barium, list[list[IssuedCopy]]]]:
    """Three documents; the first two issued to everyone, the third to the first half only."""
    b = Barium.init(tmp_path_factory.mktemp("joint") / "ws")
    add_people(b, PEOPLE)
    rng = random.Random(11)
    copies = []
    for k in range(3):
        doc = b.documents.add(variant_document(rng, 40), title=f"Plan {k}")
        half = [f"Person {i:03d}" for i in range(PEOPLE // 2)]
        report = b.issuing.issue(doc.id, all_recipients=True) if k < 2 else b.issuing.issue(doc.id, to=half)
        copies.append(report.copies)
    yield b, copies
    b.close()


def quotes(copies: list[list[IssuedCopy]], who: int, words: int) -> list[str]:
    return [retype(excerpt_words(c[who].text, 20, words)) for c in copies]


def test_three_short_quotes_name_their_one_source_together(three: tuple[Barium, list[list[IssuedCopy]]]) -> None:
    b, copies = three
    for who in (7, 41, 88):
        leaks = quotes(copies, who, 100)
        alone = [b.tracing.trace(x) for x in leaks]
        joint = b.tracing.trace_joint(leaks)
        name = copies[0][who].recipient.name
        assert [a.recipient for a in joint.accused] == [name]
        best_alone = min(r.candidates[0].false_accusation_bound if r.candidates else 1.0 for r in alone)
        assert joint.accused[0].false_accusation_bound < best_alone / 100
        # The joint score is the sum of the leaks' shares (three documents, no shared positions).
        (accused,) = joint.accused
        assert accused.score == pytest.approx(sum(x for x in accused.per_leak if x is not None))
        assert [leak.document.title if leak.document else None for leak in joint.leaks] == [
            "Plan 0",
            "Plan 1",
            "Plan 2",
        ]


def test_quotes_each_too_short_are_inconclusive_alone_yet_identified_together(
    three: tuple[Barium, list[list[IssuedCopy]]],
) -> None:
    b, copies = three
    short_alone_named_together = 0
    for who in range(0, 100, 20):
        leaks = quotes(copies, who, 100)
        alone = [b.tracing.trace(x).verdict for x in leaks]
        joint = b.tracing.trace_joint(leaks)
        assert {a.recipient for a in joint.accused} <= {copies[0][who].recipient.name}
        short_alone_named_together += alone == ["inconclusive"] * 3 and bool(joint.accused)
    assert short_alone_named_together >= 4


def test_the_same_leak_twice_adds_no_evidence(three: tuple[Barium, list[list[IssuedCopy]]]) -> None:
    b, copies = three
    leak = quotes(copies, 5, 250)[0]
    once = b.tracing.trace(leak)
    twice = b.tracing.trace_joint([leak, leak])
    assert once.candidates and twice.candidates
    assert twice.candidates[0].false_accusation_bound == pytest.approx(once.candidates[0].false_accusation_bound)
    assert twice.candidates[0].score == pytest.approx(once.candidates[0].score)


def test_a_recipient_without_a_copy_of_one_document_is_scored_on_the_others(
    three: tuple[Barium, list[list[IssuedCopy]]],
) -> None:
    b, copies = three
    # Person 150 holds Plans 0 and 1 only; the third leak is someone else's copy of Plan 2.
    leaks = [*quotes(copies[:2], 150, 150), retype(excerpt_words(copies[2][3].text, 20, 150))]
    joint = b.tracing.trace_joint(leaks)
    people = {a.recipient: a for a in joint.candidates}
    assert "Person 150" in people and people["Person 150"].per_leak[2] is None
    assert {a.recipient for a in joint.accused} <= {"Person 150", "Person 003"}
    assert joint.recipients_scored == PEOPLE


def test_a_leak_that_matches_nothing_is_reported_and_the_rest_still_count(
    three: tuple[Barium, list[list[IssuedCopy]]], tmp_path: Path
) -> None:
    b, copies = three
    unrelated = tmp_path / "weather.txt"
    unrelated.write_text(ARTICLE_BEFORE + " " + ARTICLE_AFTER + "\n")
    leaks: list[Path | str] = [*quotes(copies, 9, 150), unrelated]
    joint = b.tracing.trace_joint(leaks)
    assert [a.recipient for a in joint.accused] == [copies[0][9].recipient.name]
    assert joint.leaks[3].document is None and joint.accused[0].per_leak[3] is None
    assert joint.leaks[3].sha256 == hashlib.sha256(unrelated.read_bytes()).hexdigest()
    assert joint.leaks[3].source == str(unrelated)
    assert any("leak 4" in n and "matches no registered document" in n for n in joint.notes)
    data = joint.to_dict()
    assert [leak["file"] for leak in data["leaks"]] == ["text", "text", "text", str(unrelated)]
    assert data["leaks"][0]["contribution"] == pytest.approx(joint.accused[0].per_leak[0], abs=1e-3)
    assert data["accused"][0]["per_leak"][3] is None


def test_nothing_to_trace_jointly_is_refused(three: tuple[Barium, list[list[IssuedCopy]]]) -> None:
    b, _ = three
    with pytest.raises(InputError, match="no leak"):
        b.tracing.trace_joint([])
    with pytest.raises(InputError, match="over the 50"):
        b.tracing.trace_joint(["a leak"] * 51)
    assert b.tracing.trace_joint([ARTICLE_BEFORE, ARTICLE_AFTER]).verdict == "no_match"
