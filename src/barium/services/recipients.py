"""The people copies go to.

An e-mail address names one person (unique, case-insensitive). Names need not be
unique, since real lists have two John Smiths, but namesakes must be told apart:
two recipients may share a name (as :func:`barium.text.names.name_key` compares
names: case, width and invisible characters aside) only when each has an e-mail
address of their own. A copy is issued to, and an accusation names, one person.

Removing a recipient keeps their row, and with it their issuance history and
code identity: past copies stay traceable to them, they get no new copies, and
their name and e-mail still count as taken.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from barium.errors import Conflict, InputError, NotFound
from barium.formats import decode_text
from barium.services.info import RecipientInfo
from barium.services.unit import Context
from barium.store import Recipient
from barium.store.models import utcnow
from barium.text import is_invisible
from barium.text.names import MAX_NAME, mixed_script, name_key, name_problem

MAX_EMAIL = 320


class Status(Enum):
    """Which recipients a reference may name."""

    ACTIVE = "active"
    REMOVED = "removed"
    ANY = "any"


@dataclass(frozen=True, slots=True)
class _Row:
    name: str
    email: str | None
    extra: dict[str, str]
    line: int | None = None  # of the CSV, for messages


def email_key(email: str) -> str:
    """The form under which two e-mail addresses are the same address."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def _clean_name(name: str) -> str:
    problem = name_problem(name)
    if problem:
        raise InputError(f"the name {name!r} {problem}; names must be plain text")
    lookalike = mixed_script(name)
    if lookalike:
        raise InputError(f"the name {name!r} {lookalike}")
    name = " ".join(name.split())
    if not name_key(name):
        raise InputError("a recipient needs a name" + (f" (got {name!r})" if name else ""))
    if len(name) > MAX_NAME or len(name_key(name)) > MAX_NAME:
        raise InputError(f"recipient name too long (over {MAX_NAME} characters): {name[:40]!r}...")
    return name


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip() or None
    if email is None:
        return None
    local, _, domain = email.rpartition("@")
    # An invisible character would make a second address that reads like the first.
    if (
        not local
        or not domain
        or len(email) > MAX_EMAIL
        or name_problem(email)
        or mixed_script(email)
        or any(c.isspace() or is_invisible(c) for c in email)
    ):
        raise InputError(f"not an e-mail address: {email!r}")
    return email


def _who(r: Recipient) -> str:
    """How a message names a stored recipient so that namesakes can be told apart."""
    return f"{r.name!r} (id {r.id}, {f'<{r.email}>' if r.email else 'no e-mail'}" + (
        f", removed {r.removed_at:%Y-%m-%d})" if r.removed_at else ")"
    )


