"""A workspace: one folder holding the database, the secret key and settings.

Resolved from ``--home``, else ``$BARIUM_HOME``, else the per-user data folder.
The key file is created with mode 0600 and never printed or logged; every mark
and every code symbol derives from it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from barium.errors import Conflict, WorkspaceError
from barium.settings import Settings, load_settings
from barium.store import Database, has_schema, upgrade

KEY_FILE = "secret.key"
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
    settings: Settings
    db: Database
    key: bytes

    @classmethod
    def create(cls, home: Path | str | None = None) -> Workspace:
        """Make a new workspace: folder, secret key (0600) and database schema."""
        path = resolve_home(home)
        key_path = path / KEY_FILE
        if key_path.exists():
            raise Conflict(f"a workspace already exists at {path}")
        path.mkdir(parents=True, exist_ok=True)
        settings = load_settings(path)
        db = Database(_database_url(path, settings))
        upgrade(db.engine)
        # O_EXCL: never overwrite a key, even in a race with another `init`.
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        return cls(path, settings, db, _read_key(key_path))

    @classmethod
    def open(cls, home: Path | str | None = None) -> Workspace:
        path = resolve_home(home)
        key_path = path / KEY_FILE
        if not key_path.is_file():
            raise WorkspaceError(f"no workspace at {path}; run `barium init` first (or pass --home)")
        settings = load_settings(path)
        db = Database(_database_url(path, settings))
        if not has_schema(db.engine):
            raise WorkspaceError(f"the database of {path} has no Barium tables; run `barium init`")
        upgrade(db.engine)
        return cls(path, settings, db, _read_key(key_path))

    def close(self) -> None:
        self.db.dispose()


def _database_url(home: Path, settings: Settings) -> str:
    return settings.database_url or f"sqlite:///{home / DB_FILE}"


def _read_key(path: Path) -> bytes:
    try:
        raw = path.read_text("ascii").strip()
        key = bytes.fromhex(raw)
    except (OSError, ValueError, UnicodeDecodeError):
        raise WorkspaceError(f"the key file {path} is unreadable or damaged") from None
    if len(key) < 16:
        raise WorkspaceError(f"the key file {path} is too short")
    return key
