"""Runs over watched feeds and pages, served by the loopback server."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from barium.watch import (
    Article,
    Fetcher,
    MemoryState,
    SourceError,
    WatchedSource,
    extract_article,
    parse_feed,
    run_sources,
)

Server = Any  # the conftest's LoopbackServer
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml"}
T0 = datetime(2024, 3, 6, 12, 0, tzinfo=UTC)


def page(title: str, topic: str) -> bytes:
    body = "".join(
        f"<p>{p}</p>"
        for p in (
            f"The ministry confirmed on Tuesday that the {topic} budget would rise by twelve percent next year, "
            "according to an internal briefing seen by this newspaper.",
            f"Officials said the {topic} programme had been reviewed twice since the spring and that the "
            "figures quoted in the briefing were provisional.",
            f"A spokesperson declined to comment on the {topic} plans before the formal announcement in May.",
        )
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | The Daily Example</title>"
        "<meta property='article:published_time' content='2024-03-05T08:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World news</a> <a href='/sport'>Sport</a></nav>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer>Copyright 2024 The Daily Example. All rights reserved.</footer></body></html>"
    ).encode()


def rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate></item>"
        for title, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Daily Example</title>'
        f"<link>http://example.org/</link><description>News</description>{entries}</channel></rss>"
    ).encode()


def collect() -> tuple[list[Article], Any]:
    seen: list[Article] = []
    return seen, seen.append


@pytest.fixture
def rss_feed(server: Server) -> str:
    server.route("/news/harbour.html", page("Harbour budget rises", "harbour"), headers=HTML)
    server.route("/news/rail.html", page("Rail plans delayed", "rail"), headers=HTML)
    items = [("Harbour budget rises", "/news/harbour.html"), ("Rail plans delayed", server.url("/news/rail.html"))]
    return server.route("/feeds/news.rss", rss(items), headers=RSS)


def test_an_rss_feed_gives_each_article_as_clean_text(rss_feed: str, fetcher: Fetcher, server: Server) -> None:
    got, on_article = collect()
    report = run_sources([WatchedSource(rss_feed, "feed")], MemoryState(), on_article=on_article, fetcher=fetcher)
    assert report.articles == 2 and [o.status for o in report.outcomes] == ["ok"]
    harbour = got[0]
    assert harbour.source == rss_feed and harbour.url == server.url("/news/harbour.html")  # relative link resolved
    assert harbour.title == "Harbour budget rises"
    assert harbour.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)  # the feed's date, to the minute
    assert "harbour budget would rise by twelve percent" in harbour.text
    assert "Copyright" not in harbour.text and "World news" not in harbour.text  # boilerplate removed
    assert len(harbour.content_hash) == 64


def test_an_atom_feed_uses_full_content_when_the_page_is_unusable(server: Server, fetcher: Fetcher) -> None:
    server.route("/atom/ok.html", page("Port workers strike", "port"), headers=HTML)
    full = "&lt;p&gt;" + "The defence review names three bases for closure in the coming decade. " * 4 + "&lt;/p&gt;"
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Example</title><id>urn:x</id>
<updated>2024-03-05T10:00:00Z</updated>
<entry><title>Port workers strike</title><id>urn:1</id><link href="{server.url("/atom/ok.html")}"/>
<updated>2024-03-05T10:00:00Z</updated></entry>
<entry><title>Defence review</title><id>urn:2</id><link href="{server.url("/atom/gone.html")}"/>
<updated>2024-03-04T10:00:00Z</updated><content type="html">{full}</content></entry>
<entry><title>Only content</title><id>urn:3</id><updated>2024-03-03T10:00:00Z</updated>
<content type="text">The audit office found that the contract was awarded without a tender.</content></entry>
</feed>""".encode()
    url = server.route("/feeds/news.atom", atom, headers=ATOM)
    got, on_article = collect()
    report = run_sources([url], MemoryState(), on_article=on_article, fetcher=fetcher)
    assert report.articles == 3, report
    port, defence, audit = got
    assert "port budget would rise" in port.text and port.warnings == ()
    assert "three bases for closure" in defence.text
    assert "HTTP 404" in defence.warnings[0] and "feed's content" in defence.warnings[0]
    assert audit.url is None and "without a tender" in audit.text
    assert audit.published == datetime(2024, 3, 3, 10, 0, tzinfo=UTC)


def test_a_second_run_with_the_same_state_reports_nothing(rss_feed: str, fetcher: Fetcher) -> None:
    state = MemoryState()
    first, on_first = collect()
    run_sources([rss_feed], state, on_article=on_first, fetcher=fetcher)
    again, on_again = collect()
    report = run_sources([rss_feed], state, on_article=on_again, fetcher=fetcher)
    assert len(first) == 2 and again == [] and report.outcomes[0].status == "ok"