class Recipients:
    """The people copies go to: adding, importing, renaming, removing and restoring them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def add(self, name: str, *, email: str | None = None, extra: dict[str, str] | None = None) -> RecipientInfo:
        return self._add_many([_Row(name, email, extra or {})])[0]

    def import_csv(self, path: Path) -> list[RecipientInfo]:
        """Add every row of a CSV with a header containing ``name`` (and usually ``email``).

        All or nothing: one bad or duplicate row and nothing is stored. The file is
        UTF-8 (a BOM allowed) or UTF-16/32 with a BOM, comma-separated, one field per
        header column on every row; a malformed file is refused with its line.
        """
        if not path.is_file():
            raise NotFound(f"no such file: {path}")
        self.ctx.limits.check_size(path.stat().st_size, "csv", name=path.name)
        rows = parse_recipients_csv(_decode(path.read_bytes(), path.name), path.name)
        return self._add_many(rows, origin=path.name)

    def _add_many(self, rows: Iterable[_Row], origin: str = "") -> list[RecipientInfo]:
        added: list[Recipient] = []
        with self.ctx.unit() as uow:
            session = uow.session
            _lock_recipients(session)
            # Everyone, the removed included: their name and e-mail still name them in old records.
            known = list(session.scalars(select(Recipient)))
            # Keys recomputed, not read: rows stored by an older release hold keys of an older rule.
            by_email = {email_key(r.email): r for r in known if r.email}
            by_name: dict[str, list[Recipient]] = {}
            for r in known:
                by_name.setdefault(name_key(r.name), []).append(r)
            lines: dict[int, int | None] = {}  # id() of a new row -> its CSV line
            for row in rows:
                where = f"{origin}, line {row.line}: " if origin and row.line else f"{origin}: " if origin else ""
                try:
                    name, email = _clean_name(row.name), _clean_email(row.email)
                    for text in (*row.extra, *row.extra.values()):
                        problem = name_problem(text)
                        if problem:
                            raise InputError(f"the extra field {text[:40]!r} {problem}")
                except InputError as exc:
                    raise InputError(where + exc.message) from None
                nkey, ekey = name_key(name), email_key(email) if email else None
                r = Recipient(name=name, name_key=nkey, email=email, email_key=ekey, extra=json.dumps(row.extra))
                lines[id(r)] = row.line
                if ekey and ekey in by_email:
                    raise Conflict(where + _email_taken(by_email[ekey], lines))
                for other in by_name.get(nkey, []):
                    if email is None or other.email is None:
                        raise Conflict(where + _namesake_refused(other, email, lines))
                session.add(r)
                added.append(r)
                by_name.setdefault(nkey, []).append(r)
                if ekey:
                    by_email[ekey] = r
            try:
                session.flush()
            except IntegrityError:  # another process added the same e-mail meanwhile
                raise Conflict(
                    f"{origin + ': ' if origin else ''}a recipient with that e-mail already exists"
                ) from None
            for r in added:
                uow.record("recipient.add", f"recipient {r.id}", name=r.name, email=r.email, source=origin or None)
            return [recipient_info(r) for r in added]

    def list(self, *, include_removed: bool = False) -> list[RecipientInfo]:
        """Recipients in the order they were added; the removed ones only when asked."""
        query = select(Recipient).order_by(Recipient.id)
        if not include_removed:
            query = query.where(Recipient.removed_at.is_(None))
        with self.ctx.read() as session:
            return [recipient_info(r) for r in session.scalars(query)]

    def remove(self, ref: str) -> RecipientInfo:
        """Mark a recipient removed: no new copies; their history and traceability stay."""
        with self.ctx.unit() as uow:
            r = find_recipient(uow.session, ref)
            r.removed_at = utcnow()
            uow.session.flush()
            uow.record("recipient.remove", f"recipient {r.id}", name=r.name, email=r.email)
            return recipient_info(r)

    def restore(self, ref: str) -> RecipientInfo:
        """Undo :meth:`remove`."""
        with self.ctx.unit() as uow:
            r = find_recipient(uow.session, ref, status=Status.REMOVED)
            r.removed_at = None
            uow.session.flush()
            uow.record("recipient.restore", f"recipient {r.id}", name=r.name, email=r.email)
            return recipient_info(r)

    def rename(self, ref: str, new_name: str) -> RecipientInfo:
        """Change a recipient's name; their code identity, e-mail and history stay.

        Copies already issued stay traceable to them, under the new name. Refused
        when the new name would make namesakes that cannot be told apart.
        """
        name = _clean_name(new_name)
        with self.ctx.unit() as uow:
            session = uow.session
            _lock_recipients(session)
            r = find_recipient(session, ref, status=Status.ANY)
            nkey = name_key(name)
            for other in session.scalars(select(Recipient).where(Recipient.name_key == nkey, Recipient.id != r.id)):
                if r.email is None or other.email is None:
                    raise Conflict(_namesake_refused(other, r.email, {}))
            old = r.name
            r.name, r.name_key = name, nkey
            session.flush()
            uow.record("recipient.rename", f"recipient {r.id}", name=name, previous=old)
            return recipient_info(r)


def _lock_recipients(session: Session) -> None:
    """Serialise the writers that check the namesake rule, which no unique index enforces.

    SQLite writers are serialised already (``BEGIN IMMEDIATE``); on PostgreSQL two
    imports could otherwise both see no "John Smith" and both add one without an
    e-mail. The lock lets readers (issuing, tracing) through.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE recipients IN SHARE ROW EXCLUSIVE MODE"))


def _email_taken(r: Recipient, lines: dict[int, int | None]) -> str:
    if id(r) in lines:
        return f"duplicate recipient: <{r.email}> is also on line {lines[id(r)]}"
    removed = " and was removed; `barium recipients restore` brings them back" if r.removed_at else ""
    return f"recipient {_who(r)} already exists with the e-mail <{r.email}>{removed}"


