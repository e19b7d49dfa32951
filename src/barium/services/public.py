"""Public texts: what the author made public (a press statement) raises no alert."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from barium.errors import NotFound
from barium.formats.load import read_file
from barium.services.unit import Context
from barium.store import PublicText


@dataclass(frozen=True, slots=True)
class PublicInfo:
    """A registered public text."""

    id: int
    title: str
    chars: int
    sha256: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "chars": self.chars,
            "sha256": self.sha256,
            "created_at": self.created_at.isoformat(),
        }


class PublicTexts:
    """Registering, listing and forgetting public texts."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def add(self, source: Path | str, *, title: str | None = None) -> int:
        """Register a public text; returns its id (the existing one for the same text).

        It passes the same check as every stored text (``max_public_bytes``, binary
        refused, stray control characters dropped)."""
        limits = self.ctx.limits
        if isinstance(source, Path):
            text, _ = read_file(source, limits=limits, kind="public", fmt="text")
            title = title or source.name
        else:
            text = limits.check_text(source, "public", name="public text")
        digest = hashlib.sha256(text.encode()).hexdigest()
        with self.ctx.unit() as uow:
            found = uow.session.scalar(select(PublicText).where(PublicText.sha256 == digest))
            if found is not None:
                return found.id
            row = PublicText(title=(title or text.strip().splitlines()[0])[:500], content=text, sha256=digest)
            uow.session.add(row)
            uow.session.flush()
            uow.record("public.add", f"public {row.id}", title=row.title, sha256=digest)
            return row.id

    def list(self) -> list[PublicInfo]:
        """Registered public texts, oldest first."""
        with self.ctx.read() as session:
            return [
                PublicInfo(p.id, p.title, len(p.content), p.sha256, p.created_at)
                for p in session.scalars(select(PublicText).order_by(PublicText.id))
            ]

    def remove(self, public_id: int) -> None:
        """Forget a public text: its passages may raise alerts again."""
        with self.ctx.unit() as uow:
            row = uow.session.get(PublicText, public_id)
            if row is None:
                raise NotFound(f"no public text {public_id}; `barium public list` shows them")
            uow.session.delete(row)
            uow.record("public.remove", f"public {public_id}", title=row.title, sha256=row.sha256)
