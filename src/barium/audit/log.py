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

from sqlalchemy import select
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


def fields_of(e: AuditEntry) -> EntryFields:
    return EntryFields(-1 if e.seq is None else e.seq, e.at, e.actor_kind, e.actor, e.action, e.subject, e.details)


class Appender:
    """Appends entries to the log within one session (one unit of work)."""

    def __init__(self, session: Session, key: bytes) -> None:
        self.session = session
        self.key = key
        self._state: _State | None = None

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

    def append(self, *, actor_kind: str, actor: str, action: str, subject: str, details: str) -> AuditEntry:
        state = self._load()
        seq = state.frontier.size
        fields = EntryFields(seq, utcnow(), actor_kind, actor, action, subject, details)
        leaf = fields.leaf()
        state.frontier.append(leaf)
        root = state.frontier.root()
        entry = AuditEntry(
            seq=seq,
            at=fields.at,
            actor_kind=actor_kind,
            actor=actor,
            action=action,
            subject=subject,
            details=details,
            leaf=leaf.hex(),
            root=root.hex(),
            seal=row_seal(self.key, seq, leaf, root),
        )
        self.session.add(entry)
        state.row.value = json.dumps(
            {
                "size": state.frontier.size,
                "root": root.hex(),
                "frontier": state.frontier.to_json(),
                "seal": head_seal(self.key, state.frontier.size, root),
            }
        )
        return entry


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
    elif not state.row.value:
        # A new log: its head is the empty tree, sealed, so that a log emptied later is noticed.
        state.row.value = json.dumps(
            {
                "size": 0,
                "root": state.frontier.root().hex(),
                "frontier": [],
                "seal": head_seal(key, 0, state.frontier.root()),
            }
        )
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
