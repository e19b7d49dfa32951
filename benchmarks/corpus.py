"""The BBC News corpus (../shared/corpus/bbc-news), read for benchmarks."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(os.environ.get("BARIUM_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc-news"))
TOPICS = ("business", "entertainment", "politics", "sport", "tech")


def articles() -> list[tuple[str, str]]:
    """(name, text) of every distinct article, in a stable order; duplicates dropped."""
    if not ROOT.is_dir():
        raise SystemExit(f"corpus not found at {ROOT}; set BARIUM_CORPUS")
    seen: set[str] = set()
    out = []
    for topic in TOPICS:
        for path in sorted((ROOT / topic).glob("*.txt")):
            text = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            out.append((f"{topic}/{path.name}", text))
    return out


def long_documents(words: int, count: int) -> list[str]:
    """``count`` documents of about ``words`` words: consecutive articles of one topic joined."""
    return ["\n\n".join(parts) + "\n" for parts in long_document_articles(words, count)]


def long_document_articles(words: int, count: int) -> list[list[str]]:
    """The articles (each stripped, its title its first line) of :func:`long_documents`."""
    docs: list[list[str]] = []
    current: list[str] = []
    n = 0
    topic = None
    for name, text in articles():
        t = name.split("/")[0]
        if t != topic:
            current, n, topic = [], 0, t
        current.append(text.strip())
        n += len(text.split())
        if n >= words:
            docs.append(current)
            current, n = [], 0
            if len(docs) >= count:
                break
    return docs
