"""HTML pages inside WARC archives (web crawls, Webrecorder captures), streamed with warcio.

The archive is gunzipped here, not by warcio, so that every decompressed byte is
counted: a gzip bomb (a small file that inflates without end) stops at the
archive cap, or sooner at the compression-ratio cap, instead of holding a scan
for hours. warcio then reads plain WARC from that bounded stream.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from barium.limits import Limits
from barium.watch.articles import Article
from barium.watch.errors import SourceError
from barium.watch.pages import HTML_TYPES, decode_html, extract_article
from barium.watch.skipped import Skipped

__all__ = ["iter_warc"]

_BLOCK = 64 * 1024
_GZIP = b"\x1f\x8b"
_RATIO_FLOOR = 1024 * 1024  # a small member may compress very well; judge ratios only past this


class ArchiveTooLarge(Exception):
    """The archive went over a cap while being read; ``reason`` is written for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def iter_warc(path: Path, *, limits: Limits | None = None) -> Iterator[Article | Skipped]:
    """One article per HTML ``response`` record with status 200, read record by record.

    Other records (requests, metadata, images, scripts, redirects) are part
    of any crawl and are passed over silently. An HTML record over
    ``limits.leak_bytes`` is skipped with its reason. The archive is never
    held in memory, and reading stops, with a reason, once
    ``limits.archive_bytes`` decompressed bytes were read or the file
    inflates more than ``limits.max_ratio`` times (a compression bomb).
    """
    limits = limits or Limits()
    cap = limits.leak_bytes
    with path.open("rb") as raw:
        stream = _Inflated(raw, limits=limits)
        try:
            for record in ArchiveIterator(io.BufferedReader(stream, _BLOCK)):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                http = record.http_headers
                if http.get_statuscode() != "200":
                    continue
                media, _, params = (http.get_header("Content-Type") or "").partition(";")
                if media.strip().lower() not in HTML_TYPES:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                # content_stream() undoes chunking and gzip as the archive stored them.
                data = _read_up_to(record.content_stream(), cap)
                if data is None:
                    yield Skipped(f"{path} {uri}", f"record over the {cap:,}-byte limit (max_leak_bytes); skipped")
                    continue
                try:
                    yield extract_article(decode_html(data, _charset(params)), source=str(path), url=uri)
                except SourceError as exc:
                    yield Skipped(f"{path} {uri}", exc.message)
        except ArchiveTooLarge as exc:
            yield Skipped(str(path), exc.reason)
        except ArchiveLoadFailed as exc:
            yield Skipped(str(path), f"not a readable WARC file ({_brief(exc)})")
        except (ValueError, AttributeError, EOFError, zlib.error) as exc:
            # warcio fails on damaged archives with whatever its parsing code tripped on.
            yield Skipped(str(path), f"not a readable WARC file (damaged: {type(exc).__name__}: {_brief(exc)})")


class _Inflated(io.RawIOBase):
    """The file's bytes, gunzipped when it is gzip (members one after another), counted.

    Raises :class:`ArchiveTooLarge` past ``limits.archive_bytes`` decompressed
    bytes, or when the file inflates over ``limits.max_ratio`` times (past 1 MiB).
    """

    def __init__(self, raw: IO[bytes], *, limits: Limits) -> None:
        super().__init__()
        self._raw = raw
        self._limits = limits
        self._tail = raw.read(_BLOCK)  # compressed input not yet inflated
        self._z = zlib.decompressobj(31) if self._tail.startswith(_GZIP) else None
        self._members = 0
        self._member_out = 0
        self._read = len(self._tail)  # compressed bytes read
        self.total = 0  # decompressed bytes given out

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._produce(len(buffer))
        self.total += len(data)
        if self.total > self._limits.archive_bytes:
            raise ArchiveTooLarge(
                f"over {self._limits.archive_bytes:,} bytes decompressed (max_archive_bytes); the rest of "
                "the archive was not read"
            )
        # Over the whole file, not per member: many small members must not hide a bomb.
        ratio = self._limits.max_ratio
        if self._z is not None and self.total > _RATIO_FLOOR and self.total > ratio * self._read:
            raise ArchiveTooLarge(
                f"inflates over {ratio:g}:1 (likely a compression bomb); the rest of the archive was not read"
            )
        buffer[: len(data)] = data
        return len(data)

    def _produce(self, want: int) -> bytes:
        while True:
            if not self._tail:
                self._tail = self._raw.read(_BLOCK)
                self._read += len(self._tail)
                if not self._tail:
                    return b""
            if self._z is None:
                data, self._tail = self._tail[:want], self._tail[want:]
                return data
            try:
                out = self._z.decompress(self._tail, want)
            except zlib.error:
                if self._members and self._member_out == 0:
                    return b""  # bytes after the last member are padding, not another record
                raise
            self._member_out += len(out)
            if self._z.eof:
                self._tail = self._z.unused_data
                self._z = zlib.decompressobj(31)
                self._members += 1
                self._member_out = 0
            else:
                self._tail = self._z.unconsumed_tail
            if out:
                return out


def _read_up_to(stream: IO[bytes], limit: int) -> bytes | None:
    """The stream's bytes, or ``None`` when there are more than ``limit`` (the rest is left unread)."""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        block = stream.read(min(_BLOCK, limit + 1 - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    return None if size > limit else b"".join(parts)


def _brief(exc: Exception) -> str:
    # warcio quotes the offending line, which in a hostile archive may be megabytes long.
    text = repr(str(exc))[1:-1]
    return text if len(text) <= 200 else text[:200] + "..."


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
