"""The public surface: ``__all__`` is complete, results are plain data."""

from __future__ import annotations

import json

import barium.detect as detect
from barium.detect import DetectionIndex
from tests.detect.conftest import filler, words_of


def test_all_lists_every_public_name() -> None:
    public = {n for n in dir(detect) if not n.startswith("_")} - {
        "align",
        "fingerprints",
        "index",
        "normalize",
        "options",
        "paraphrase",
        "postings",
        "provenance",
        "records",
        "results",
        "storage",
        "topics",
    }
    assert public == set(detect.__all__)


def test_matches_serialise_to_json(index: DetectionIndex, memo_text: str) -> None:
    passage, _, _ = words_of(memo_text, 30, 25)
    (match,) = index.search(f"{filler(100)}\n\n{passage}")
    data = json.loads(json.dumps(match.to_dict()))
    assert data["key"] == "1:1" and data["spans"][0]["text"] == passage
