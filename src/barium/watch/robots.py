"""robots.txt, fetched once per origin and cached.

Rules follow RFC 9309: a 4xx robots.txt (missing) allows everything; a 5xx
or an unreachable server disallows everything for now, because the site may
be overloaded and a crawler should back off rather than guess.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["RobotsCache", "RobotsFile"]


@dataclass(frozen=True, slots=True)
class RobotsFile:
    """What fetching ``/robots.txt`` gave: a status (``None``: unreachable) and a body."""

    status: int | None
    body: bytes = b""


class RobotsCache:
    """Answer "may Barium fetch this URL?" per origin (scheme, host, port).

    ``fetch`` gets a robots.txt URL and returns a :class:`RobotsFile`; it must
    not itself consult this cache. Answers are kept ``ttl`` seconds, failures
    (5xx, unreachable) only ``failure_ttl`` so that a recovered site is read again.
    """

    def __init__(
        self,
        fetch: Callable[[str], RobotsFile],
        *,
        agent: str,
        ttl: float = 24 * 3600,
        failure_ttl: float = 600,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._agent = agent
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}
        self._failed: dict[str, str] = {}  # origin -> why its robots.txt could not be read

    def allowed(self, url: str) -> bool:
        """True when robots.txt of ``url``'s origin lets Barium fetch it."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        cached = self._cache.get(origin)
        if cached is None or cached[0] <= self._clock():
            cached = self._load(origin)
            self._cache[origin] = cached
        return cached[1].can_fetch(self._agent, url)

    def refusal(self, url: str) -> str:
        """Why ``url`` may not be fetched: its site's rules, or that they could not be read."""
        parts = urlsplit(url)
        failed = self._failed.get(f"{parts.scheme}://{parts.netloc}".lower())
        if failed:
            return f"{parts.netloc}: {failed}; trying again in {int(self._failure_ttl // 60)} minutes"
        return f"robots.txt disallows {url}"

    def _load(self, origin: str) -> tuple[float, urllib.robotparser.RobotFileParser]:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        got = self._fetch(origin + "/robots.txt")
        ttl = self._ttl
        if got.status is not None and 200 <= got.status < 300:
            parser.parse(got.body.decode("utf-8", errors="replace").splitlines())
        elif got.status is not None and 400 <= got.status < 500:
            parser.parse([])  # no rules: everything allowed
        else:
            parser.parse(["User-agent: *", "Disallow: /"])
            ttl = self._failure_ttl
            self._failed[origin] = (
                "the site could not be reached"
                if got.status is None
                else f"its robots.txt answered HTTP {got.status}, so Barium backs off"
            )
            return self._clock() + ttl, parser
        self._failed.pop(origin, None)
        return self._clock() + ttl, parser
