"""Fetching over real HTTP on loopback: politeness, limits and failures."""

from __future__ import annotations

import gzip
import itertools
import time
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from barium.errors import FetchError
from barium.watch import Fetcher, FetchPolicy, SourceError, Validators
from barium.watch.throttle import HostThrottle

Server = Any  # the conftest's LoopbackServer: conftest modules are not importable
HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = b"<html><body><p>Hello from the loopback server.</p></body></html>"


def test_a_page_is_fetched_with_a_user_agent_naming_barium(server: Server, fetcher: Fetcher) -> None:
    url = server.route("/f/plain.html", PAGE, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    result = fetcher.get(url)
    assert result.status == 200 and result.body == PAGE
    assert result.content_type == "text/html" and result.charset == "iso-8859-1"
    assert server.hits("/f/plain.html")[-1].headers["user-agent"].startswith("Barium/")


def test_errors_are_fetch_errors_with_the_url_and_status(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"/f/missing\.html: HTTP 404"):
        fetcher.get(server.url("/f/missing.html"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "/relative/path", "javascript:alert(1)"])
def test_only_http_and_https_are_fetched(fetcher: Fetcher, url: str) -> None:
    with pytest.raises(SourceError, match="only http and https"):
        fetcher.get(url)


def test_a_redirect_to_another_scheme_is_refused(server: Server, fetcher: Fetcher) -> None:
    url = server.route("/f/to-file", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(SourceError, match="only http and https"):
        fetcher.get(url)


def test_redirects_are_followed_to_the_final_url(server: Server, fetcher: Fetcher) -> None:
    server.route("/f/final.html", PAGE, headers=HTML)
    server.route("/f/hop2", status=301, headers={"Location": "/f/final.html"})
    url = server.route("/f/hop1", status=302, headers={"Location": server.url("/f/hop2")})
    result = fetcher.get(url)
    assert result.url == server.url("/f/final.html") and result.body == PAGE


def test_a_redirect_loop_gives_a_clear_error(server: Server, fetcher: Fetcher) -> None:
    server.route("/f/loop-a", status=302, headers={"Location": "/f/loop-b"})
    server.route("/f/loop-b", status=302, headers={"Location": "/f/loop-a"})
    with pytest.raises(SourceError, match=r"redirect loop: .*loop-a -> .*loop-b -> .*loop-a"):
        fetcher.get(server.url("/f/loop-a"))
    assert len(server.hits("/f/loop-a")) == 1


def test_a_redirect_chain_is_bounded(server: Server, policy: FetchPolicy) -> None:
    for i in range(5):
        server.route(f"/f/chain{i}", status=302, headers={"Location": f"/f/chain{i + 1}"})
    with Fetcher(replace(policy, max_redirects=3)) as f, pytest.raises(SourceError, match="more than 3 redirects"):
        f.get(server.url("/f/chain0"))


def test_a_slow_server_times_out(server: Server, policy: FetchPolicy) -> None:
    url = server.route("/f/slow", PAGE, headers=HTML, delay=1.0)
    with Fetcher(replace(policy, read_timeout=0.2)) as f, pytest.raises(SourceError, match="timed out") as caught:
        f.get(url)
    assert caught.value.transient
    assert len(server.hits("/f/slow")) == 1  # a timeout is not retried within the run


def test_a_body_dripping_past_the_total_timeout_is_abandoned(server: Server, policy: FetchPolicy) -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(40):
            yield b"<p>" + b"x" * 100 + b"</p>"
            time.sleep(0.05)

    url = server.route("/f/drip", drip, headers=HTML)
    with Fetcher(replace(policy, total_timeout=0.5)) as f, pytest.raises(SourceError, match=r"took over 0\.5 s"):
        f.get(url)


def test_a_streamed_body_over_the_cap_is_cut_off(server: Server, policy: FetchPolicy) -> None:
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        chunk = b"a" * 65536
        for i in range(1600):  # 100 MiB if nobody stopped reading
            sent.append(i)
            yield chunk

    url = server.route("/f/huge-stream", endless, headers=HTML)
    with (
        Fetcher(replace(policy, max_bytes=1_000_000)) as f,
        pytest.raises(SourceError, match="over the cap of 1000000"),
    ):
        f.get(url)
    assert len(sent) < 800  # nowhere near 1600: the client hung up (socket buffers hold the rest)


def test_a_content_length_over_the_cap_is_refused_without_reading(server: Server, policy: FetchPolicy) -> None:
    def lots() -> Iterator[bytes]:
        yield from itertools.repeat(b"a" * 65536, 200)

    url = server.route("/f/huge-length", lots, headers={**HTML, "Content-Length": str(200 * 65536)})
    with (
        Fetcher(replace(policy, max_bytes=1_000_000)) as f,
        pytest.raises(SourceError, match="Content-Length 13107200"),
    ):
        f.get(url)


def test_a_gzip_bomb_is_refused_by_its_ratio(server: Server, fetcher: Fetcher, gzip_bomb: bytes) -> None:
    url = server.route("/f/bomb", gzip_bomb, headers={**HTML, "Content-Encoding": "gzip"})
    with pytest.raises(SourceError, match="compression ratio over 100:1"):
        fetcher.get(url)


def test_a_gzip_bomb_is_refused_by_the_decoded_cap_whatever_the_ratio(
    server: Server, policy: FetchPolicy, gzip_bomb: bytes
) -> None:
    url = server.route("/f/bomb2", gzip_bomb, headers={**HTML, "Content-Encoding": "gzip"})
    with Fetcher(replace(policy, max_ratio=1e9)) as f, pytest.raises(SourceError, match="over the cap of 10000000"):
        f.get(url)


@pytest.mark.parametrize(
    ("coding", "packed"),
    [
        ("gzip", gzip.compress(PAGE)),
        ("deflate", zlib.compress(PAGE)),
        ("deflate", zlib.compress(PAGE)[2:-4]),  # raw deflate, as some servers send it
        ("gzip", gzip.compress(PAGE[:20]) + gzip.compress(PAGE[20:])),  # two members
    ],
)
def test_compressed_bodies_are_decoded(server: Server, fetcher: Fetcher, coding: str, packed: bytes) -> None:
    url = server.route(f"/f/coded-{coding}-{len(packed)}", packed, headers={**HTML, "Content-Encoding": coding})
    assert fetcher.get(url).body == PAGE
    assert server.hits(f"/f/coded-{coding}-{len(packed)}")[-1].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("coding", "message"), [("br", "'br' refused"), ("gzip, gzip", "stacked"), ("gzip", "corrupt")]
)
def test_unexpected_or_corrupt_encodings_are_refused(
    server: Server, fetcher: Fetcher, coding: str, message: str
) -> None:
    url = server.route(
        f"/f/odd-{len(coding)}-{message[:3]}", b"\x1f\x8bnot really gzip", headers={**HTML, "Content-Encoding": coding}
    )
    with pytest.raises(SourceError, match=message):
        fetcher.get(url)


def test_robots_txt_disallowing_a_path_is_respected(server: Server, fetcher: Fetcher) -> None:
    url = server.route("/private/secret.html", PAGE, headers=HTML)
    with pytest.raises(SourceError, match=r"robots\.txt disallows"):
        fetcher.get(url)
    assert server.hits("/private/secret.html") == []


def test_robots_txt_is_fetched_once_per_origin(other_server: Server, fetcher: Fetcher) -> None:
    for i in range(3):
        fetcher.get(other_server.route(f"/p{i}.html", PAGE, headers=HTML))
    assert len(other_server.hits("/robots.txt")) == 1


def test_a_redirect_into_a_disallowed_path_is_refused(server: Server, fetcher: Fetcher) -> None:
    url = server.route("/f/sneaky", status=302, headers={"Location": "/private/other.html"})
    with pytest.raises(SourceError, match=r"robots\.txt disallows"):
        fetcher.get(url)


def test_a_missing_robots_txt_allows_everything(other_server: Server, fetcher: Fetcher) -> None:
    assert fetcher.get(other_server.route("/private/ok.html", PAGE, headers=HTML)).body == PAGE


def test_a_failing_robots_txt_disallows_for_now(other_server: Server, fetcher: Fetcher) -> None:
    other_server.route("/robots.txt", b"oops", status=500)
    url = other_server.route("/page.html", PAGE, headers=HTML)
    with pytest.raises(SourceError, match=r"its robots\.txt answered HTTP 500, so Barium backs off"):
        fetcher.get(url)
    assert other_server.hits("/page.html") == []
    assert len(other_server.hits("/robots.txt")) == 3  # retried like any 5xx, then given up


def test_an_unreachable_site_is_said_to_be_unreachable_not_to_disallow(fetcher: Fetcher) -> None:
    with pytest.raises(SourceError, match=r"could not be reached"):
        fetcher.get("http://127.0.0.1:9/feed.xml")  # the discard port: nothing listens


def test_robots_can_be_switched_off_by_policy(server: Server, policy: FetchPolicy) -> None:
    url = server.route("/private/allowed-by-policy.html", PAGE, headers=HTML)
    with Fetcher(replace(policy, respect_robots=False)) as f:
        assert f.get(url).body == PAGE


def test_a_public_only_fetch_reaches_no_private_address(server: Server, policy: FetchPolicy) -> None:
    url = server.route("/private-only.html", PAGE, headers=HTML)
    robots = len(server.hits("/robots.txt"))
    with Fetcher(replace(policy, public_only=True)) as f:
        for target in (url, "http://[::1]/", "http://2130706433/", "http://10.0.0.8/feed", "http://169.254.169.254/"):
            with pytest.raises(SourceError, match="not a public address"):
                f.get(target)
    assert server.hits("/private-only.html") == [] and len(server.hits("/robots.txt")) == robots  # nothing sent


def test_etag_and_last_modified_give_304_when_nothing_changed(server: Server, fetcher: Fetcher) -> None:
    validators = {"ETag": '"v1"', "Last-Modified": "Tue, 05 Mar 2024 08:00:00 GMT"}

    def conditional(hit: Any) -> Any:
        if hit.headers.get("if-none-match") == '"v1"':
            return server.reply(status=304, headers={"ETag": '"v1"'})
        return server.reply(PAGE, headers={**HTML, **validators})

    url = server.handle("/f/etag.html", conditional)
    first = fetcher.get(url)
    assert first.validators == Validators('"v1"', "Tue, 05 Mar 2024 08:00:00 GMT")
    second = fetcher.get(url, validators=first.validators)
    assert second.not_modified and second.body == b""
    sent = server.hits("/f/etag.html")[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Tue, 05 Mar 2024 08:00:00 GMT"


def test_a_503_is_retried_until_it_succeeds(server: Server, fetcher: Fetcher) -> None:
    calls = itertools.count()

    def flaky(_hit: Any) -> Any:
        if next(calls) < 2:
            return server.reply(b"busy", status=503, headers={"Retry-After": "0"})
        return server.reply(PAGE, headers=HTML)

    assert fetcher.get(server.handle("/f/flaky", flaky)).body == PAGE
    assert len(server.hits("/f/flaky")) == 3


def test_retries_are_bounded_and_the_error_is_transient(server: Server, fetcher: Fetcher) -> None:
    url = server.route("/f/down", b"down", status=502)
    with pytest.raises(SourceError, match="HTTP 502") as caught:
        fetcher.get(url)
    assert caught.value.transient and len(server.hits("/f/down")) == 3  # 1 + policy.retries


def test_a_retry_after_beyond_the_cap_ends_the_attempt_and_is_reported(server: Server, fetcher: Fetcher) -> None:
    url = server.route("/f/later", b"slow down", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(SourceError, match="HTTP 429") as caught:
        fetcher.get(url)
    assert caught.value.retry_after == 3600 and len(server.hits("/f/later")) == 1


def test_backoff_doubles_and_honours_retry_after() -> None:
    slept: list[float] = []
    url = "http://127.0.0.1:9/"  # discard port: nothing listens, connect fails at once
    policy = FetchPolicy(
        retries=3, backoff=0.5, max_backoff=1.5, host_interval=0, respect_robots=False, trust_env=False
    )
    with Fetcher(policy, sleep=slept.append) as f, pytest.raises(SourceError) as caught:
        f.get(url)
    assert slept == [0.5, 1.0, 1.5] and caught.value.transient


def test_requests_to_one_host_are_spaced_by_the_interval(server: Server, policy: FetchPolicy) -> None:
    paths = [f"/f/rate{i}.html" for i in range(4)]
    with Fetcher(replace(policy, host_interval=0.2)) as f:
        for path in paths:
            f.get(server.route(path, PAGE, headers=HTML))
    arrivals = [server.hits(p)[0].at for p in paths]
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= 0.15, gaps  # 0.2 s apart as sent; arrival jitter gets a margin


def test_the_throttle_waits_per_host_and_not_across_hosts() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    throttle = HostThrottle(2.0, clock=lambda: now[0], sleep=sleep)
    throttle.wait("a.example")
    throttle.wait("b.example")
    throttle.wait("A.example")
    now[0] += 5
    throttle.wait("a.example")
    assert slept == [2.0]


def test_a_public_only_fetch_follows_no_robots_txt_redirect_to_a_private_address(
    server: Server, policy: FetchPolicy
) -> None:
    """robots.txt is fetched before the page: its redirects are hops like any other."""
    inner = server.route("/internal-admin", b"secret", headers={"Content-Type": "text/plain"})
    fetcher = Fetcher(replace(policy, public_only=True))
    try:
        assert fetcher._fetch_robots(inner).status is None  # refused before anything is sent
    finally:
        fetcher.close()
    assert server.hits("/internal-admin") == []


@pytest.mark.parametrize(
    "url",
    ["http://[::7f00:1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[::ffff:10.0.0.1]/"],
)
def test_an_ipv6_address_carrying_a_private_ipv4_one_is_not_public(url: str) -> None:
    from barium.errors import InputError
    from barium.watch.fetch import refuse_private

    with pytest.raises(InputError, match="not a public address"):
        refuse_private(url)
    refuse_private("http://[2606:4700::1111]/")  # a public one passes
