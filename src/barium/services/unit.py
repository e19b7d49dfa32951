"""Who acts, and the unit of work every write goes through.

A service is made with a :class:`Context`: the workspace and the :class:`Actor`
on whose behalf it acts (a local user at the CLI, a web user, the watcher).
Every write opens one :class:`UnitOfWork`, a single database transaction, and
records what it did with :meth:`UnitOfWork.record`; the entry lands in the audit
log in that same transaction, so an action and its entry commit together or not
at all. Reads use :meth:`Context.read`. CPU-bound work (parsing a master,
rendering copies, aligning and scoring a leak) runs between units, never inside
one, so no writer waits on another's computation.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from barium.audit.log import Appender
from barium.audit.seal import mac_key
from barium.limits import Limits
from barium.settings import Settings
from barium.workspace import Workspace

ActorKind = Literal["user", "web", "watcher", "system"]
Detail = str | int | float | bool | None | list[str] | list[int]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: ``kind`` says through what (a local user, a web login, the watcher)."""

    kind: ActorKind
    name: str

    @classmethod
    def local_user(cls) -> Actor:
        """The person running Barium on this machine (the CLI, the Python API)."""
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (some containers)
            name = "unknown"
        return cls("user", name)

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


class UnitOfWork:
    """One transaction on behalf of one actor: the writes and their audit entries."""

    def __init__(self, session: Session, actor: Actor, *, seal_key: bytes) -> None:
        self.session = session
        self.actor = actor
        self._log = Appender(session, seal_key)

    def record(self, action: str, subject: str, **details: Detail) -> int:
        """Append an audit entry for ``action`` on ``subject`` (``document 3``, ``recipient 7``);
        returns its place in the log."""
        return self._log.append(
            actor_kind=self.actor.kind,
            actor=self.actor.name[:200],
            action=action,
            subject=subject[:200],
            details=json.dumps(details, ensure_ascii=False, sort_keys=True),
        )

    def finish(self) -> None:
        """Before the commit: the log's head, moved once for all the unit's entries."""
        self._log.write_head()


@dataclass(frozen=True, slots=True)
class Context:
    """What every service is made with: the workspace, and who acts in it."""

    ws: Workspace
    actor: Actor

    @property
    def settings(self) -> Settings:
        return self.ws.settings

    @property
    def limits(self) -> Limits:
        """Every size cap of this workspace, from its settings."""
        return Limits.from_settings(self.ws.settings)

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self.ws.db.session() as session:
            uow = UnitOfWork(session, self.actor, seal_key=mac_key(self.ws.key))
            yield uow
            uow.finish()

    def read(self) -> AbstractContextManager[Session]:
        """A read-only transaction."""
        return self.ws.db.read()
