"""A minimum interval between two requests to one host."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["HostThrottle"]


class HostThrottle:
    """Space requests to each host at least ``interval`` seconds apart.

    Thread-safe: each caller reserves its slot under a lock and then sleeps
    outside it, so concurrent callers for one host queue up in order while
    other hosts are not held up.
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if interval < 0:
            raise ValueError("interval must not be negative")
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Block until a request to ``host`` is allowed, and claim that slot."""
        key = host.lower()
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(key, now))
            self._next[key] = slot + self.interval
        if slot > now:
            self._sleep(slot - now)
