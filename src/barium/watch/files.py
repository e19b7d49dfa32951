"""Local sources for ``barium scan PATH...``: files and folders of published text.

Named paths are checked before anything is read, so a typo or an unknown
file type fails at once rather than halfway through a long scan.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from barium.errors import InputError, NotFound, UnsupportedFormat
from barium.watch.articles import Article
from barium.watch.errors import SourceError
from barium.watch.pages import extract_article
from barium.watch.skipped import Skipped
from barium.watch.warc import iter_warc

__all__ = ["DEFAULT_MAX_BYTES", "LOCAL_SUFFIXES", "ScanReport", "iter_local", "local_kind", "scan_paths"]

LocalKind = Literal["text", "markdown", "html", "warc", "jsonl"]
LOCAL_SUFFIXES: dict[str, LocalKind] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".jsonl": "jsonl",
}
DEFAULT_MAX_BYTES = 20_000_000  # same as the max_leak_bytes default
_REPLACEMENT = b"\xef\xbf\xbd"  # U+FFFD as UTF-8: present in the file, not a decoding error


@dataclass(frozen=True, slots=True)
class ScanReport:
    """What a scan found: how many files and articles, and what gave none."""

    files: int
    articles: int
    skipped: tuple[Skipped, ...]


def local_kind(path: Path) -> LocalKind | None:
    """The reader for ``path`` by its (case-insensitive) extension, or ``None``."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return "warc"
    return LOCAL_SUFFIXES.get(path.suffix.lower())


def scan_paths(
    paths: Iterable[str | Path], *, on_article: Callable[[Article], None], max_bytes: int = DEFAULT_MAX_BYTES
) -> ScanReport:
    """Read every file under ``paths`` and call ``on_article`` for each article.

    Raises :class:`~barium.errors.InputError` for a missing path or a named
    file of unknown type; everything else that yields no article is in the
    report's ``skipped``.
    """
    files = _expand(paths)
    articles = 0
    skipped: list[Skipped] = []
    for item in _read_all(files, max_bytes):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            articles += 1
            on_article(item)
    return ScanReport(files=len(files), articles=articles, skipped=tuple(skipped))


def iter_local(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Skipped]:
    """Articles and skips from ``paths``, lazily; named paths are checked on the first ``next``."""
    yield from _read_all(_expand(paths), max_bytes)


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(_walk(path))
        elif path.is_file():
            if local_kind(path) is None:
                known = ", ".join(sorted(LOCAL_SUFFIXES))
                raise UnsupportedFormat(f"{path}: unknown file type; Barium scans {known}")
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file or folder")
        else:
            raise NotFound(f"{path}: no such file or folder")
    return files


def _walk(folder: Path) -> Iterator[Path]:
    # Sorted for stable reports; hidden entries (.git, .cache) are tool data, not publications;
    # symlinked folders are not followed, so a link loop cannot make a scan endless.
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if not name.startswith(".") and local_kind(path) is not None and path.is_file():
                yield path


def _read_all(files: list[Path], max_bytes: int) -> Iterator[Article | Skipped]:
    for path in files:
        try:
            yield from _read_file(path, max_bytes)
        except OSError as exc:
            yield Skipped(str(path), f"could not read ({exc.strerror or exc})")
        except SourceError as exc:
            yield Skipped(str(path), exc.message)


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | Skipped]:
    kind = local_kind(path)
    if kind == "warc":
        yield from iter_warc(path, max_bytes=max_bytes)
        return
    if kind == "jsonl":
        yield from _read_jsonl(path, max_bytes)
        return
    data, truncated = _read_head(path, max_bytes)
    notes = [f"truncated at {max_bytes} bytes"] if truncated else []
    if kind == "html":
        try:
            html: str | bytes = data.decode("utf-8")
        except UnicodeDecodeError:
            html = data  # maybe another charset named in a <meta>: trafilatura detects it
            notes.append("not UTF-8; encoding detected from the page")
        yield extract_article(html, source=str(path), warnings=tuple(notes))
        return
    text, bad = _decode(data, truncated=truncated)
    if bad:
        notes.append(f"invalid UTF-8: {bad} sequence(s) replaced with U+FFFD")
    if not text.strip():
        yield Skipped(str(path), "empty file")
        return
    title = _markdown_title(text) if kind == "markdown" else None
    yield Article.make(source=str(path), text=text, title=title, warnings=tuple(notes))


def _read_head(path: Path, max_bytes: int) -> tuple[bytes, bool]:
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    return data[:max_bytes], len(data) > max_bytes


def _decode(data: bytes, *, truncated: bool) -> tuple[str, int]:
    """UTF-8 with replacement, and how many bad sequences were replaced."""
    # Not final when truncated: a character cut in half by the cap is not an encoding error.
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(data, final=not truncated)
    return text.removeprefix("\ufeff"), text.count("\ufffd") - data.count(_REPLACEMENT)


def _markdown_title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            # Only a leading ATX heading is a title; a first paragraph is not.
            heading = line.lstrip("#").strip() if line.startswith("# ") else ""
            return heading or None
    return None


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | Skipped]:
    """One article per line with a "text" string; lines are read one at a time, each capped."""
    with path.open("rb") as handle:
        number = 0
        while line := handle.readline(max_bytes + 1):
            number += 1
            where = f"{path}:{number}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # drop the rest of the long line without holding it
                yield Skipped(where, f"line over the cap of {max_bytes} bytes")
                continue
            if not line.strip():
                continue
            yield _jsonl_article(line, where)


def _jsonl_article(line: bytes, where: str) -> Article | Skipped:
    raw, bad = _decode(line, truncated=False)
    notes = [f"invalid UTF-8: {bad} sequence(s) replaced with U+FFFD"] if bad else []
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Skipped(where, f"not JSON ({exc.msg})")
    text = obj.get("text") if isinstance(obj, dict) else None
    if not isinstance(text, str) or not text.strip():
        return Skipped(where, 'no "text" string')
    published = None
    date = obj.get("date")
    if isinstance(date, str) and date:
        try:
            published = datetime.fromisoformat(date)
            published = published if published.tzinfo else published.replace(tzinfo=UTC)
        except ValueError:
            notes.append(f"unreadable date {date!r} ignored")
    return Article.make(
        source=where,
        text=text,
        url=_str(obj.get("url")),
        title=_str(obj.get("title")),
        published=published,
        warnings=tuple(notes),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
