"""The people copies go to. Names and e-mail addresses are unique (case-insensitive),
because a copy is issued `--to` a name and an accusation names a person."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from barium.errors import Conflict, InputError, NotFound
from barium.formats import decode_text
from barium.limits import Limits
from barium.services.info import RecipientInfo
from barium.store import Recipient
from barium.workspace import Workspace


def _clean(name: str, email: str | None) -> tuple[str, str | None]:
    name = " ".join(name.split())
    email = (email or "").strip() or None
    if not name:
        raise InputError("a recipient needs a name")
    if len(name) > 300:
        raise InputError(f"recipient name too long: {name[:40]}...")
    if email is not None and ("@" not in email or len(email) > 320 or any(c.isspace() for c in email)):
        raise InputError(f"not an e-mail address: {email!r}")
    return name, email


class RecipientsService:
    ws: Workspace

    def add_recipient(
        self, name: str, *, email: str | None = None, extra: dict[str, str] | None = None
    ) -> RecipientInfo:
        return self._add_many([(name, email, extra or {})])[0]

    def import_recipients(self, path: Path) -> list[RecipientInfo]:
        """Add every row of a CSV with a header containing ``name`` (and usually ``email``).

        All or nothing: one bad or duplicate row and nothing is stored.
        """
        if not path.is_file():
            raise NotFound(f"no such file: {path}")
        Limits.from_settings(self.ws.settings).check_size(path.stat().st_size, "csv", name=path.name)
        text = decode_text(path.read_bytes(), name=path.name)
        try:
            reader = csv.DictReader(io.StringIO(text))
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            if "name" not in header:
                raise InputError(
                    f"{path.name}: the header must have a 'name' column (got {', '.join(header) or 'none'})"
                )
            rows: list[tuple[str, str | None, dict[str, str]]] = []
            for line, row in enumerate(reader, start=2):
                clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
                if not any(clean.values()):
                    continue
                if not clean.get("name"):
                    raise InputError(f"{path.name}, line {line}: empty name")
                extra = {k: v for k, v in clean.items() if k not in {"name", "email"} and v}
                rows.append((clean["name"], clean.get("email"), extra))
        except csv.Error as exc:
            raise InputError(f"{path.name}: not a valid CSV file ({exc})") from None
        if not rows:
            raise InputError(f"{path.name}: no recipients in the file")
        return self._add_many(rows, origin=path.name)

    def _add_many(
        self, rows: Iterable[tuple[str, str | None, dict[str, str]]], origin: str = ""
    ) -> list[RecipientInfo]:
        prefix = f"{origin}: " if origin else ""
        added: list[Recipient] = []
        seen_names: set[str] = set()
        seen_emails: set[str] = set()
        with self.ws.db.session() as session:
            for raw_name, raw_email, extra in rows:
                name, email = _clean(raw_name, raw_email)
                name_key, email_key = name.casefold(), email.casefold() if email else None
                if name_key in seen_names or (email_key and email_key in seen_emails):
                    raise Conflict(f"{prefix}duplicate recipient {name!r} {email or ''}".rstrip())
                seen_names.add(name_key)
                if email_key:
                    seen_emails.add(email_key)
                clash = session.scalar(
                    select(Recipient).where(
                        (Recipient.name_key == name_key)
                        | ((Recipient.email_key == email_key) if email_key else false())
                    )
                )
                if clash is not None:
                    raise Conflict(f"{prefix}recipient {clash.name!r} <{clash.email or ''}> already exists")
                r = Recipient(
                    name=name,
                    name_key=name_key,
                    email=email,
                    email_key=email_key,
                    extra=json.dumps(extra),
                )
                session.add(r)
                added.append(r)
            try:
                session.flush()
            except IntegrityError:
                raise Conflict(f"{prefix}a recipient with that name or e-mail already exists") from None
            return [recipient_info(r) for r in added]

    def recipients(self) -> list[RecipientInfo]:
        with self.ws.db.read() as session:
            return [recipient_info(r) for r in session.scalars(select(Recipient).order_by(Recipient.id))]


def find_recipient(session: Session, ref: str) -> Recipient:
    """By name or e-mail, case-insensitive; or by numeric id."""
    key = " ".join(ref.split()).casefold()
    found = session.scalar(select(Recipient).where((Recipient.name_key == key) | (Recipient.email_key == key)))
    if found is None and key.isdigit():
        found = session.get(Recipient, int(key))
    if found is None:
        raise NotFound(f"no recipient {ref!r}; `barium recipients list` shows them")
    return found


def recipient_info(r: Recipient) -> RecipientInfo:
    return RecipientInfo(id=r.id, name=r.name, email=r.email, extra=json.loads(r.extra or "{}"), uid=r.uid)
