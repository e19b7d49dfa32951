"""Detection fixtures: a protected memo, unrelated filler text, the embedding model once."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from barium.detect import DetectionIndex, Embedder, MiniLM
from barium.detect.fingerprints import word_hash
from barium.detect.paraphrase import Vectors

FIXTURES = Path(__file__).parents[1] / "fixtures"

# Words for filler text that shares nothing with the fixtures but function words.
_FILLER = tuple(
    re.findall(
        r"\w+",
        "the of and a to in is was for on that with as by at from his her it an were are which "
        "this be garden river orchard cricket violin harbour bakery lantern meadow pottery "
        "festival mountain painter sailor village kitchen novel poem choir museum bridge forest "
        "winter summer morning walked painted baked sang climbed opened carried watched wrote "
        "remembered built visited quiet golden ancient narrow bright wooden gentle crowded "
        "distant famous local small old ",
    )
)


def filler(words: int, *, seed: int = 0) -> str:
    """``words`` words of unrelated text, in sentences and paragraphs."""
    rng = random.Random(seed)
    out: list[str] = []
    sentence: list[str] = []
    for i in range(words):
        sentence.append(rng.choice(_FILLER))
        if len(sentence) >= rng.randint(8, 20) or i == words - 1:
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    paragraphs = [" ".join(out[i : i + 4]) for i in range(0, len(out), 4)]
    return "\n\n".join(paragraphs)


def words_of(text: str, start: int, count: int) -> tuple[str, int, int]:
    """``count`` whitespace words of ``text`` from word ``start``: (passage, start offset, end offset).

    Punctuation after the last word is left out, so the passage ends where a word does.
    """
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    a, b = spans[start][0], spans[start + count - 1][1]
    while text[b - 1] in ".,;:!?)\"'\u201d\u2019":
        b -= 1
    return text[a:b], a, b


@pytest.fixture
def memo_text() -> str:
    return (FIXTURES / "memo.txt").read_text(encoding="utf-8")


@pytest.fixture
def briefing_text() -> str:
    return (FIXTURES / "briefing.md").read_text(encoding="utf-8")


@pytest.fixture
def index(memo_text: str, briefing_text: str) -> DetectionIndex:
    idx = DetectionIndex()
    idx.add("1:1", memo_text)
    idx.add("2:1", briefing_text)
    return idx


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    """The real embedding model, loaded once for the whole session."""
    model = MiniLM()
    model.encode(["warm up"])
    return model


class BagOfWords:
    """A stand-in for the embedding model that needs no download: hashed word counts.

    Deterministic and unit-length, as the Embedder protocol asks; ``sentences``
    counts what it was given, ``identity`` names it in saved indexes.
    """

    identity = "tests bag-of-words 384"

    def __init__(self) -> None:
        self.sentences = 0

    def encode(self, sentences: list[str]) -> Vectors:
        self.sentences += len(sentences)
        out = np.zeros((len(sentences), 384), dtype=np.float32)
        for i, s in enumerate(sentences):
            for w in re.findall(r"\w+", s.casefold()):
                out[i, word_hash(w) % 384] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)
