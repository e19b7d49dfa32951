"""A workspace: one folder holding the database, the secret key and settings.

Resolved from ``--home``, else ``$BARIUM_HOME``, else the per-user data folder.
The key file is created with mode 0600 and never printed or logged; every mark
and every code symbol derives from it.

Beside it, ``audit.key`` (0600 too) is the Ed25519 key the audit log's checkpoints
are signed with (:mod:`barium.audit`); its public half is recorded in the database,
so that every home sharing one PostgreSQL database signs as the same log.

The database holds the confidential masters in clear, so the folder is created
0700 and ``barium.db`` 0600 (SQLite gives its ``-wal`` and ``-shm`` files the
database file's mode). Opening refuses a key or database file that other users
may read or write, and a folder or ``barium.toml`` that they may write (whoever
can write ``barium.toml`` can switch the channels off), each with the chmod
that mends it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from barium.audit.checkpoint import public_key_of
from barium.audit.log import seal_unsealed
from barium.audit.seal import mac_key
from barium.errors import Conflict, WorkspaceError
from barium.settings import Settings, load_settings
from barium.store import Database, WorkspaceMeta, check_revision, has_schema, upgrade
from barium.store.db import head_revision

KEY_FILE = "secret.key"
AUDIT_KEY_FILE = "audit.key"
DB_FILE = "barium.db"


def resolve_home(home: Path | str | None = None) -> Path:
    if home is not None:
        return Path(home).expanduser()
    env = os.environ.get("BARIUM_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("barium", appauthor=False))


@dataclass
class Workspace:
    home: Path
    # Out of repr: the key must never be printed, nor the database URL (it may hold a password).
    settings: Settings = field(repr=False)
    db: Database = field(repr=False)
    key: bytes = field(repr=False)
    audit_key: bytes = field(repr=False)  # the Ed25519 seed checkpoints are signed with

    @property
    def key_fingerprint(self) -> str:
        """A fingerprint of the key that reveals nothing about it (what the database stores)."""
        return _key_id(self.key)

    @classmethod
    def create(cls, home: Path | str | None = None) -> Workspace:
        """Make a new workspace: folder, secret key (0600) and database schema."""
        path = resolve_home(home)
        key_path = path / KEY_FILE
        if key_path.exists():
            raise Conflict(f"a workspace already exists at {path}")
        if not path.exists() or (path.is_dir() and not any(path.iterdir())):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.chmod(0o700)  # mkdir's mode is filtered by the umask, and an empty folder is ours
        settings = load_settings(path)
        db = Database(_database_url(path, settings))
        try:
            _create_private(_sqlite_file(db))
            _check_private(path, db)
        except BaseException:
            db.dispose()
            raise
        upgrade(db.engine)
        if _stored_key_id(db) is not None:
            db.dispose()
            raise Conflict(
                "this database already belongs to a workspace with its own key; copy that "
                f"workspace's {KEY_FILE} and {AUDIT_KEY_FILE} into {path} instead of running init"
            )
        _write_new_key(key_path)
        key = _read_key(key_path)
        _check_key(db, key)
        audit_key = _audit_key(path, create=True)
        _check_audit_key(db, audit_key)
        _seal_log(db, key)
        return cls(path, settings, db, key, audit_key)

    @classmethod
    def open(cls, home: Path | str | None = None) -> Workspace:
        path = resolve_home(home)
        key_path = path / KEY_FILE
        if not key_path.is_file():
            raise WorkspaceError(f"no workspace at {path}; run `barium init` first (or pass --home)")
        _refuse_shared(key_path, 0o077, "600")
        settings = load_settings(path)
        db = Database(_database_url(path, settings))
        try:
            _check_private(path, db)
        except WorkspaceError:
            db.dispose()
            raise
        if not has_schema(db.engine):
            db.dispose()
            raise WorkspaceError(f"the database of {path} has no Barium tables; run `barium init`")
        try:
            check_revision(db.engine)
        except WorkspaceError:
            db.dispose()
            raise
        key = _read_key(key_path)
        _check_key(db, key)
        try:
            audit_key = _audit_key(path, create=False)
            _check_audit_key(db, audit_key)
        except WorkspaceError:
            db.dispose()
            raise
        return cls(path, settings, db, key, audit_key)

    @classmethod
    def upgrade(cls, home: Path | str | None = None) -> str:
        """Bring the workspace's database schema to this release's; returns the revision reached."""
        path = resolve_home(home)
        if not (path / KEY_FILE).is_file():
            raise WorkspaceError(f"no workspace at {path}; run `barium init` first (or pass --home)")
        _refuse_shared(path / KEY_FILE, 0o077, "600")
        db = Database(_database_url(path, load_settings(path)))
        try:
            _check_private(path, db)
            if not has_schema(db.engine):
                raise WorkspaceError(f"the database of {path} has no Barium tables; run `barium init`")
            upgrade(db.engine)
            check_revision(db.engine)
            key = _read_key(path / KEY_FILE)
            _check_key(db, key)
            _check_audit_key(db, _audit_key(path, create=True))
            _seal_log(db, key)
            return head_revision()
        finally:
            db.dispose()

    def close(self) -> None:
        self.db.dispose()


def _database_url(home: Path, settings: Settings) -> str:
    return settings.database_url or f"sqlite:///{home / DB_FILE}"


def _sqlite_file(db: Database) -> Path | None:
    """The database file, when the database is one (SQLite, not in memory)."""
    name = db.engine.url.database
    if db.engine.dialect.name != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def _create_private(path: Path | None) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask, often 0644)."""
    if path is not None and not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _check_private(home: Path, db: Database) -> None:
    _refuse_shared(home, 0o022, "go-w")
    _refuse_shared(home / "barium.toml", 0o022, "go-w")
    database = _sqlite_file(db)
    if database is not None:
        for part in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}-journal")):
            _refuse_shared(part, 0o077, "600")


