"""Saving and loading a detection index: one ``.npz`` of plain arrays.

No pickle: numeric arrays, and one JSON document (as bytes) for the record of
what produced the index (:mod:`barium.detect.provenance`), keys, options and the
sentence texts not embedded yet. Embeddings are saved with the rest, so a
paraphrase search after a restart does not embed every version again. The
n-gram postings are not saved; they are rebuilt from the word hashes on the
first search.

Loading is loud: a file that cannot be read, or whose arrays do not add up, is an
:class:`InputError`; one made by anything else than this process would make it
with is a :class:`StaleIndex`, never quietly used.
"""

from __future__ import annotations

import io
import json
import tokenize
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from barium.detect import provenance
from barium.detect.options import DetectionOptions
from barium.detect.paraphrase import Sentences, entity_arrays
from barium.detect.records import StoredDoc, StoredPublic
from barium.errors import ConfigError, InputError
from barium.files import atomic_write

_DIM = 384  # embedding width of an index without embeddings (any width loads)
_ZIP = b"PK\x03\x04"


class StaleIndex(ConfigError):
    """A saved index made by another Barium, normaliser, rule table or model: rebuild it.

    ``reasons`` says what differs, in words.
    """

    def __init__(self, message: str, reasons: list[str]) -> None:
        super().__init__(message)
        self.reasons = reasons