def test_a_killed_run_re_reports_nothing_already_reported(rss_feed: str, fetcher: Fetcher) -> None:
    state = MemoryState()
    reported: list[str] = []

    def crash_on_second(article: Article) -> None:
        if reported:
            raise KeyboardInterrupt  # the process dies while handling the second article
        reported.append(article.url or "")

    with pytest.raises(KeyboardInterrupt):
        run_sources([rss_feed], state, on_article=crash_on_second, fetcher=fetcher)
    got, on_article = collect()
    run_sources([rss_feed], state, on_article=on_article, fetcher=fetcher)
    assert len(reported) == 1 and [a.url for a in got] != reported and len(got) == 1


def test_the_same_text_at_two_urls_is_reported_once(server: Server, fetcher: Fetcher) -> None:
    server.route("/dup/one.html", page("Same story", "water"), headers=HTML)
    server.route("/dup/two.html", page("Same story", "water"), headers=HTML)
    url = server.route("/feeds/dup.rss", rss([("a", "/dup/one.html"), ("b", "/dup/two.html")]), headers=RSS)
    got, on_article = collect()
    report = run_sources([url], MemoryState(), on_article=on_article, fetcher=fetcher)
    assert len(got) == 1 and report.outcomes[0].skipped[0].reason == "same text as an article already seen"


def test_a_feed_with_an_etag_is_not_reprocessed_after_304(server: Server, fetcher: Fetcher) -> None:
    server.route("/etagfeed/a.html", page("Etag story", "forestry"), headers=HTML)
    body = rss([("a", "/etagfeed/a.html")])

    def conditional(hit: Any) -> Any:
        if hit.headers.get("if-none-match") == '"f1"':
            return server.reply(status=304)
        return server.reply(body, headers={**RSS, "ETag": '"f1"'})

    url = server.handle("/feeds/etag.rss", conditional)
    state = MemoryState()
    got, on_article = collect()
    run_sources([url], state, on_article=on_article, fetcher=fetcher)
    report = run_sources([url], state, on_article=on_article, fetcher=fetcher)
    assert len(got) == 1 and report.outcomes[0].status == "not_modified"
    assert len(server.hits("/etagfeed/a.html")) == 1


def test_items_that_failed_transiently_are_retried_next_run(server: Server, fetcher: Fetcher) -> None:
    calls = itertools.count()

    def flaky(_hit: Any) -> Any:
        ok = next(calls) >= 3  # the first run's three attempts fail
        return server.reply(page("Flaky story", "fishery"), headers=HTML) if ok else server.reply(status=503)

    server.handle("/flakyfeed/a.html", flaky)
    url = server.route("/feeds/flaky.rss", rss([("a", "/flakyfeed/a.html")]), headers={**RSS, "ETag": '"x"'})
    state = MemoryState()
    got, on_article = collect()
    first = run_sources([url], state, on_article=on_article, fetcher=fetcher)
    assert got == [] and "HTTP 503" in first.outcomes[0].skipped[0].reason
    assert state.validators(url) is None  # else a 304 would hide the item for good
    run_sources([url], state, on_article=on_article, fetcher=fetcher)
    assert len(got) == 1


def test_items_refused_for_good_are_not_fetched_again(server: Server, fetcher: Fetcher) -> None:
    server.route("/img/photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", headers={"Content-Type": "image/png"})
    server.route("/private/leak.html", page("Hidden", "secret"), headers=HTML)
    url = server.route("/feeds/odd.rss", rss([("img", "/img/photo.png"), ("priv", "/private/leak.html")]), headers=RSS)
    state = MemoryState()
    got, on_article = collect()
    report = run_sources([url], state, on_article=on_article, fetcher=fetcher)
    reasons = [s.reason for s in report.outcomes[0].skipped]
    assert got == [] and "not HTML (image/png)" in reasons[0] and "robots.txt disallows" in reasons[1]
    run_sources([url], state, on_article=on_article, fetcher=fetcher)
    assert len(server.hits("/img/photo.png")) == 1 and server.hits("/private/leak.html") == []


def test_a_watched_page_is_reported_again_only_when_its_text_changes(server: Server, fetcher: Fetcher) -> None:
    versions = [page("Live page", "energy"), page("Live page", "energy"), page("Live page", "housing")]
    count = itertools.count()
    url = server.handle("/live.html", lambda _hit: server.reply(versions[min(next(count), 2)], headers=HTML))
    state = MemoryState()
    got, on_article = collect()
    for _ in range(3):
        run_sources([WatchedSource(url, "page")], state, on_article=on_article, fetcher=fetcher)
    assert ["energy" in a.text for a in got] == [True, False]


