"""Reading the audit log that every unit of work writes (:mod:`barium.services.unit`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from barium.errors import InputError
from barium.services.unit import Context
from barium.store import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One action as the log holds it."""

    id: int
    at: datetime
    actor_kind: str
    actor: str
    action: str
    subject: str
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": f"{self.actor_kind}:{self.actor}",
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
        }


class AuditLog:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def entries(self, *, action: str | None = None, subject: str | None = None, limit: int = 100) -> list[AuditRecord]:
        """The latest ``limit`` entries, oldest first; ``action`` matches a whole action
        (``copy.issue``) or a prefix ending in a dot (``copy.``)."""
        if limit < 1:
            raise InputError("the limit must be at least 1")
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if action is not None:
            query = query.where(
                AuditEntry.action.startswith(action, autoescape=True)
                if action.endswith(".")
                else AuditEntry.action == action
            )
        if subject is not None:
            query = query.where(AuditEntry.subject == subject)
        with self.ctx.read() as session:
            rows = list(session.scalars(query))
        return [
            AuditRecord(e.id, e.at, e.actor_kind, e.actor, e.action, e.subject, json.loads(e.details))
            for e in reversed(rows)
        ]