def _namesake_refused(other: Recipient, email: str | None, lines: dict[int, int | None]) -> str:
    each = "namesakes need an e-mail address each, so that a copy and an accusation name one person"
    if id(other) in lines:
        line = lines[id(other)]
        return f"duplicate recipient {other.name!r}{f' (also on line {line})' if line else ''}: {each}"
    why = (
        each
        if email is None
        else "they have no e-mail address, so a namesake could not be told apart from them; "
        "rename them (`barium recipients rename`) or add this one under another name"
    )
    return f"recipient {_who(other)} already exists: {why}"


def find_recipient(session: Session, ref: str, *, status: Status = Status.ACTIVE) -> Recipient:
    """The one recipient ``ref`` names: an e-mail address, a name, or a numeric id.

    A name shared by namesakes is refused with their e-mails and ids, so that a
    copy never goes to (and a command never acts on) the wrong one. By default a
    removed recipient is refused too (they get no new copies).
    """
    key = ref.strip()
    found = session.scalar(select(Recipient).where(Recipient.email_key == email_key(key))) if key else None
    if found is None and key:
        wanted = name_key(key)
        named = list(session.scalars(select(Recipient).where(Recipient.name_key == wanted)))
        if not named:
            # Rows stored by an older release keep a key of the older rule (no NFKC, invisible
            # characters kept): compare their names afresh before saying there is no one.
            named = [r for r in session.scalars(select(Recipient).order_by(Recipient.id)) if name_key(r.name) == wanted]
        fits = [r for r in named if _fits(r, status)]
        if len(fits) > 1:
            listed = "; ".join(f"id {r.id} {f'<{r.email}>' if r.email else '(no e-mail)'}" for r in fits)
            raise InputError(
                f"{ref!r} names {len(fits)} recipients: {listed}. Give the e-mail address or the id instead"
            )
        found = fits[0] if fits else named[0] if named else None
    by_id = session.get(Recipient, int(key)) if key.isdecimal() and len(key) < 19 else None
    if found is not None and by_id is not None and by_id is not found:
        raise InputError(f"{ref!r} is the name of {_who(found)} and the id of {_who(by_id)}; give the e-mail address")
    found = found or by_id
    if found is None:
        raise NotFound(f"no recipient {ref!r}; `barium recipients list` shows them")
    if not _fits(found, status):
        if found.removed_at is not None:
            raise NotFound(f"recipient {_who(found)} was removed; `barium recipients restore` brings them back")
        raise InputError(f"recipient {_who(found)} is not removed")
    return found


def _fits(r: Recipient, status: Status) -> bool:
    return status is Status.ANY or (r.removed_at is None) == (status is Status.ACTIVE)


def recipient_info(r: Recipient) -> RecipientInfo:
    return RecipientInfo(
        id=r.id, name=r.name, email=r.email, extra=json.loads(r.extra or "{}"), uid=r.uid, removed_at=r.removed_at
    )


# --- reading a recipients CSV ---------------------------------------------------------

_UNICODE_BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _decode(data: bytes, name: str) -> str:
    """The text of a recipients file: UTF-8, or UTF-16/32 with a BOM (what spreadsheets save as
    "Unicode text"), through the checks every text passes (:func:`barium.formats.decode_text`).

    Unlike a document's text, the control characters it may hold are kept, not dropped:
    a name is refused for them with its line (:func:`parse_recipients_csv`), rather
    than stored as something other than the name on the user's list.
    """
    for bom, codec, label in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                data = data.decode(codec).encode("utf-8")
            except UnicodeError as exc:
                start = exc.start if isinstance(exc, UnicodeDecodeError) else 0
                raise InputError(f"{name}: not valid {label} (byte {start}); re-save the file as UTF-8") from None
            break
    else:
        head = data[:4096]
        if len(head) >= 4 and head.count(0) * 3 >= len(head):  # ASCII text in UTF-16 is half NULs
            raise InputError(f"{name}: looks like UTF-16 without a byte-order mark; re-save the file as UTF-8")
    decode_text(data, name=name)  # empty, binary or not UTF-8: refused as any text is
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
_SPELLING = re.compile(r"[\s_.\-]+")
_NAME_COLUMNS = frozenset({"name", "fullname"})
_EMAIL_COLUMNS = frozenset({"email", "emailaddress", "mail", "mailaddress"})


