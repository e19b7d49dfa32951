"""HTML pages inside WARC archives (web crawls, Webrecorder captures), streamed with warcio."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from barium.watch.articles import Article
from barium.watch.errors import SourceError
from barium.watch.pages import HTML_TYPES, decode_html, extract_article
from barium.watch.skipped import Skipped

__all__ = ["iter_warc"]

_BLOCK = 64 * 1024


def iter_warc(path: Path, *, max_bytes: int) -> Iterator[Article | Skipped]:
    """One article per HTML ``response`` record with status 200, read record by record.

    Other records (requests, metadata, images, scripts, redirects) are part
    of any crawl and are passed over silently. A record's payload is read up
    to ``max_bytes`` (the rest is dropped, with a warning); the archive as a
    whole is never held in memory.
    """
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
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
                data, truncated = _read_up_to(record.content_stream(), max_bytes)
                warnings = (f"record truncated at {max_bytes} bytes",) if truncated else ()
                try:
                    yield extract_article(
                        decode_html(data, _charset(params)), source=str(path), url=uri, warnings=warnings
                    )
                except SourceError as exc:
                    yield Skipped(f"{path} {uri}", exc.message)
        except ArchiveLoadFailed as exc:
            yield Skipped(str(path), f"not a readable WARC file ({exc})")
        except (ValueError, AttributeError, EOFError, zlib.error) as exc:
            # warcio fails on damaged archives with whatever its parsing code tripped on.
            yield Skipped(str(path), f"not a readable WARC file (damaged: {type(exc).__name__}: {exc})")


def _read_up_to(stream: IO[bytes], limit: int) -> tuple[bytes, bool]:
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        block = stream.read(min(_BLOCK, limit + 1 - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    data = b"".join(parts)
    return data[:limit], size > limit


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
