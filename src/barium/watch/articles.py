"""The unit the watch package produces: one published article as clean text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["Article", "content_hash"]

_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """SHA-256 (hex) of ``text`` after NFKC and whitespace folding.

    Folding means the same article re-served with different line breaks or
    non-breaking spaces is recognised as already seen; anything a reader can
    see (words, case, punctuation) still changes the hash.
    """
    # Not the retype key (barium.text.fold): glyphs and invisible characters are
    # kept, since a page re-served with other quotes or zero-width characters may
    # be another recipient's copy, and must not pass for an alert already raised.
    folded = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One published text.

    ``source`` is what was watched or scanned (a feed or page URL, a file
    path, ``path:line`` for JSON Lines); ``url`` is the article's own address
    when known. ``published`` is timezone-aware when known. ``content_hash``
    is :func:`content_hash` of ``text`` and is the idempotency key for
    alerts. ``warnings`` says what was lossy (replaced bytes, truncation,
    feed content used instead of the page).
    """

    source: str
    url: str | None
    title: str | None
    published: datetime | None
    text: str
    content_hash: str
    warnings: tuple[str, ...] = ()
    # The page's whole visible text with every character kept. Extraction for
    # reading drops invisible characters, which are evidence for the tracer.
    evidence_text: str | None = None

    @classmethod
    def make(
        cls,
        *,
        source: str,
        text: str,
        url: str | None = None,
        title: str | None = None,
        published: datetime | None = None,
        warnings: tuple[str, ...] = (),
        evidence_text: str | None = None,
    ) -> Article:
        """Build an article, computing its hash from ``text``."""
        return cls(
            source=source,
            url=url,
            title=title,
            published=published,
            text=text,
            content_hash=content_hash(text),
            warnings=warnings,
            evidence_text=evidence_text,
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO 8601)."""
        return {
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
            "content_hash": self.content_hash,
            "warnings": list(self.warnings),
        }
