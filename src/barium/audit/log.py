"""The log in the database: appending sealed entries, sealing old ones, reading it back.

The head (size, the frontier of perfect subtrees, the root, and its seal) is one
``workspace_meta`` row. Every append locks it first, in the action's own
transaction: on PostgreSQL with ``SELECT ... FOR UPDATE``, on SQLite by the write
lock every unit takes (``BEGIN IMMEDIATE``). So entries get consecutive places in
the order their transactions commit, and a rolled-back action leaves neither its
entry nor a moved head.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from barium.audit.checkpoint import Checkpoint
from barium.audit.merkle import Frontier
from barium.audit.seal import EntryFields, head_seal, row_seal
from barium.audit.verify import Head, StoredRow
from barium.errors import IntegrityFailure
from barium.store import AuditCheckpoint, AuditEntry, WorkspaceMeta
from barium.store.models import utcnow

__all__ = ["Appender", "checkpoints", "fields_of", "read_head", "rows", "seal_unsealed"]

HEAD = "audit.head"


@dataclass
class _State:
    frontier: Frontier
    row: WorkspaceMeta
    root: bytes | None = None  # the root after the last append, when the unit appended


def _head_json(key: bytes, frontier: Frontier, root: bytes) -> str:
    return json.dumps(
        {
            "size": frontier.size,
            "root": root.hex(),
            "frontier": frontier.to_json(),
            "seal": head_seal(key, frontier.size, root),
        }
    )


def fields_of(e: AuditEntry) -> EntryFields:
    return EntryFields(-1 if e.seq is None else e.seq, e.at, e.actor_kind, e.actor, e.action, e.subject, e.details)


class Appender:
    """Appends entries to the log within one session (one unit of work)."""

    def __init__(self, session: Session, key: bytes) -> None:
        self.session = session
        self.key = key
        self._state: _State | None = None
        self._pending: list[dict[str, object]] = []

    def _load(self, *, create: bool = False) -> _State:
        if self._state is None:
            row = self.session.execute(
                select(WorkspaceMeta).where(WorkspaceMeta.name == HEAD).with_for_update()
            ).scalar_one_or_none()
            if row is None:
                if not create:
                    # Starting a new head would hand out places the log already has.
                    raise IntegrityFailure(
                        "the audit log's head is missing from the database; run `barium audit verify`"
                    )
                row = WorkspaceMeta(name=HEAD, value="")
                self.session.add(row)
                frontier = Frontier()
            elif not row.value:
                frontier = Frontier()
            else:
                try:
                    frontier = Frontier.from_json(json.loads(row.value)["frontier"])
                except (ValueError, KeyError, TypeError):
                    raise IntegrityFailure("the audit log's head is damaged; run `barium audit verify`") from None
            self._state = _State(frontier, row)
        return self._state

    def append(self, *, actor_kind: str, actor: str, action: str, subject: str, details: str) -> int:
        """Append an entry; returns its place. The rows are written together, in
        :meth:`write_head`, which the unit of work calls before it commits."""
        state = self._load()
        seq = state.frontier.size
        fields = EntryFields(seq, utcnow(), actor_kind, actor, action, subject, details)
        leaf = fields.leaf()
        state.frontier.append(leaf)
        root = state.frontier.root()
        self._pending.append(
            {
                "seq": seq,
                "at": fields.at,
                "actor_kind": actor_kind,
                "actor": actor,
                "action": action,
                "subject": subject,
                "details": details,
                "leaf": leaf.hex(),
                "root": root.hex(),
                "seal": row_seal(self.key, seq, leaf, root),
            }
        )
        state.root = root
        return seq

    def write_head(self) -> None:
        """Write the unit's entries (one statement) and the head as they leave it."""
        state = self._state
        if state is None or state.root is None:
            return
        if self._pending:
            self.session.execute(insert(AuditEntry), self._pending)
            self._pending = []
        state.row.value = _head_json(self.key, state.frontier, state.root)


def seal_unsealed(session: Session, key: bytes) -> int:
    """Give rows written before the log was sealed (an upgraded workspace) their places and
    seals, in the order they were written; returns how many. They are only as trustworthy
    as the database was until then, and the entry this adds says so."""
    old = list(session.scalars(select(AuditEntry).where(AuditEntry.seq.is_(None)).order_by(AuditEntry.id)))
    appender = Appender(session, key)
    state = appender._load(create=True)
    for e in old:
        seq = state.frontier.size
        fields = EntryFields(seq, e.at, e.actor_kind, e.actor, e.action, e.subject, e.details)
        leaf = fields.leaf()
        state.frontier.append(leaf)
        root = state.frontier.root()
        e.seq, e.leaf, e.root, e.seal = seq, leaf.hex(), root.hex(), row_seal(key, seq, leaf, root)
    if old:
        session.flush()  # the places taken, before the entry that follows them
        appender.append(
            actor_kind="system",
            actor="barium",
            action="audit.seal",
            subject="audit log",
            details=json.dumps({"entries": len(old)}, sort_keys=True),
        )
        appender.write_head()
    elif not state.row.value:
        # A new log: its head is the empty tree, sealed, so that a log emptied later is noticed.
        state.row.value = _head_json(key, state.frontier, state.frontier.root())
    return len(old)


def read_head(session: Session) -> Head | None:
    row = session.get(WorkspaceMeta, HEAD)
    if row is None:
        return None
    try:
        raw = json.loads(row.value)
        return Head(int(raw["size"]), str(raw["root"]), str(raw["seal"]))
    except (ValueError, KeyError, TypeError):
        return Head(-1, "", "")  # unreadable: its seal cannot fit


def rows(session: Session, *, batch: int = 10_000) -> Iterator[StoredRow]:
    """Every row, in place order, streamed (a log of millions is never held as ORM objects)."""
    query = select(
        AuditEntry.id,
        AuditEntry.seq,
        AuditEntry.at,
        AuditEntry.actor_kind,
        AuditEntry.actor,
        AuditEntry.action,
        AuditEntry.subject,
        AuditEntry.details,
        AuditEntry.leaf,
        AuditEntry.root,
        AuditEntry.seal,
    ).order_by(AuditEntry.seq, AuditEntry.id)
    for r in session.execute(query.execution_options(yield_per=batch)):
        seq = -1 if r.seq is None else r.seq
        yield StoredRow(
            r.id, EntryFields(seq, r.at, r.actor_kind, r.actor, r.action, r.subject, r.details), r.leaf, r.root, r.seal
        )


def checkpoints(session: Session) -> list[Checkpoint]:
    return [
        Checkpoint(c.origin, c.size, c.root, c.time, c.public_key, c.signature)
        for c in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))
    ]
