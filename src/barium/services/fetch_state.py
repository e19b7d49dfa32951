"""The watch's fetch state in the database (:class:`barium.watch.FetchState`).

Bound to one session: the watching service commits after each article, so the
article's alerts and its "seen" mark land in the same transaction, and a killed
run neither loses an alert nor reports one twice.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from barium.store import FetchValidator, SeenItem, WatchSource
from barium.watch.fetch import Validators
from barium.watch.state import SourceFailure


class DbFetchState:
    def __init__(self, session: Session) -> None:
        self.session = session

    def validators(self, url: str) -> Validators | None:
        row = self.session.get(FetchValidator, url)
        return None if row is None else Validators(etag=row.etag, last_modified=row.last_modified)

    def set_validators(self, url: str, validators: Validators) -> None:
        row = self.session.get(FetchValidator, url) or FetchValidator(url=url)
        row.etag, row.last_modified = validators.etag, validators.last_modified
        self.session.add(row)
        self.session.commit()

    def _seen(self, kind: str, key: str) -> bool:
        return self.session.scalar(select(SeenItem.id).where(SeenItem.kind == kind, SeenItem.key == key)) is not None

    def seen_url(self, url: str) -> bool:
        return self._seen("url", url)

    def seen_hash(self, content_hash: str) -> bool:
        return self._seen("hash", content_hash)

    def mark_seen(self, *, url: str | None = None, content_hash: str | None = None) -> None:
        for kind, key in (("url", url), ("hash", content_hash)):
            if key is not None and not self._seen(kind, key):
                self.session.add(SeenItem(kind=kind, key=key))
        # The alerts written for this article are pending in the same session.
        self.session.commit()

    def failure(self, source: str) -> SourceFailure | None:
        row = self.session.scalar(select(WatchSource).where(WatchSource.url == source))
        if row is None or not row.failures or row.next_retry_at is None:
            return None

        return SourceFailure(row.failures, row.next_retry_at, row.last_error or "")

    def set_failure(self, source: str, failure: SourceFailure | None) -> None:
        row = self.session.scalar(select(WatchSource).where(WatchSource.url == source))
        if row is None:
            return
        if failure is None:
            row.failures, row.next_retry_at, row.last_error = 0, None, None
        else:
            row.failures = failure.count
            row.next_retry_at = failure.next_retry
            row.last_error = failure.error[:2000]
        self.session.commit()
