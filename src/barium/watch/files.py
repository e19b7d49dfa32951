"""Local sources for ``barium scan PATH...``: files and folders of published text.

Named paths are checked before anything is read, so a typo or an unknown
file type fails at once rather than halfway through a long scan.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from barium.errors import InputError, NotFound, UnsupportedFormat
from barium.limits import Limits, looks_binary
from barium.watch.articles import Article
from barium.watch.errors import SourceError
from barium.watch.pages import extract_article
from barium.watch.skipped import Skipped
from barium.watch.warc import iter_warc

__all__ = ["LOCAL_SUFFIXES", "ScanReport", "iter_local", "local_kind", "scan_paths"]

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
    paths: Iterable[str | Path], *, on_article: Callable[[Article], None], limits: Limits | None = None
) -> ScanReport:
    """Read every file under ``paths`` and call ``on_article`` for each article.

    Raises :class:`~barium.errors.InputError` for a missing path or a named
    file of unknown type; everything else that yields no article is in the
    report's ``skipped``: files over ``limits.leak_bytes`` (with their size),
    binary files, archives past their caps.
    """
    files = _expand(paths)
    articles = 0
    skipped: list[Skipped] = []
    for item in _read_all(files, limits or Limits()):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            articles += 1
            on_article(item)
    return ScanReport(files=len(files), articles=articles, skipped=tuple(skipped))


def iter_local(paths: Iterable[str | Path], *, limits: Limits | None = None) -> Iterator[Article | Skipped]:
    """Articles and skips from ``paths``, lazily; named paths are checked on the first ``next``."""
    yield from _read_all(_expand(paths), limits or Limits())


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


def _read_all(files: list[Path], limits: Limits) -> Iterator[Article | Skipped]:
    for path in files:
        try:
            yield from _read_file(path, limits)
        except OSError as exc:
            yield Skipped(str(path), f"could not read ({exc.strerror or exc})")
        except SourceError as exc:
            yield Skipped(str(path), exc.message)
        except Exception as exc:  # a hostile file tripping a parser: it alone is skipped
            text = f"{type(exc).__name__}: {exc}"
            yield Skipped(str(path), f"could not be read ({text[:200]})")


def _read_file(path: Path, limits: Limits) -> Iterator[Article | Skipped]:
    kind = local_kind(path)
    if kind == "warc":
        yield from iter_warc(path, limits=limits)
        return
    if kind == "jsonl":
        yield from _read_jsonl(path, limits)
        return
    data = _read_whole(path, limits.leak_bytes)
    if data is None:
        # One file too large is skipped, never truncated: a cut article reads as another text.
        size = path.stat().st_size
        yield Skipped(str(path), f"{size:,} bytes, over the {limits.leak_bytes:,}-byte limit (max_leak_bytes)")
        return
    notes: list[str] = []
    if kind == "html":
        try:
            html: str | bytes = data.decode("utf-8")
        except UnicodeDecodeError:
            html = data  # maybe another charset named in a <meta>: trafilatura detects it
            notes.append("not UTF-8; encoding detected from the page")
        yield extract_article(html, source=str(path), warnings=tuple(notes))
        return
    if looks_binary(data):
        yield Skipped(str(path), "looks like a binary file (NUL or control bytes), not text")
        return
    text, bad = _decode(data)
    if bad:
        notes.append(f"invalid UTF-8: {bad} sequence(s) replaced with U+FFFD")
    if not text.strip():
        yield Skipped(str(path), "empty file")
        return
    title = _markdown_title(text) if kind == "markdown" else None
    yield Article.make(source=str(path), text=text, title=title, warnings=tuple(notes))


def _read_whole(path: Path, cap: int) -> bytes | None:
    """The file's bytes, or ``None`` when it has more than ``cap`` (read no further)."""
    with path.open("rb") as handle:
        data = handle.read(cap + 1)
    return None if len(data) > cap else data


def _decode(data: bytes) -> tuple[str, int]:
    """UTF-8 with replacement, and how many bad sequences were replaced."""
    text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff"), text.count("\ufffd") - data.count(_REPLACEMENT)


def _markdown_title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            # Only a leading ATX heading is a title; a first paragraph is not.
            heading = line.lstrip("#").strip() if line.startswith("# ") else ""
            return heading or None
    return None


def _read_jsonl(path: Path, limits: Limits) -> Iterator[Article | Skipped]:
    """One article per line with a "text" string; lines are read one at a time, each capped,
    and the file as a whole up to ``limits.archive_bytes``."""
    cap = limits.leak_bytes
    with path.open("rb") as handle:
        number = 0
        while line := handle.readline(cap + 1):
            number += 1
            where = f"{path}:{number}"
            if handle.tell() > limits.archive_bytes:
                yield Skipped(
                    where,
                    f"over {limits.archive_bytes:,} bytes read (max_archive_bytes); the rest of the file was not read",
                )
                return
            if len(line) > cap and not line.endswith(b"\n"):
                while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # drop the rest of the long line without holding it
                yield Skipped(where, f"line over the {cap:,}-byte limit (max_leak_bytes)")
                continue
            if not line.strip():
                continue
            yield _jsonl_article(line, where)


def _jsonl_article(line: bytes, where: str) -> Article | Skipped:
    raw, bad = _decode(line)
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