def _column(header: str) -> str:
    """``name``, ``email``, or the extra column's own name: "E-mail", " EMAIL " are ``email``."""
    spelled = _SPELLING.sub("", name_key(header))
    if spelled in _NAME_COLUMNS:
        return "name"
    if spelled in _EMAIL_COLUMNS:
        return "email"
    return " ".join(header.split()).lower()


def _separated_by(cells: list[str]) -> str | None:
    text = "".join(cells)
    return next((word for sep, word in _SEPARATORS.items() if sep in text), None)


def parse_recipients_csv(text: str, origin: str) -> list[_Row]:
    """The rows of a recipients CSV, or an :class:`InputError` naming the first bad line."""
    reader = csv.reader(io.StringIO(text), strict=True)
    columns: list[str] | None = None
    rows: list[_Row] = []
    line = 1  # where the next record starts
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"{origin}, line {line}: not valid CSV ({exc}); is a quote unbalanced?") from None
        at, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if reader.line_num > at:
            raise InputError(
                f"{origin}, line {at}: a field runs over {reader.line_num - at + 1} lines; "
                "is a quote unbalanced? (a recipient's fields fit on one line)"
            )
        if columns is None:
            columns = _header(cells, origin, at)
            continue
        sep = _separated_by(cells)
        if len(columns) == 1 and sep:
            raise InputError(f"{origin}, line {at}: the file looks separated by {sep}: save it comma-separated")
        if len(cells) != len(columns):
            hint = f"; the file looks separated by {sep}: save it comma-separated" if sep else ""
            raise InputError(
                f"{origin}, line {at}: {len(cells)} field{'s' * (len(cells) != 1)} where the header has "
                f"{len(columns)} ({', '.join(c or '(blank)' for c in columns)}){hint}"
            )
        values = [c.strip() for c in cells]
        for column, value in zip(columns, values, strict=True):
            problem = name_problem(value)
            if problem:
                raise InputError(f"{origin}, line {at}: the {column or 'unnamed'} field {problem}")
            if value and not column:
                raise InputError(f"{origin}, line {at}: a value ({value[:40]!r}) in a column with no header")
        row = {c: v for c, v in zip(columns, values, strict=True) if c}
        if not row["name"]:
            raise InputError(f"{origin}, line {at}: empty name")
        extra = {k: v for k, v in row.items() if k not in {"name", "email"} and v}
        rows.append(_Row(row["name"], row.get("email"), extra, at))
    if columns is None:
        raise InputError(f"{origin}: the file is empty")
    if not rows:
        raise InputError(f"{origin}: no recipients in the file")
    return rows


def _header(cells: list[str], origin: str, line: int) -> list[str]:
    where = f"{origin}, line {line}"
    sep = _separated_by(cells) if len(cells) == 1 else None
    if sep:
        raise InputError(f"{where}: the header {cells[0]!r} looks separated by {sep}: save the file comma-separated")
    columns = [_column(c) for c in cells]
    spelled = [_SPELLING.sub("", name_key(c)) for c in cells]
    for raw, column, plain in zip(cells, columns, spelled, strict=True):
        problem = name_problem(raw)
        if problem:
            raise InputError(f"{where}: the column {raw.strip()!r} {problem}")
        if column not in {"name", "email"} and "email" in plain:
            # Silently kept as an extra column, every address would be lost.
            raise InputError(f"{where}: is the column {raw.strip()!r} the e-mail address? Call it 'email'")
    named = [c for c in columns if c]
    if len(set(named)) != len(named):
        twice = sorted({c for c in named if named.count(c) > 1})
        raise InputError(f"{where}: the header has more than one {', '.join(map(repr, twice))} column")
    if "name" not in columns:
        split = " (first and last names go together in one 'name' column)" if "firstname" in spelled else ""
        raise InputError(
            f"{where}: the header must have a 'name' column{split} "
            f"(got {', '.join(c.strip() for c in cells) or 'none'})"
        )
    return columns
