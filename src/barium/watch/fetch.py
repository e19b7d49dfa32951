"""Polite, bounded HTTP GET: the only place the watch package touches the network.

Every request goes through :meth:`Fetcher.get`, which checks the scheme,
robots.txt and the per-host interval on *every* redirect hop (a redirect may
lead to another host), retries transient failures with exponential backoff,
and reads bodies through :class:`~barium.watch.decoding.BoundedDecoder` so no
response, compressed or not, can exceed the size cap in memory.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from barium import __version__
from barium.errors import InputError
from barium.limits import Limits
from barium.watch.decoding import ACCEPT_ENCODING, BoundedDecoder
from barium.watch.errors import SourceError
from barium.watch.robots import RobotsCache, RobotsFile
from barium.watch.throttle import HostThrottle

__all__ = ["USER_AGENT", "FetchPolicy", "FetchResult", "Fetcher", "Validators"]

USER_AGENT = f"Barium/{__version__} (leak watch; respects robots.txt)"

_LIMITS = Limits()
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Failures where the request most likely never reached the application: safe to repeat.
_RETRY_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how defensively to fetch.

    >>> FetchPolicy(host_interval=5.0, max_bytes=2_000_000)   # doctest: +SKIP

    Timeouts are seconds: ``connect_timeout`` and ``read_timeout`` per
    operation, ``total_timeout`` for a whole response, so that a server
    dripping one byte a second cannot hold a run. ``retries`` extra attempts
    follow transient failures after ``backoff``, doubling up to
    ``max_backoff``; a ``Retry-After`` up to ``max_retry_after`` is honoured,
    a longer one ends the attempt (the scheduler then waits that long).
    ``host_interval`` is the minimum time between two requests to one host.
    ``max_bytes`` caps every decoded body; ``max_ratio`` caps decoded/encoded
    size (compression bombs). Both default to :class:`~barium.limits.Limits`'
    (``article_bytes``, ``max_ratio``); the watching service passes the workspace's.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    host_interval: float = 1.0
    max_bytes: int = _LIMITS.article_bytes
    max_ratio: float = _LIMITS.max_ratio
    max_redirects: int = 5
    respect_robots: bool = True
    robots_ttl: float = 24 * 3600.0
    user_agent: str = USER_AGENT
    robots_agent: str = "Barium"
    trust_env: bool = True
    # Every hop (redirects and robots.txt included) only to public addresses (refuse_private):
    # a fetch a web user asked for must not reach the server's own networks through a redirect.
    # The name is resolved for the check and again by httpx to connect: a DNS server that
    # answers differently the second time (rebinding) is not caught.
    public_only: bool = False

    def __post_init__(self) -> None:
        checks = [
            (min(self.connect_timeout, self.read_timeout, self.total_timeout) > 0, "timeouts must be positive"),
            (self.retries >= 0 and self.max_redirects >= 0, "retries and max_redirects must not be negative"),
            (
                min(self.backoff, self.max_backoff, self.max_retry_after, self.host_interval) >= 0,
                "waits must not be negative",
            ),
            (self.max_bytes > 0 and self.max_ratio >= 1, "max_bytes must be positive and max_ratio at least 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP cache validators of one URL, sent back to get 304 when nothing changed."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful response (2xx) or ``304 Not Modified`` (empty ``body``).

    ``url`` is the final URL after redirects; ``content_type`` the lower-case
    media type without parameters ("" when absent).
    """

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class _Raw:
    status: int
    headers: httpx.Headers
    body: bytes = b""


