"""What produced a detection index: the record a saved index is checked against.

A saved index holds word hashes made by the tokenizer and the orthographic
canonicaliser with its rule table, public text as n-grams of one size, and (once
paraphrase search has run) sentence embeddings of one model. Read under any other
of these it would silently miss leaks, so each is recorded and compared on load:

``format``         the file layout
``barium``         the package version
``code``           a digest of the source that turns text into fingerprints (a
                   development checkout changes it without changing the version)
``unicode``        the interpreter's Unicode database (NFKC and casefolding)
``canonicalizer``  the canonicaliser's name, and ``rules`` a digest of the
                   orthography rule table (``none`` without a canonicaliser)
``ngram``          words per n-gram

The embedding model is recorded apart and compared only when the file holds
embeddings: an index never searched by meaning does not depend on the model.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

import barium
from barium.detect.normalize import Normalizer
from barium.detect.paraphrase import Embedder, MiniLM, model_identity

FORMAT = "barium-detect/2"
Producer = dict[str, str | int]

# Source of the stored fingerprints: (package, files; None for every .py file).
_CODE: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("barium.text", None),
    ("barium.detect", ("normalize.py", "fingerprints.py", "paraphrase.py")),
)
_CANON_CODE = ("barium.channels.orthography", None)
_RULES = "barium.channels.orthography"


def producer(normalizer: Normalizer, *, ngram: int) -> Producer:
    """The record of what makes an index's stored data, for this process."""
    folds = normalizer.canonicalize is not None
    return {
        "format": FORMAT,
        "barium": barium.__version__,
        "code": _code_digest(folds),
        "unicode": unicodedata.unidata_version,
        "canonicalizer": normalizer.name,
        "rules": _rules_digest() if folds else "none",
        "ngram": ngram,
    }


def embedder_identity(embedder: Embedder | None) -> str:
    """The model behind an embedder: :func:`model_identity` for the default one."""
    if embedder is None or isinstance(embedder, MiniLM):
        return model_identity()
    named = getattr(embedder, "identity", None)
    return named if isinstance(named, str) else f"{type(embedder).__module__}.{type(embedder).__qualname__}"


def differences(saved: Mapping[str, object], current: Producer) -> list[str]:
    """What differs, in words (empty when the saved index may be used as it is)."""
    if saved.get("format") != current["format"]:
        return [f"file layout {saved.get('format') or 'unknown'}, not {current['format']}"]
    out = []
    for name, now in current.items():
        then = saved.get(name)
        if then == now:
            continue
        if name == "barium":
            out.append(f"Barium {then} (this is {now})")
        elif name == "code":
            out.append("other normalising code")
        elif name == "unicode":
            out.append(f"Unicode {then} (this Python has {now})")
        elif name == "canonicalizer":
            out.append(f"canonicaliser {then}, not {now}")
        elif name == "rules":
            out.append("another orthography rule table")
        else:
            out.append(f"{name} {then}, not {now}")
    return out


@cache
def _code_digest(folds: bool) -> str:
    parts = [*_CODE, _CANON_CODE] if folds else list(_CODE)
    return _digest(_files(package, names, ".py") for package, names in parts)


@cache
def _rules_digest() -> str:
    return _digest([_files(f"{_RULES}", None, ".toml", folder="rules")])


def _files(
    package: str, names: tuple[str, ...] | None, suffix: str, *, folder: str | None = None
) -> Iterable[tuple[str, bytes]]:
    base = resources.files(package)
    if folder is not None:
        base = base / folder
    found = sorted((f for f in base.iterdir() if f.name.endswith(suffix)), key=lambda f: f.name)
    for f in found:
        if names is None or f.name in names:
            yield f"{package}/{f.name}", f.read_bytes()


def _digest(groups: Iterable[Iterable[tuple[str, bytes]]]) -> str:
    h = hashlib.sha256()
    for group in groups:
        for name, data in group:
            h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:16]
