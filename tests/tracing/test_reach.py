"""The quote-length estimate against real traces: a pasted passage as long as the estimate
says names its holder most of the time, one much shorter mostly does not; and the estimate
moves the way the bound does (more recipients, fewer marks: longer)."""

from __future__ import annotations

from pathlib import Path

from barium.services import Barium
from barium.simulate.attacks import excerpt_words
from tests.conftest import FIXTURES, add_people

PEOPLE = 40


def test_a_pasted_quote_of_the_estimated_length_names_its_holder(barium: Barium, tmp_path: Path) -> None:
    add_people(barium, PEOPLE)
    doc = barium.documents.add(FIXTURES / "memo.txt", title="Release")
    estimate = barium.documents.reach(doc.id)
    assert estimate.recipients == PEOPLE and estimate.pasted is not None
    assert estimate.retyped is None or estimate.retyped > estimate.pasted
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    words = estimate.words
    tried = named = named_short = 0
    for n, copy in enumerate(copies[:10]):
        start = (n * 37) % max(words - estimate.pasted, 1)
        leak = excerpt_words(copy.text, start, estimate.pasted)
        result = barium.tracing.trace(leak, record=False)
        tried += 1
        named += result.verdict == "identified" and result.accused[0].recipient == copy.recipient.name
        short = barium.tracing.trace(excerpt_words(copy.text, start, max(estimate.pasted // 4, 8)), record=False)
        named_short += short.verdict == "identified"
        assert all(a.recipient == copy.recipient.name for a in result.accused + short.accused)  # never an innocent
    assert named >= tried // 2, (named, tried, estimate)
    assert named_short < named


def test_the_estimate_grows_with_the_recipients_and_shrinks_with_the_marks(barium: Barium, tmp_path: Path) -> None:
    plain = barium.documents.add(FIXTURES / "memo.txt", title="Plain")
    few, many = barium.documents.reach(plain.id, recipients=10), barium.documents.reach(plain.id, recipients=100_000)
    assert few.pasted is not None and many.pasted is not None and few.pasted <= many.pasted
    # The same memo with an author variant every few words: a retyped quote needs far fewer words.
    text = (FIXTURES / "memo.txt").read_text()
    marked = " ".join(
        f"{{{{{w}|{w}ly|{w}s|{w}ed}}}}" if i % 6 == 3 and w.isalpha() and len(w) > 4 else w
        for i, w in enumerate(text.split(" "))
    )
    (tmp_path / "marked.txt").write_text(marked)
    rich = barium.documents.add(tmp_path / "marked.txt", title="Marked")
    dense = barium.documents.reach(rich.id, recipients=10)
    assert dense.retyped_positions > 3 * few.retyped_positions
    assert dense.retyped is not None and (few.retyped is None or dense.retyped < few.retyped)