def test_broken_sources_fail_alone_and_back_off(server: Server, fetcher: Fetcher, rss_feed: str) -> None:
    broken = server.route(
        "/feeds/broken.rss", b'<?xml version="1.0"?><rss version="2.0"><channel><item><ti', headers=RSS
    )
    html = server.route("/feeds/html.rss", page("Not a feed", "tea"), headers=RSS)
    binary = server.route("/feeds/binary", b"\x89PNG\r\n\x1a\n\x00\x00", headers={"Content-Type": "image/png"})
    sources = [WatchedSource(broken, "feed"), WatchedSource(html, "feed"), binary, rss_feed]
    state = MemoryState()
    got, on_article = collect()
    report = run_sources(sources, state, on_article=on_article, fetcher=fetcher, now=lambda: T0)
    assert [o.status for o in report.outcomes] == ["failed", "failed", "failed", "ok"] and len(got) == 2
    errors = [o.error or "" for o in report.failed]
    assert "malformed feed XML" in errors[0]
    assert "served HTML, not a feed" in errors[1]
    assert "not HTML (image/png)" in errors[2]
    failure = state.failure(broken)
    assert failure is not None and failure.count == 1 and failure.next_retry == T0 + timedelta(minutes=15)

    soon = run_sources(sources, state, on_article=on_article, fetcher=fetcher, now=lambda: T0 + timedelta(minutes=5))
    assert [o.status for o in soon.outcomes][:3] == ["waiting"] * 3
    later = run_sources(sources, state, on_article=on_article, fetcher=fetcher, now=lambda: T0 + timedelta(hours=1))
    assert later.outcomes[0].status == "failed" and state.failure(broken).count == 2  # type: ignore[union-attr]
    assert state.failure(broken).next_retry == T0 + timedelta(hours=1, minutes=30)  # type: ignore[union-attr]

    server.route("/feeds/broken.rss", rss([]), headers=RSS)  # the site fixes its feed
    run_sources(sources, state, on_article=on_article, fetcher=fetcher, now=lambda: T0 + timedelta(days=1))
    assert state.failure(broken) is None


def test_a_long_retry_after_sets_the_next_retry(server: Server, fetcher: Fetcher) -> None:
    url = server.route("/feeds/busy.rss", b"", status=503, headers={"Retry-After": "7200"})
    state = MemoryState()
    run_sources([url], state, on_article=lambda a: None, fetcher=fetcher, now=lambda: T0)
    assert state.failure(url).next_retry == T0 + timedelta(hours=2)  # type: ignore[union-attr]


def test_report_is_json_ready(rss_feed: str, fetcher: Fetcher) -> None:
    report = run_sources([rss_feed, "file:///etc/passwd"], MemoryState(), on_article=lambda a: None, fetcher=fetcher)
    data = report.to_json()
    assert data["outcomes"][1]["status"] == "failed" and isinstance(data["outcomes"][1]["next_retry"], str)


def test_slightly_malformed_feeds_are_read_leniently_with_a_warning() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A & B</title><link>http://x.test/a</link></item>'
    feed = parse_feed(body, url="http://x.test/feed")
    assert [i.url for i in feed.items] == ["http://x.test/a"] and "read leniently" in feed.warnings[0]


@pytest.mark.parametrize(("body", "message"), [(b"", "empty response"), (b'{"json": true}', "not an RSS or Atom feed")])
def test_things_that_are_not_feeds_say_so(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_feed(body, url="http://x.test/feed")


def test_a_page_without_text_is_refused() -> None:
    with pytest.raises(SourceError, match="no article text"):
        extract_article(b"<html><body><nav></nav></body></html>", source="s", url="http://x.test/")


@pytest.mark.parametrize("charset", ["idna", "rot13", "base64", "no-such-charset"])
def test_a_page_with_a_hostile_charset_is_read_from_its_bytes_and_the_run_goes_on(
    server: Server, fetcher: Fetcher, charset: str
) -> None:
    server.route(
        f"/odd/{charset}.html",
        page("Odd charset", "harbour"),
        headers={"Content-Type": f"text/html; charset={charset}"},
    )
    server.route("/odd/next.html", page("Next story", "rail"), headers=HTML)
    url = server.route(
        f"/feeds/odd-{charset}.rss", rss([("odd", f"/odd/{charset}.html"), ("next", "/odd/next.html")]), headers=RSS
    )
    got, on_article = collect()
    report = run_sources([url], MemoryState(), on_article=on_article, fetcher=fetcher)
    assert report.failed == () and ["harbour" in a.text for a in got] == [True, False]


def test_an_exception_from_on_article_still_ends_the_run_unchanged(rss_feed: str, fetcher: Fetcher) -> None:
    def refuse(article: Article) -> None:
        raise KeyError("the caller's own failure")

    with pytest.raises(KeyError, match="the caller's own failure"):
        run_sources([rss_feed], MemoryState(), on_article=refuse, fetcher=fetcher)
