"""RSS 0.9x/1.0/2.0 and Atom feeds, through feedparser, as a list of items."""

from __future__ import annotations

import html
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from barium.watch.errors import SourceError
from barium.watch.pages import looks_like_html

__all__ = ["Feed", "FeedItem", "looks_like_feed", "parse_feed"]

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry. ``key`` identifies it across runs: its link, else its id.

    ``content`` is the full HTML the feed carries (``content:encoded``,
    Atom ``content``), when it does; summaries are not counted as content.
    """

    key: str
    url: str | None
    title: str | None
    published: datetime | None
    content: str | None


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed; ``warnings`` says what was wrong but tolerated."""

    url: str
    title: str | None
    items: tuple[FeedItem, ...]
    warnings: tuple[str, ...] = ()


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """True when a response is better read as a feed than as a page."""
    if content_type in _FEED_TYPES[:3]:
        return True
    head = body[:1024].lower()
    return any(marker in head for marker in _FEED_MARKERS)


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> Feed:
    """Parse a feed body fetched from ``url``; raise :class:`SourceError` when it is not a usable feed.

    Slightly malformed XML that feedparser's lenient parser still reads into
    usable items is accepted with a warning: real feeds often contain a stray
    ``&``, and dropping them would miss publications.
    """
    try:
        # BytesIO, never bytes or str: feedparser treats a string as a URL or a file name to open.
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers={"content-location": url, "content-type": content_type or "application/xml"},
        )
    except Exception as exc:  # feedparser's loose parser can fail in many ways on hostile input
        raise SourceError(f"{url}: could not parse feed ({exc})", url=url) from exc
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.get("version"):
        if content_type == "text/html" or looks_like_html(body):
            raise SourceError(f"{url}: served HTML, not a feed", url=url)
        if not body.strip():
            raise SourceError(f"{url}: empty response, not a feed", url=url)
        detail = f" ({problem})" if problem else ""
        raise SourceError(f"{url}: not an RSS or Atom feed{detail}", url=url)
    items = tuple(item for entry in parsed.get("entries", []) if (item := _item(entry, url)) is not None)
    warnings: tuple[str, ...] = ()
    if problem is not None:
        if not items:
            raise SourceError(f"{url}: malformed feed XML ({problem})", url=url)
        warnings = (f"feed is not well-formed XML ({problem}); read leniently",)
    title = parsed.get("feed", {}).get("title") or None
    return Feed(url=url, title=title, items=items, warnings=warnings)


def _item(entry: Any, feed_url: str) -> FeedItem | None:
    link = entry.get("link") or None
    joined = urljoin(feed_url, link) if link else None
    # feedparser may offer an id such as "urn:uuid:..." as the link: an identity, not a page.
    url = joined if joined and urlsplit(joined).scheme in ("http", "https") else None
    content = _content(entry)
    entry_id = entry.get("id") or None
    key = joined or (urljoin(feed_url, f"#{entry_id}") if entry_id else None)
    if key is None or (url is None and content is None):
        return None  # nothing to fetch and nothing to read
    return FeedItem(
        key=key,
        url=url,
        title=entry.get("title") or None,
        published=_date(entry.get("published_parsed") or entry.get("updated_parsed")),
        content=content,
    )


def _content(entry: Any) -> str | None:
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if not value.strip():
            continue
        # Feed content is a fragment; trafilatura needs a whole document to find a body in.
        if "html" in (part.get("type") or ""):
            return f"<html><body><article>{value}</article></body></html>"
        return f"<html><body><article><p>{html.escape(value)}</p></article></body></html>"
    return None


def _date(parsed: time.struct_time | None) -> datetime | None:
    # feedparser normalises every date format it knows to a UTC struct_time.
    if parsed is None:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None