def _refuse_shared(path: Path, forbidden: int, mode: str) -> None:
    """Refuse ``path`` when it has any of the ``forbidden`` permission bits."""
    if os.name == "nt":  # no POSIX modes; the folder's ACL is the user's business
        return
    try:
        bits = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if bits & forbidden:
        who = "read or written" if forbidden & 0o044 else "written"
        raise WorkspaceError(
            f"{path} can be {who} by other users (mode {bits:04o}); it guards confidential masters "
            f"and the marks. Run: chmod {mode} {path}"
        )


def _key_id(key: bytes) -> str:
    """A fingerprint of the key that reveals nothing about it."""
    return hmac.new(key, b"barium workspace key id", hashlib.sha256).hexdigest()[:32]


def _stored_key_id(db: Database) -> str | None:
    with db.read() as session:
        row = session.get(WorkspaceMeta, "key_id")
        return None if row is None else row.value


def _check_key(db: Database, key: bytes) -> None:
    """Refuse a key other than the one this database's copies were made with."""
    stored = _stored_key_id(db)
    if stored is None:
        with db.session() as session:
            session.add(WorkspaceMeta(name="key_id", value=_key_id(key)))
    elif not hmac.compare_digest(stored, _key_id(key)):
        db.dispose()
        raise WorkspaceError(
            "the workspace key does not match the key this database's copies were made with; "
            "tracing with it would find no marks. Restore the original secret.key"
        )


def _write_new_key(path: Path) -> None:
    # O_EXCL: never overwrite a key, even in a race with another `init`.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")


def _audit_key(home: Path, *, create: bool) -> bytes:
    """The audit signing key of ``home``; made when ``create`` and absent (init, upgrade)."""
    path = home / AUDIT_KEY_FILE
    if not path.exists():
        if not create:
            raise WorkspaceError(
                f"the audit signing key {path} is missing: restore it from a backup, or copy it from "
                "the workspace that made the database (the audit log's checkpoints are signed with it)"
            )
        _write_new_key(path)
    _refuse_shared(path, 0o077, "600")
    seed = _read_key(path)
    if len(seed) != 32:
        raise WorkspaceError(f"the key file {path} is not an Ed25519 key (64 hex digits)")
    return seed


def _check_audit_key(db: Database, seed: bytes) -> None:
    """Refuse an audit key other than the one this database's checkpoints are signed with."""
    public = public_key_of(seed)
    with db.read() as session:
        row = session.get(WorkspaceMeta, "audit_public_key")
        stored = None if row is None else row.value
    if stored is None:
        with db.session() as session:
            session.add(WorkspaceMeta(name="audit_public_key", value=public))
    elif stored != public:
        db.dispose()
        raise WorkspaceError(
            f"the audit signing key does not match this database's ({stored[:16]}...): copy the {AUDIT_KEY_FILE} "
            "of the workspace that made the database"
        )


def _seal_log(db: Database, key: bytes) -> None:
    """Give the audit log its head, and seal what an older Barium wrote (:func:`seal_unsealed`)."""
    with db.session() as session:
        seal_unsealed(session, mac_key(key))


def _read_key(path: Path) -> bytes:
    try:
        raw = path.read_text("ascii").strip()
        key = bytes.fromhex(raw)
    except (OSError, ValueError, UnicodeDecodeError):
        raise WorkspaceError(f"the key file {path} is unreadable or damaged") from None
    if len(key) < 16:
        raise WorkspaceError(f"the key file {path} is too short")
    return key
