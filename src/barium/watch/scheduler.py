"""One run over the watch list: fetch each source, report each new article once.

A run is idempotent given its :class:`~barium.watch.state.FetchState`: an
item is marked seen only after ``on_article`` returned for it, and a feed's
validators are stored only after all its items were handled, so a killed
run loses nothing and a repeated run reports nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from barium.errors import FetchError
from barium.watch.articles import Article
from barium.watch.feeds import FeedItem, looks_like_feed, parse_feed
from barium.watch.fetch import Fetcher, FetchResult
from barium.watch.pages import check_html, decode_html, extract_article
from barium.watch.state import FetchState, SourceFailure

__all__ = ["Backoff", "RunReport", "SkippedItem", "SourceOutcome", "WatchedSource", "run_sources"]

SourceKind = Literal["auto", "feed", "page"]
Status = Literal["ok", "not_modified", "failed", "waiting"]

_ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
    "auto": "text/html, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1",
}


@dataclass(frozen=True, slots=True)
class WatchedSource:
    """A feed or a single page to watch. ``auto`` decides from the response."""

    url: str
    kind: SourceKind = "auto"


@dataclass(frozen=True, slots=True)
class SkippedItem:
    """A feed item not reported, and why."""

    key: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What one source gave in a run.

    ``status``: ``ok`` (fetched; ``articles`` new ones), ``not_modified``
    (304), ``failed`` (``error``; tried again after ``next_retry``) or
    ``waiting`` (skipped: an earlier failure's ``next_retry`` is still ahead).
    """

    source: str
    status: Status
    articles: int = 0
    skipped: tuple[SkippedItem, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    next_retry: datetime | None = None


@dataclass(frozen=True, slots=True)
class RunReport:
    """Outcomes of one run, in watch-list order."""

    outcomes: tuple[SourceOutcome, ...]

    @property
    def articles(self) -> int:
        return sum(o.articles for o in self.outcomes)

    @property
    def failed(self) -> tuple[SourceOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")

    def to_json(self) -> dict[str, Any]:
        return {"outcomes": [_jsonable(asdict(o)) for o in self.outcomes]}


@dataclass(frozen=True, slots=True)
class Backoff:
    """Wait before retrying a failed source: ``base`` doubling per failure, up to ``cap``.

    A server's Retry-After, when longer, wins.
    """

    base: timedelta = field(default=timedelta(minutes=15))
    cap: timedelta = field(default=timedelta(days=1))

    def next_retry(self, now: datetime, failures: int, retry_after: float | None = None) -> datetime:
        # The exponent is clamped: timedelta overflows long before a source fails 2**30 times.
        wait = min(self.cap, self.base * (1 << min(30, max(0, failures - 1))))
        if retry_after is not None:
            wait = max(wait, timedelta(seconds=retry_after))
        return now + wait


def run_sources(
    sources: Iterable[WatchedSource | str],
    state: FetchState,
    *,
    on_article: Callable[[Article], None],
    fetcher: Fetcher | None = None,
    backoff: Backoff | None = None,
    now: Callable[[], datetime] | None = None,
) -> RunReport:
    """Fetch every source and call ``on_article`` once per new article.

    A failing source is recorded in ``state`` with a backoff and the run goes
    on, whatever it failed with: a hostile feed or page that trips a parser
    fails alone. An exception from ``on_article`` stops the run (nothing
    unreported is marked seen). Without ``fetcher``, one with the default
    policy is made and closed.
    """
    clock = now or (lambda: datetime.now(UTC))
    backoff = backoff or Backoff()
    own = fetcher is None
    client = fetcher or Fetcher()
    outcomes: list[SourceOutcome] = []
    try:
        for item in sources:
            source = WatchedSource(item) if isinstance(item, str) else item
            outcomes.append(_guarded(source, client, state, on_article, backoff, clock()))
    finally:
        if own:
            client.close()
    return RunReport(tuple(outcomes))


def _guarded(
    source: WatchedSource,
    fetcher: Fetcher,
    state: FetchState,
    on_article: Callable[[Article], None],
    backoff: Backoff,
    now: datetime,
) -> SourceOutcome:
    prior = state.failure(source.url)
    if prior is not None and prior.next_retry > now:
        return SourceOutcome(source.url, "waiting", error=prior.error, next_retry=prior.next_retry)
    try:
        outcome = _run_source(source, fetcher, state, _Reporting(on_article))
    except _CallbackFailed as stop:
        raise stop.error from None  # the caller's own failure ends the run, unchanged
    except FetchError as exc:
        return _failed(source, state, prior, backoff, now, exc.message, getattr(exc, "retry_after", None))
    except Exception as exc:  # hostile input tripping a parser: this source fails alone
        return _failed(source, state, prior, backoff, now, f"{source.url}: could not be read ({_describe(exc)})")
    if prior is not None:
        state.set_failure(source.url, None)
    return outcome


class _CallbackFailed(Exception):
    """Carries an exception raised by ``on_article`` past the source guard."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class _Reporting:
    """``on_article``, with its exceptions marked as the caller's."""

    def __init__(self, on_article: Callable[[Article], None]) -> None:
        self._on_article = on_article

    def __call__(self, article: Article) -> None:
        try:
            self._on_article(article)
        except Exception as exc:
            raise _CallbackFailed(exc) from exc


def _failed(
    source: WatchedSource,
    state: FetchState,
    prior: SourceFailure | None,
    backoff: Backoff,
    now: datetime,
    error: str,
    retry_after: float | None = None,
) -> SourceOutcome:
    count = (prior.count if prior else 0) + 1
    retry = backoff.next_retry(now, count, retry_after)
    state.set_failure(source.url, SourceFailure(count, retry, error))
    return SourceOutcome(source.url, "failed", error=error, next_retry=retry)


def _describe(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 200 else text[:200] + "..."


def _run_source(
    source: WatchedSource, fetcher: Fetcher, state: FetchState, on_article: Callable[[Article], None]
) -> SourceOutcome:
    response = fetcher.get(source.url, validators=state.validators(source.url), accept=_ACCEPT[source.kind])
    if response.not_modified:
        return SourceOutcome(source.url, "not_modified")
    kind = source.kind
    if kind == "auto":
        kind = "feed" if looks_like_feed(response.content_type, response.body) else "page"
    if kind == "feed":
        return _run_feed(source.url, response, fetcher, state, on_article)
    return _run_page(source.url, response, state, on_article)


def _run_page(
    source: str, response: FetchResult, state: FetchState, on_article: Callable[[Article], None]
) -> SourceOutcome:
    check_html(response.content_type, response.body, url=response.url)
    article = extract_article(decode_html(response.body, response.charset), source=source, url=response.url)
    new = 0
    # A watched page changes in place, so its identity is its text, not its URL.
    if not state.seen_hash(article.content_hash):
        on_article(article)
        state.mark_seen(content_hash=article.content_hash)
        new = 1
    state.set_validators(source, response.validators)
    return SourceOutcome(source, "ok", articles=new)


def _run_feed(
    source: str,
    response: FetchResult,
    fetcher: Fetcher,
    state: FetchState,
    on_article: Callable[[Article], None],
) -> SourceOutcome:
    feed = parse_feed(response.body, url=response.url, content_type=response.content_type)
    new = 0
    skipped: list[SkippedItem] = []
    retry_later = False
    for item in feed.items:
        if state.seen_url(item.key):
            continue
        try:
            article = _item_article(source, item, fetcher)
        except FetchError as exc:
            skipped.append(SkippedItem(item.key, exc.message))
            if getattr(exc, "transient", False):
                retry_later = True  # not marked: the next run tries this item again
            else:
                state.mark_seen(url=item.key)
            continue
        except Exception as exc:  # a hostile page tripping a parser: this item is skipped for good
            skipped.append(SkippedItem(item.key, f"could not be read ({_describe(exc)})"))
            state.mark_seen(url=item.key)
            continue
        if state.seen_hash(article.content_hash):
            state.mark_seen(url=item.key)
            skipped.append(SkippedItem(item.key, "same text as an article already seen"))
            continue
        on_article(article)
        state.mark_seen(url=item.key, content_hash=article.content_hash)
        new += 1
    # Stored last: with a 304 next time, an item left unhandled now would never be seen again.
    if not retry_later:
        state.set_validators(source, response.validators)
    return SourceOutcome(source, "ok", articles=new, skipped=tuple(skipped), warnings=feed.warnings)


def _item_article(source: str, item: FeedItem, fetcher: Fetcher) -> Article:
    warnings: tuple[str, ...] = ()
    if item.url is not None:
        try:
            page = fetcher.get(item.url, accept=_ACCEPT["page"])
            check_html(page.content_type, page.body, url=page.url)
            html = decode_html(page.body, page.charset)
            return extract_article(html, source=source, url=page.url, title=item.title, published=item.published)
        except FetchError as exc:
            if item.content is None:
                raise
            warnings = (f"article page unusable ({exc.message}); used the feed's content",)
    assert item.content is not None  # parse_feed drops items with neither URL nor content
    return extract_article(
        item.content, source=source, url=item.url, title=item.title, published=item.published, warnings=warnings
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
