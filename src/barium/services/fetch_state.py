"""The watch's fetch state in the database (:class:`barium.watch.FetchState`).

Each write is a unit of work of its own, made between fetches, so no transaction
stays open across the network or while an article is traced. What an article
raised is staged (:meth:`DbFetchState.stage`) and stored in the same unit as the
article's "seen" mark, so a killed run neither loses an alert nor reports one
twice.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from barium.services.unit import Context, UnitOfWork
from barium.store import FetchValidator, SeenItem, WatchSource
from barium.watch.fetch import FetchPolicy, Validators
from barium.watch.state import SourceFailure

Write = Callable[[UnitOfWork], None]


def fetch_policy(ctx: Context) -> FetchPolicy:
    """How this workspace fetches for this actor: its politeness and size caps, and for a web
    user (unless ``web_watch_private_hosts``) public addresses only, redirects included."""
    limits = ctx.limits
    return FetchPolicy(
        host_interval=ctx.settings.watch_host_interval,
        max_bytes=limits.article_bytes,
        max_ratio=limits.max_ratio,
        public_only=ctx.actor.kind == "web" and not ctx.settings.web_watch_private_hosts,
    )


class DbFetchState:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._staged: list[Write] = []

    def stage(self, write: Write) -> None:
        """Hold a write until the next :meth:`mark_seen`, to commit with it."""
        self._staged.append(write)

    def flush(self, uow: UnitOfWork) -> None:
        """Run the staged writes in ``uow``."""
        staged, self._staged = self._staged, []
        for write in staged:
            write(uow)

    def validators(self, url: str) -> Validators | None:
        with self.ctx.read() as session:
            row = session.get(FetchValidator, url)
            return None if row is None else Validators(etag=row.etag, last_modified=row.last_modified)

    def set_validators(self, url: str, validators: Validators) -> None:
        with self.ctx.unit() as uow:
            row = uow.session.get(FetchValidator, url) or FetchValidator(url=url)
            row.etag, row.last_modified = validators.etag, validators.last_modified
            uow.session.add(row)

    @staticmethod
    def _seen(session: Session, kind: str, key: str) -> bool:
        return session.scalar(select(SeenItem.id).where(SeenItem.kind == kind, SeenItem.key == key)) is not None

    def seen_url(self, url: str) -> bool:
        with self.ctx.read() as session:
            return self._seen(session, "url", url)

    def seen_hash(self, content_hash: str) -> bool:
        with self.ctx.read() as session:
            return self._seen(session, "hash", content_hash)

    def mark_seen(self, *, url: str | None = None, content_hash: str | None = None) -> None:
        with self.ctx.unit() as uow:
            self.flush(uow)  # the alerts of this article
            for kind, key in (("url", url), ("hash", content_hash)):
                if key is not None and not self._seen(uow.session, kind, key):
                    uow.session.add(SeenItem(kind=kind, key=key))

    def failure(self, source: str) -> SourceFailure | None:
        with self.ctx.read() as session:
            row = session.scalar(select(WatchSource).where(WatchSource.url == source))
            if row is None or not row.failures or row.next_retry_at is None:
                return None
            return SourceFailure(row.failures, row.next_retry_at, row.last_error or "")

    def set_failure(self, source: str, failure: SourceFailure | None) -> None:
        with self.ctx.unit() as uow:
            row = uow.session.scalar(select(WatchSource).where(WatchSource.url == source))
            if row is None:
                return
            if failure is None:
                row.failures, row.next_retry_at, row.last_error = 0, None, None
            else:
                row.failures = failure.count
                row.next_retry_at = failure.next_retry
                row.last_error = failure.error[:2000]
