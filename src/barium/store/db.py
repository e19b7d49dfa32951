"""Engine, units of work and schema upgrades (Alembic, run programmatically).

Writes are serialised: on SQLite every write unit starts with ``BEGIN IMMEDIATE``
(one writer at a time; the others wait up to the busy timeout), on PostgreSQL
services lock the rows they derive numbers from. What still collides (two
writers racing for one unique row) surfaces as :class:`~barium.errors.Conflict`,
never as a driver's ``IntegrityError``. Reads use deferred transactions and never
block a writer (WAL).

The schema is upgraded only on purpose (``barium init`` and ``barium db upgrade``);
opening a workspace whose schema is older is refused with the command to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from barium.errors import Conflict, WorkspaceError

BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another to finish
READ = "barium_read"  # execution option: a read-only unit (deferred transaction)


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL, foreign keys and a busy timeout."""
    try:
        engine = create_engine(url, future=True)
    except Exception as exc:  # bad URL or missing driver
        # The URL may hold a password: never show it, in the URL nor in the driver's message.
        from urllib.parse import unquote

        netloc = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0]
        password = netloc.rpartition("@")[0].partition(":")[2]
        shown, reason = url, str(exc)
        for secret in {password, unquote(password)} - {""}:
            shown, reason = shown.replace(secret, "***"), reason.replace(secret, "***")
        raise WorkspaceError(f"cannot use database {shown!r}: {reason}") from None
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Barium issues BEGIN itself (below): the driver's own is deferred and late.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # FULL: a commit survives a power cut. An issuance row must be on disk before
            # the copy's bytes are (NORMAL in WAL mode may lose the last commits).
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            # A write takes the lock up front, so that two writers never both read
            # "max + 1" and never deadlock upgrading a read lock.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ) else "BEGIN IMMEDIATE")

    return engine


def alembic_config_static() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("barium.store").joinpath("migrations")))
    return cfg


def alembic_config(engine: Engine) -> Config:
    cfg = alembic_config_static()
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (an explicit step: init and ``barium db upgrade``)."""
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            if sqlite:
                # Batch migrations rebuild a table by dropping it; with foreign keys on,
                # that drop would cascade and delete every issuance row. The pragma only
                # works outside a transaction, so it goes to the driver directly.
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    cfg = alembic_config(engine)
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise WorkspaceError("the upgrade would break a reference between tables; nothing was changed")
            finally:
                if sqlite:
                    conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    except OperationalError as exc:
        raise WorkspaceError(f"cannot open or upgrade the database: {exc.orig}") from None


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config_static())
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect().execution_options(**{READ: True}) as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise WorkspaceError(f"cannot open the database: {exc.orig}") from None


def check_revision(engine: Engine) -> None:
    """Refuse a schema other than this release's: older needs an upgrade, newer a newer Barium."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config_static()).walk_revisions()}
    if current in known:
        raise WorkspaceError(
            f"the database schema is at revision {current}, this Barium needs {head}: back up the database, "
            "then run `barium db upgrade`"
        )
    raise WorkspaceError(f"the database schema (revision {current}) was made by a newer Barium; upgrade Barium")


def has_schema(engine: Engine) -> bool:
    try:
        return "documents" in inspect(engine).get_table_names()
    except OperationalError as exc:
        raise WorkspaceError(f"cannot open the database: {exc.orig}") from None


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine.execution_options(**{READ: True}), expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A write unit of work: one transaction, committed on success, rolled back on any error.

        A uniqueness race lost to another writer becomes :class:`Conflict`; a lock
        not granted within the busy timeout too.
        """
        session = self._sessions()
        try:
            yield session
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            raise Conflict(
                f"another change to the same record happened at the same time; try again ({_why(exc)})"
            ) from None
        except OperationalError as exc:
            session.rollback()
            if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                raise Conflict("the workspace is busy with another writer; try again") from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work: a snapshot that never blocks a writer; nothing is committed.

        Closing (no rollback, which would expire them) leaves the rows read usable,
        detached, for the CPU-bound work that follows outside the transaction.
        """
        session = self._read_sessions()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _why(exc: IntegrityError) -> str:
    """The constraint that failed, without the statement or its parameters (which may quote a master)."""
    return str(exc.orig).splitlines()[0][:200]
