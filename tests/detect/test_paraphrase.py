"""Hand-written paraphrases are found by meaning (the real model, loaded once per session)."""

from __future__ import annotations

import pytest

from barium.detect import DetectionIndex, Embedder
from tests.detect.conftest import filler

pytestmark = pytest.mark.slow

MASTER = (
    "Quarterly report of the regional water authority\n\n"
    "The authority will raise household water bills by 7.5% from 1 April, the first increase in three years. "
    "Chief executive Margaret Okafor told the board that the reservoir at Hollow Ridge would be closed for "
    "eighteen months of repairs. About 40,000 homes in Eastbury will be supplied from the northern pipeline "
    "during the works. The authority expects to spend £230m on leak reduction before the end of 2027.\n\n"
    "Staff will receive further guidance from their line managers in due course."
)

PARAPHRASES = [
    (
        "Household bills for water are set to go up by 7.5 percent starting on 1 April, the authority's "
        "first rise for three years.",
        "The authority will raise household water bills by 7.5% from 1 April",
    ),
    (
        "Margaret Okafor, the chief executive, informed board members that Hollow Ridge reservoir is to "
        "shut for a year and a half while it is repaired.",
        "Chief executive Margaret Okafor told the board",
    ),
    (
        "While the work goes on, some 40,000 Eastbury households will get their water through the "
        "northern pipeline instead.",
        "About 40,000 homes in Eastbury",
    ),
]


@pytest.fixture
def index(minilm: Embedder) -> DetectionIndex:
    idx = DetectionIndex(embedder=minilm)
    idx.add("5:2", MASTER)
    idx.add("6:1", filler(400, seed=11))
    return idx


@pytest.mark.parametrize(("paraphrase", "source"), PARAPHRASES)
def test_a_paraphrased_sentence_is_found_with_its_source_sentence(
    index: DetectionIndex, paraphrase: str, source: str
) -> None:
    article = f"{filler(300, seed=1)}\n\n{paraphrase}\n\n{filler(300, seed=2)}"
    matches = index.search(article, paraphrase=True)
    assert [m.key for m in matches] == ["5:2"]
    (span,) = matches[0].spans
    assert matches[0].kind == "paraphrase"
    assert span.text == paraphrase
    assert MASTER[span.doc_start : span.doc_end].startswith(source)


def test_paraphrase_search_is_off_unless_asked(index: DetectionIndex) -> None:
    article = f"{filler(100)}\n\n{PARAPHRASES[0][0]}"
    assert index.search(article) == []


def test_an_unrelated_article_is_no_paraphrase(index: DetectionIndex) -> None:
    article = (
        "The county cricket club announced a new captain on Tuesday. Fans queued outside the ground for "
        "tickets to the opening match of the season, which starts next month. The club said the pavilion "
        "roof had been repaired over the winter at a cost the committee described as reasonable."
    )
    assert index.search(article, paraphrase=True) == []