def save_index(
    path: Path,
    docs: list[StoredDoc],
    publics: list[tuple[str, StoredPublic]],
    *,
    producer: provenance.Producer,
    embedder: str,
    options: DetectionOptions,
) -> None:
    """Write an index's records, what produced them and its options to ``path``, atomically."""
    embedded = [d.embeddings is not None for d in docs]
    meta = {
        "format": provenance.FORMAT,
        "producer": producer,
        "embedder": embedder if any(embedded) else None,
        "options": options.to_dict(),
        "keys": [d.key for d in docs],
        "groups": [d.group for d in docs],
        "digests": [d.digest for d in docs],
        "pending": {str(i): d.pending for i, d in enumerate(docs) if d.pending is not None},
        "public_keys": [k for k, _ in publics],
        "public_digests": [p.digest for _, p in publics],
    }
    ent_values = []
    ent_counts = []
    for d in docs:
        values, offsets = entity_arrays(d.sentences)
        ent_values.append(values)
        ent_counts.append(offsets[1:] - offsets[:-1])
    emb = [d.embeddings for d in docs if d.embeddings is not None]
    arrays: dict[str, Any] = {
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        "words": _cat([d.words for d in docs], np.uint64),
        "starts": _cat([d.starts for d in docs], np.int64),
        "ends": _cat([d.ends for d in docs], np.int64),
        "word_counts": np.asarray([len(d.words) for d in docs], dtype=np.int64),
        "sent_starts": _cat([d.sentences.starts for d in docs], np.int64),
        "sent_ends": _cat([d.sentences.ends for d in docs], np.int64),
        "sent_words": _cat([d.sentences.words for d in docs], np.int64),
        "sent_counts": np.asarray([len(d.sentences) for d in docs], dtype=np.int64),
        "entities": _cat(ent_values, np.uint64),
        "entity_counts": _cat(ent_counts, np.int64),
        "embedded": np.asarray(embedded, dtype=bool),
        "embeddings": np.concatenate(emb).astype(np.float16) if emb else np.zeros((0, _DIM), dtype=np.float16),
        "public": _cat([p.grams for _, p in publics], np.uint64),
        "public_counts": np.asarray([len(p.grams) for _, p in publics], dtype=np.int64),
    }
    buffer = io.BytesIO()
    # What np.savez_compressed writes, at the fastest level: hashes hardly compress,
    # and the file is rewritten whenever a version is added.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, array in arrays.items():
            with z.open(f"{name}.npy", "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(array), allow_pickle=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, buffer.getvalue())


@dataclass(frozen=True, slots=True)
class SavedIndex:
    """A saved index, opened: what made it, its options, and its records on demand."""

    path: Path
    meta: dict[str, Any]
    arrays: dict[str, Any]
    options: DetectionOptions  # those asked for, else those saved

    @property
    def producer(self) -> Mapping[str, object]:
        saved = self.meta.get("producer")
        if self.meta.get("format") != provenance.FORMAT or not isinstance(saved, dict):
            return {"format": self.meta.get("format")}
        return saved

    def check(self, producer: provenance.Producer, embedder: str) -> None:
        """Raise :class:`StaleIndex` unless this process would make the same index."""
        reasons = provenance.differences(self.producer, producer)
        saved_model = self.meta.get("embedder")
        if saved_model is not None and saved_model != embedder:
            reasons.append(f"embeddings of {saved_model}, not {embedder}")
        if reasons:
            raise StaleIndex(f"{self.path} was built with {'; '.join(reasons)}: rebuild the index", reasons)

    def records(self) -> tuple[dict[str, StoredDoc], dict[str, StoredPublic]]:
        """Every version's and public text's record; :class:`InputError` when they do not add up."""
        return _records(self.path, self.meta, self.arrays)


def open_saved(path: Path, *, options: DetectionOptions | None) -> SavedIndex:
    """Read the file's arrays and metadata (not yet its records)."""
    try:
        with path.open("rb") as f:
            if f.read(4) != _ZIP:
                raise InputError(f"{path} is not a detection index (not a zip of numpy arrays)")
            f.seek(0)
            a = _read_arrays(f)
    # What zipfile, zlib and numpy raise for damaged bytes (an encryption or method flag
    # flipped among them; a header numpy cannot parse).
    except (
        OSError,
        ValueError,
        EOFError,
        SyntaxError,
        zipfile.BadZipFile,
        zlib.error,
        tokenize.TokenError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise InputError(f"{path} cannot be read as a detection index: {exc}") from exc
    try:
        meta = json.loads(a["meta"].tobytes().decode("utf-8"))
        if not isinstance(meta, dict):
            raise TypeError("meta is not an object")
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError(f"{path} is a damaged detection index: {exc}") from exc
    try:
        chosen = options if options is not None else DetectionOptions.from_dict(meta["options"])
    except (KeyError, TypeError, ConfigError) as exc:
        raise InputError(f"{path} is a damaged detection index: {exc}") from exc
    return SavedIndex(path, meta, a, chosen)


def _records(
    path: Path, meta: dict[str, Any], a: dict[str, Any]
) -> tuple[dict[str, StoredDoc], dict[str, StoredPublic]]:
    docs: dict[str, StoredDoc] = {}
    publics: dict[str, StoredPublic] = {}
    try:
        keys, groups, digests = meta["keys"], meta["groups"], meta["digests"]
        n = len(keys)
        counts = {name: _counts(a, name, n) for name in ("word_counts", "sent_counts")}
        _expect(len(groups) == len(digests) == n and len(a["embedded"]) == n, "per-version lists differ in length")
        words_total, sents_total = int(counts["word_counts"].sum()), int(counts["sent_counts"].sum())
        for name in ("words", "starts", "ends"):
            _expect(len(a[name]) == words_total, f"{name} holds {len(a[name])} words, not {words_total}")
        for name in ("sent_starts", "sent_ends", "sent_words", "entity_counts"):
            _expect(len(a[name]) == sents_total, f"{name} holds {len(a[name])} sentences, not {sents_total}")
        ent_counts = _nonnegative(a["entity_counts"], "entity_counts")
        _expect(len(a["entities"]) == int(ent_counts.sum()), "entities do not match their counts")
        emb_counts = counts["sent_counts"][a["embedded"].astype(bool)]
        _expect(a["embeddings"].ndim == 2 and len(a["embeddings"]) == int(emb_counts.sum()), "embeddings misaligned")
        pending = meta["pending"]
        w_at = s_at = e_at = emb_at = 0
        for i, (key, group, digest) in enumerate(zip(keys, groups, digests, strict=True)):
            nw, ns = int(counts["word_counts"][i]), int(counts["sent_counts"][i])
            ents = []
            for c in ent_counts[s_at : s_at + ns]:
                ents.append(frozenset(int(h) for h in a["entities"][e_at : e_at + int(c)]))
                e_at += int(c)
            embeddings = None
            texts = pending.get(str(i))
            if a["embedded"][i]:
                embeddings = a["embeddings"][emb_at : emb_at + ns]
                emb_at += ns
                _expect(texts is None, f"version {key!r} is both embedded and pending")
            else:
                _expect(isinstance(texts, list) and len(texts) == ns, f"version {key!r} lacks its sentence texts")
            _expect(key not in docs, f"version {key!r} is saved twice")
            docs[str(key)] = StoredDoc(
                key=str(key),
                group=str(group),
                words=a["words"][w_at : w_at + nw],
                starts=a["starts"][w_at : w_at + nw],
                ends=a["ends"][w_at : w_at + nw],
                sentences=Sentences(
                    starts=a["sent_starts"][s_at : s_at + ns],
                    ends=a["sent_ends"][s_at : s_at + ns],
                    words=a["sent_words"][s_at : s_at + ns],
                    entities=tuple(ents),
                ),
                pending=texts,
                embeddings=embeddings,
                digest=str(digest),
            )
            w_at += nw
            s_at += ns
        public_counts = _counts(a, "public_counts", len(meta["public_keys"]))
        _expect(len(a["public"]) == int(public_counts.sum()), "public n-grams do not match their counts")
        p_at = 0
        for key, digest, c in zip(meta["public_keys"], meta["public_digests"], public_counts, strict=True):
            publics[str(key)] = StoredPublic(str(digest), a["public"][p_at : p_at + int(c)].astype(np.uint64))
            p_at += int(c)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{path} is a damaged detection index: {exc}") from exc
    return docs, publics


def _read_arrays(f: BinaryIO) -> dict[str, Any]:
    """Every array of the zip, each member's CRC checked before numpy parses a byte of it."""
    arrays = {}
    with zipfile.ZipFile(f) as z:
        for info in z.infolist():
            raw = z.read(info)  # raises BadZipFile on a bad CRC
            name = info.filename.removesuffix(".npy")
            arrays[name] = np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
    return arrays


def _counts(a: Mapping[str, Any], name: str, n: int) -> Any:
    counts = _nonnegative(a[name], name)
    _expect(len(counts) == n, f"{name} has {len(counts)} entries, not {n}")
    return counts


def _nonnegative(values: Any, name: str) -> Any:
    _expect(values.ndim == 1 and (len(values) == 0 or int(values.min()) >= 0), f"{name} are not counts")
    return values


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


def _cat(parts: list[Any], dtype: Any) -> Any:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
