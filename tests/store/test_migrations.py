"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from barium.store import Base, Database, upgrade
from barium.store.db import alembic_config
from barium.text.names import name_key


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(db.engine)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.dispose()
    assert diff == []


def test_upgrading_twice_is_harmless(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(db.engine)
    upgrade(db.engine)
    db.dispose()


def test_names_stored_under_an_older_key_rule_get_todays_key(tmp_path: Path) -> None:
    """Migration 0007: a full-width name stored with a key that kept the width (the rule before
    NFKC) is found by its plain spelling, through the index, after the upgrade."""
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    with db.engine.begin() as conn:
        cfg = alembic_config(db.engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        conn.execute(
            text(
                "INSERT INTO recipients (uid, name, name_key, extra, created_at) "
                "VALUES ('a', :n, :k, '{}', '2026-01-01'), ('b', 'Jo Bloggs', 'jo bloggs', '{}', '2026-01-01')"
            ),
            {"n": "\uff33\uff41\uff4d \u200bName", "k": "\uff53\uff41\uff4d \u200bname"},
        )
    upgrade(db.engine)
    with db.engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT uid, name_key FROM recipients")).all())
    db.dispose()
    assert keys == {"a": name_key("Sam Name"), "b": "jo bloggs"} and keys["a"] == "sam name"
