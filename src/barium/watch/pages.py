"""Article text, title and date from HTML, through trafilatura."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from html.parser import HTMLParser

import trafilatura

from barium.watch.articles import Article
from barium.watch.errors import SourceError

__all__ = ["HTML_TYPES", "check_html", "decode_html", "extract_article", "looks_like_html"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SNIFF = 1024
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<p>", b"<div")


def looks_like_html(body: bytes) -> bool:
    """True when the first bytes read as an HTML document (for bodies without a usable type)."""
    head = body[:_SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"\x00" not in head and any(marker in head for marker in _HTML_MARKERS)


def check_html(content_type: str, body: bytes, *, url: str) -> None:
    """Raise :class:`SourceError` unless ``body`` is HTML.

    A declared HTML type is trusted unless the body is plainly binary; a
    missing or generic type is sniffed. Images, PDFs and the like are refused.
    """
    if content_type in HTML_TYPES:
        if b"\x00" in body[:_SNIFF]:
            raise SourceError(f"{url}: declared {content_type} but the body is binary; skipped", url=url)
        return
    if content_type in ("", "application/octet-stream", "text/plain") and looks_like_html(body):
        return
    raise SourceError(f"{url}: not HTML ({content_type or 'no content type'}); skipped", url=url)


def decode_html(body: bytes, charset: str | None) -> str | bytes:
    """Text when the server named a known text charset; else bytes, for trafilatura to detect."""
    if charset:
        try:
            codecs.lookup(charset)
            return body.decode(charset, errors="replace")
        except (LookupError, UnicodeError):
            # Unknown, not a text encoding (rot13, zlib, base64) or one that cannot replace
            # (idna, punycode): a hostile or broken header, so the page's bytes decide.
            return body
    return body


def extract_article(
    html: str | bytes,
    *,
    source: str,
    url: str | None = None,
    title: str | None = None,
    published: datetime | None = None,
    warnings: tuple[str, ...] = (),
) -> Article:
    """The main text of an HTML page as an :class:`Article`, boilerplate removed.

    ``title`` and ``published``, when given (from a feed), win over what is
    found in the page, which is often less precise. Raises
    :class:`SourceError` when no text can be found.
    """
    where = url or source
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,  # reader comments are not the publication
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:  # lxml and trafilatura raise many types on hostile markup
        raise SourceError(f"{where}: could not parse HTML ({exc})", url=url) from exc
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise SourceError(f"{where}: no article text found", url=url)
    return Article.make(
        source=source,
        url=url,
        title=title or getattr(doc, "title", None) or None,
        published=published or _parse_date(getattr(doc, "date", None)),
        text=text,
        warnings=warnings,
        evidence_text=visible_text(html),
    )


_SKIP = {"script", "style", "noscript", "template", "head", "svg"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "pre"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip:
            self.skip -= 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str | bytes) -> str:
    """Every text node of the page outside scripts and styles, characters untouched
    (zero-width characters included), blocks on lines of their own."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    parser = _Visible()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # hostile markup: the reading text still stands
        return ""
    return "".join(parser.parts)


def _parse_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
