"""Saving and loading a detection index: one ``.npz`` of plain arrays.

No pickle: numeric arrays, and one JSON document (as bytes) for keys, options
and the sentence texts not embedded yet. The n-gram postings are not saved;
they are rebuilt from the word hashes on the first search.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from barium.detect.normalize import Canonicalizer, Normalizer, default_canonicalizer
from barium.detect.options import DetectionOptions
from barium.detect.paraphrase import Embedder, Sentences
from barium.errors import ConfigError, InputError

if TYPE_CHECKING:
    from barium.detect.index import DetectionIndex

FORMAT = "barium-detect/1"


def save_index(index: DetectionIndex, path: Path) -> None:
    from barium.detect.paraphrase import entity_arrays

    docs = list(index._docs.values())
    meta = {
        "format": FORMAT,
        "options": index.options.to_dict(),
        "canonicalizer": index.canonicalizer,
        "keys": [d.key for d in docs],
        "groups": [d.group for d in docs],
        "pending": {str(i): d.pending for i, d in enumerate(docs) if d.pending is not None},
    }
    ent_values = []
    ent_offsets = []
    for d in docs:
        values, offsets = entity_arrays(d.sentences)
        ent_values.append(values)
        ent_offsets.append(offsets[1:] - offsets[:-1])
    embedded = np.asarray([d.embeddings is not None for d in docs], dtype=bool)
    emb = [d.embeddings for d in docs if d.embeddings is not None]
    arrays: dict[str, Any] = {
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        "words": _cat([d.words for d in docs], np.uint64),
        "starts": _cat([d.starts for d in docs], np.int64),
        "ends": _cat([d.ends for d in docs], np.int64),
        "word_counts": np.asarray([len(d.words) for d in docs], dtype=np.int64),
        "public": index._public,
        "sent_starts": _cat([d.sentences.starts for d in docs], np.int64),
        "sent_ends": _cat([d.sentences.ends for d in docs], np.int64),
        "sent_words": _cat([d.sentences.words for d in docs], np.int64),
        "sent_counts": np.asarray([len(d.sentences) for d in docs], dtype=np.int64),
        "entities": _cat(ent_values, np.uint64),
        "entity_counts": _cat(ent_offsets, np.int64),
        "embedded": embedded,
        "embeddings": np.concatenate(emb).astype(np.float16) if emb else np.zeros((0, 384), dtype=np.float16),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target, then rename: a crash never leaves half an index.
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_index(
    cls: type[DetectionIndex],
    path: Path,
    *,
    canonicalize: Canonicalizer | str | None,
    embedder: Embedder | None,
) -> DetectionIndex:
    from barium.detect.index import _Doc

    fn = default_canonicalizer() if canonicalize == "default" else canonicalize
    assert fn is None or callable(fn)
    try:
        with np.load(path, allow_pickle=False) as data:
            a = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError(f"{path} is not a detection index: {exc}") from exc
    try:
        meta = json.loads(a["meta"].tobytes().decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise InputError(f"{path} is not a {FORMAT} index")
        name = Normalizer(fn).name
        if meta["canonicalizer"] != name:
            raise ConfigError(
                f"{path} was built with canonicaliser {meta['canonicalizer']}, not {name}: rebuild the index"
            )
        index = cls(DetectionOptions.from_dict(meta["options"]), canonicalize=fn, embedder=embedder)
        index._public = a["public"].astype(np.uint64)
        w_at = s_at = e_at = emb_at = 0
        counts = a["entity_counts"]
        for i, (key, group) in enumerate(zip(meta["keys"], meta["groups"], strict=True)):
            nw, ns = int(a["word_counts"][i]), int(a["sent_counts"][i])
            ents = []
            for c in counts[s_at : s_at + ns]:
                ents.append(frozenset(int(h) for h in a["entities"][e_at : e_at + int(c)]))
                e_at += int(c)
            embeddings = None
            if a["embedded"][i]:
                embeddings = a["embeddings"][emb_at : emb_at + ns]
                emb_at += ns
            index._docs[key] = _Doc(
                key=key,
                group=group,
                words=a["words"][w_at : w_at + nw],
                starts=a["starts"][w_at : w_at + nw],
                ends=a["ends"][w_at : w_at + nw],
                sentences=Sentences(
                    starts=a["sent_starts"][s_at : s_at + ns],
                    ends=a["sent_ends"][s_at : s_at + ns],
                    words=a["sent_words"][s_at : s_at + ns],
                    entities=tuple(ents),
                ),
                pending=meta["pending"].get(str(i)),
                embeddings=embeddings,
            )
            w_at += nw
            s_at += ns
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise InputError(f"{path} is a damaged detection index: {exc}") from exc
    return index


def _cat(parts: list[Any], dtype: Any) -> Any:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
