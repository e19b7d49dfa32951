"""What the watch remembers between runs, as a small protocol.

One-shot runs and tests use :class:`MemoryState`; a database-backed
implementation only needs the seven methods of :class:`FetchState`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from barium.watch.fetch import Validators

__all__ = ["FetchState", "MemoryState", "SourceFailure"]


@dataclass(frozen=True, slots=True)
class SourceFailure:
    """A source's consecutive failures, when to try it next, and the last error message."""

    count: int
    next_retry: datetime
    error: str


class FetchState(Protocol):
    """Fetch state kept between runs.

    Contract:

    - ``validators(url)`` returns what ``set_validators`` stored for that
      exact URL (a watched feed or page), or ``None``.
    - ``seen_url`` / ``seen_hash`` answer whether ``mark_seen`` ever recorded
      that item key (a feed item's URL) or that content hash
      (:attr:`barium.watch.Article.content_hash`).
    - ``mark_seen`` is called once per processed item, *after* its article
      was handed to the caller; either argument may be ``None``. A database
      implementation should commit it together with whatever the caller
      stored for that article, which makes a killed run re-report nothing.
    - ``failure`` / ``set_failure`` keep one :class:`SourceFailure` per
      watched source URL; ``set_failure(source, None)`` clears it.

    Methods are called from one thread at a time.
    """

    def validators(self, url: str) -> Validators | None: ...

    def set_validators(self, url: str, validators: Validators) -> None: ...

    def seen_url(self, url: str) -> bool: ...

    def seen_hash(self, content_hash: str) -> bool: ...

    def mark_seen(self, *, url: str | None = None, content_hash: str | None = None) -> None: ...

    def failure(self, source: str) -> SourceFailure | None: ...

    def set_failure(self, source: str, failure: SourceFailure | None) -> None: ...


@dataclass
class MemoryState:
    """:class:`FetchState` in dictionaries: for one-shot runs and tests."""

    validator_map: dict[str, Validators] = field(default_factory=dict)
    urls: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    failures: dict[str, SourceFailure] = field(default_factory=dict)

    def validators(self, url: str) -> Validators | None:
        return self.validator_map.get(url)

    def set_validators(self, url: str, validators: Validators) -> None:
        self.validator_map[url] = validators

    def seen_url(self, url: str) -> bool:
        return url in self.urls

    def seen_hash(self, content_hash: str) -> bool:
        return content_hash in self.hashes

    def mark_seen(self, *, url: str | None = None, content_hash: str | None = None) -> None:
        if url is not None:
            self.urls.add(url)
        if content_hash is not None:
            self.hashes.add(content_hash)

    def failure(self, source: str) -> SourceFailure | None:
        return self.failures.get(source)

    def set_failure(self, source: str, failure: SourceFailure | None) -> None:
        if failure is None:
            self.failures.pop(source, None)
        else:
            self.failures[source] = failure
