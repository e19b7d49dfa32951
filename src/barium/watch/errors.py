"""The watch package's one error type, a :class:`barium.errors.FetchError`.

Where it sits in Barium's tree::

    BariumError
    └── FetchError                   a source could not be fetched or parsed
        └── SourceError              ... and whether trying again later may help

Callers that only need a message catch ``FetchError``; the scheduler reads
``transient`` and ``retry_after`` to decide when to try a source again.
"""

from __future__ import annotations

from barium.errors import FetchError

__all__ = ["SourceError"]


class SourceError(FetchError):
    """A source, page or file could not be fetched or parsed.

    ``transient`` is true when the same request may succeed later (timeouts,
    5xx, 429); a permanent failure (404, robots.txt, not HTML, a broken feed)
    is false. ``retry_after`` is the server's requested wait in seconds, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        transient: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.transient = transient
        self.retry_after = retry_after
