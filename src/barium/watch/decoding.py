"""Content-Encoding decoding with a cap on decoded bytes and on the ratio.

httpx would decode gzip for us, but it inflates each network chunk whole: a
64 KiB chunk of a gzip bomb becomes ~64 MiB in one call. Decoding here, with
``max_length`` on every inflate step, keeps memory at one small step however
hostile the body is, and lets us stop as soon as a limit is crossed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from barium.watch.errors import SourceError

__all__ = ["ACCEPT_ENCODING", "BoundedDecoder"]

# Only what we can decode with a bounded output. Brotli would need the
# ``brotli`` package (>= 1.2 for its output limit), which Barium does not ship.
ACCEPT_ENCODING = "gzip, deflate"

_STEP = 64 * 1024  # largest output of one inflate call
_RATIO_FLOOR = 1024 * 1024  # small pages may compress very well; judge ratios only past this


class BoundedDecoder:
    """Decode one response body chunk by chunk, refusing bombs.

    ``max_bytes`` caps the decoded size; ``max_ratio`` caps decoded/encoded
    once more than 1 MiB has been decoded. Both raise :class:`SourceError`.
    """

    def __init__(self, content_encoding: str | None, *, url: str, max_bytes: int, max_ratio: float) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            # Stacked codings are legal but unseen in practice and a classic bomb trick.
            raise SourceError(f"{url}: stacked content encodings refused ({content_encoding})", url=url)
        self.coding = codings[0] if codings else None
        if self.coding not in (None, "gzip", "x-gzip", "deflate"):
            raise SourceError(
                f"{url}: content encoding {self.coding!r} refused (Barium asks only for {ACCEPT_ENCODING})",
                url=url,
            )
        self._url = url
        self._max_bytes = max_bytes
        self._max_ratio = max_ratio
        self._inflater = self._new_inflater()
        self._deflate_tried_zlib = False
        self.encoded = 0
        self.decoded = 0
        self._parts: list[bytes] = []

    def _new_inflater(self) -> zlib._Decompress | None:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.coding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def feed(self, chunk: bytes) -> None:
        """Take the next encoded chunk; raise as soon as a limit is crossed."""
        self.encoded += len(chunk)
        for out in self._inflate(chunk):
            self.decoded += len(out)
            if self.decoded > self._max_bytes:
                raise SourceError(f"{self._url}: response is over the cap of {self._max_bytes} bytes", url=self._url)
            if self.decoded > _RATIO_FLOOR and self.decoded > self._max_ratio * max(self.encoded, 1):
                raise SourceError(
                    f"{self._url}: compression ratio over {self._max_ratio:g}:1 refused (likely a compression bomb)",
                    url=self._url,
                )
            self._parts.append(out)

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        if self._inflater is None:
            if data:
                yield data
            return
        more = bool(data)
        while more:
            try:
                out = self._inflater.decompress(data, _STEP)
            except zlib.error as exc:
                if self.coding == "deflate" and not self._deflate_tried_zlib and self.decoded == 0:
                    # Some servers send raw deflate without the zlib header; browsers accept both.
                    self._deflate_tried_zlib = True
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise SourceError(f"{self._url}: corrupt {self.coding} body ({exc})", url=self._url) from exc
            self._deflate_tried_zlib = True
            if out:
                yield out
            if self._inflater.eof:
                # Concatenated gzip members are valid and decode as one body.
                # (Raw deflate has no members: trailing bytes there are junk and ignored.)
                data = self._inflater.unused_data if self.coding != "deflate" else b""
                if data:
                    self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                more = bool(data)
            else:
                data = self._inflater.unconsumed_tail
                # A full step may leave output pending inside zlib even with no input left.
                more = bool(data) or len(out) == _STEP

    def finish(self) -> bytes:
        """The whole decoded body."""
        return b"".join(self._parts)
