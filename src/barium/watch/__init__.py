"""Watch published media: articles as clean text from feeds, pages and local files.

A library without storage of its own: what it remembers between runs goes
through the small :class:`FetchState` protocol, and every new article is
handed to a callback.

    state = MemoryState()
    with Fetcher(FetchPolicy(host_interval=2.0)) as fetcher:
        report = run_sources(["https://example.org/feed.xml"], state, on_article=index.add, fetcher=fetcher)

    scan_paths(["downloads/"], on_article=index.add)

Modules, one per stage: ``fetch`` (polite bounded HTTP; ``decoding``,
``throttle``, ``robots`` under it), ``feeds`` and ``pages`` (parsing and
extraction), ``files`` and ``warc`` (local sources), ``state`` and
``scheduler`` (runs over a watch list).
"""

from __future__ import annotations

from barium.watch.articles import Article, content_hash
from barium.watch.errors import SourceError
from barium.watch.feeds import Feed, FeedItem, looks_like_feed, parse_feed
from barium.watch.fetch import USER_AGENT, Fetcher, FetchPolicy, FetchResult, Validators
from barium.watch.files import LOCAL_SUFFIXES, ScanReport, iter_local, local_kind, scan_paths
from barium.watch.pages import check_html, extract_article
from barium.watch.scheduler import Backoff, RunReport, SkippedItem, SourceOutcome, WatchedSource, run_sources
from barium.watch.skipped import Skipped
from barium.watch.state import FetchState, MemoryState, SourceFailure
from barium.watch.warc import iter_warc

__all__ = [
    "LOCAL_SUFFIXES",
    "USER_AGENT",
    "Article",
    "Backoff",
    "Feed",
    "FeedItem",
    "FetchPolicy",
    "FetchResult",
    "FetchState",
    "Fetcher",
    "MemoryState",
    "RunReport",
    "ScanReport",
    "Skipped",
    "SkippedItem",
    "SourceError",
    "SourceFailure",
    "SourceOutcome",
    "Validators",
    "WatchedSource",
    "check_html",
    "content_hash",
    "extract_article",
    "iter_local",
    "iter_warc",
    "local_kind",
    "looks_like_feed",
    "parse_feed",
    "run_sources",
    "scan_paths",
]