class Fetcher:
    """Fetch URLs under a :class:`FetchPolicy`. Use as a context manager, or call :meth:`close`.

    ``transport``, ``sleep`` and ``clock`` exist for tests and embedding.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or FetchPolicy()
        p = self.policy
        self._sleep = sleep
        self._clock = clock
        self._client = httpx.Client(
            timeout=httpx.Timeout(p.read_timeout, connect=p.connect_timeout),
            follow_redirects=False,  # followed by hand so every hop passes the checks
            headers={"User-Agent": p.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            transport=transport,
            trust_env=p.trust_env,
        )
        self._throttle = HostThrottle(p.host_interval, clock=clock, sleep=sleep)
        self._robots = RobotsCache(self._fetch_robots, agent=p.robots_agent, ttl=p.robots_ttl, clock=clock)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, validators: Validators | None = None, accept: str = "*/*") -> FetchResult:
        """GET ``url``; raise :class:`SourceError` unless the answer is 2xx or 304."""
        headers = {"Accept": accept}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        chain: list[str] = []
        current = url
        while True:
            _check_scheme(current)
            if current in chain:
                raise SourceError(f"redirect loop: {' -> '.join([*chain, current])}", url=url)
            if len(chain) > self.policy.max_redirects:
                raise SourceError(f"{url}: more than {self.policy.max_redirects} redirects", url=url)
            chain.append(current)
            self._check_public(current, url)
            if self.policy.respect_robots and not self._robots.allowed(current):
                raise SourceError(self._robots.refusal(current), url=url)
            raw = self._exchange(current, headers)
            if raw.status in _REDIRECT_STATUSES:
                current = urljoin(current, raw.headers["location"])
                continue
            if raw.status == 304:
                return FetchResult(current, 304, "", None, b"", validators or Validators())
            if not 200 <= raw.status < 300:
                raise SourceError(
                    f"{current}: HTTP {raw.status}",
                    url=url,
                    transient=raw.status in _RETRY_STATUSES or raw.status == 408,
                    retry_after=_retry_after(raw.headers),
                )
            media, charset = _content_type(raw.headers.get("content-type", ""))
            found = Validators(raw.headers.get("etag"), raw.headers.get("last-modified"))
            return FetchResult(current, raw.status, media, charset, raw.body, found)

    def _exchange(self, url: str, headers: dict[str, str]) -> _Raw:
        """One request with retries. Bodies are read for 2xx only."""
        host = urlsplit(url).hostname or ""
        attempt = 0
        while True:
            self._throttle.wait(host)
            try:
                raw = self._request(url, headers)
            except _RETRY_ERRORS as exc:
                if attempt >= self.policy.retries:
                    raise SourceError(f"{url}: {_describe(exc)}", url=url, transient=True) from exc
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            except httpx.TimeoutException as exc:
                # A server that was too slow once will likely be slow again: the next run retries.
                raise SourceError(f"{url}: timed out ({_describe(exc)})", url=url, transient=True) from exc
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise SourceError(f"{url}: {_describe(exc)}", url=url) from exc
            if raw.status not in _RETRY_STATUSES or attempt >= self.policy.retries:
                return raw
            wait = _retry_after(raw.headers)
            if wait is not None and wait > self.policy.max_retry_after:
                return raw  # the caller reports retry_after; the scheduler waits that long
            self._sleep(max(self._backoff(attempt), wait or 0.0))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return float(min(self.policy.max_backoff, self.policy.backoff * 2**attempt))

    def _request(self, url: str, headers: dict[str, str]) -> _Raw:
        start = self._clock()
        with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in _REDIRECT_STATUSES and "location" not in response.headers:
                raise SourceError(f"{url}: redirect {status} without a Location", url=url)
            if not 200 <= status < 300:
                return _Raw(status, response.headers)
            length = response.headers.get("content-length", "")
            if length.isdecimal() and int(length) > self.policy.max_bytes:
                raise SourceError(
                    f"{url}: Content-Length {length} is over the cap of {self.policy.max_bytes} bytes", url=url
                )
            decoder = BoundedDecoder(
                response.headers.get("content-encoding"),
                url=url,
                max_bytes=self.policy.max_bytes,
                max_ratio=self.policy.max_ratio,
            )
            for chunk in response.iter_raw():
                decoder.feed(chunk)
                if self._clock() - start > self.policy.total_timeout:
                    raise SourceError(
                        f"{url}: response took over {self.policy.total_timeout:g} s", url=url, transient=True
                    )
            return _Raw(status, response.headers, decoder.finish())

    def _check_public(self, hop: str, url: str) -> None:
        """Under ``public_only``, refuse a hop (a page, a redirect, robots.txt) to a private address."""
        if self.policy.public_only:
            try:
                refuse_private(hop)
            except InputError as exc:
                raise SourceError(exc.message, url=url) from None

    def _fetch_robots(self, url: str) -> RobotsFile:
        # robots.txt itself is exempt from robots.txt, but not from the other limits.
        current = url
        try:
            for _ in range(self.policy.max_redirects + 1):
                _check_scheme(current)
                self._check_public(current, url)
                raw = self._exchange(current, {"Accept": "text/plain, */*"})
                if raw.status not in _REDIRECT_STATUSES:
                    return RobotsFile(raw.status, raw.body)
                current = urljoin(current, raw.headers["location"])
        except SourceError:
            pass
        return RobotsFile(None)


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise SourceError(f"{url}: only http and https URLs are fetched, not {scheme or 'a bare path'!r}", url=url)


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), if any."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdecimal():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def refuse_private(url: str) -> None:
    """Refuse a URL whose host is, or resolves to, an address that is not public (loopback,
    a private network, link-local such as cloud metadata): a web user must not make the
    server fetch what only the server can reach. The connection resolves the name again: a
    DNS server that answers differently then (rebinding) is not caught."""
    host = urlsplit(url).hostname or ""
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return  # not found now: nothing to reach; its fetches will say why they fail
    private = sorted(a for a in found if not _public(ipaddress.ip_address(a.split("%", 1)[0])))
    if private:
        raise InputError(
            f"{host} is not a public address ({', '.join(private)}); sources on this server's own networks "
            "are added on the server, with `barium watch add`"
        )


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global, and so is any IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64, compatible)."""
    if not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = [address.ipv4_mapped, address.sixtofour, address.teredo[1] if address.teredo else None]
        if address in _NAT64 or int(address) >> 32 == 0:  # NAT64, and the deprecated ::a.b.c.d
            inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(v4 is None or v4.is_global for v4 in inner)
    return True
