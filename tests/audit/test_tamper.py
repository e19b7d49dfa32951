"""Any change to the audit log in the database is found, and named where it was made.

Random edits, deletions, insertions, reorderings and truncations of a real workspace's
log, on SQLite and on PostgreSQL, as someone with write access to the database could
make them: with the hashes left as they were, or recomputed (SHA-256 and the leaf format
are public; only the seal's key is not). Each trial is checked, then undone.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from barium.audit import EntryFields, Frontier
from barium.errors import IntegrityFailure
from barium.services import Barium
from tests.store.test_postgres import pg_url  # noqa: F401  (a fixture: a throwaway PostgreSQL schema)

COLUMNS = ("id", "seq", "at", "actor_kind", "actor", "action", "subject", "details", "leaf", "root", "seal")
CONTENT = ("at", "actor_kind", "actor", "action", "subject", "details")
TRIALS = 1000


@dataclass
class Log:
    b: Barium
    rows: list[dict[str, object]]
    head: str
    heads: dict[int, str]  # the sealed head as it was at each size: what a rollback restores
    witness: Path  # a checkpoint exported when the log had ``checkpoint_size`` entries
    checkpoint_size: int

    @property
    def n(self) -> int:
        return len(self.rows)


def _head(conn: Connection) -> str:
    return str(conn.execute(text("SELECT value FROM workspace_meta WHERE name = 'audit.head'")).scalar_one())


def build(home: Path) -> Log:
    b = Barium.init(home)
    heads: dict[int, str] = {}
    for i in range(34):
        b.recipients.add(f"Person {i:03d}", email=f"p{i:03d}@example.org")
        with b.ws.db.engine.connect() as conn:
            heads[i + 2] = _head(conn)
    witness = home.parent / "checkpoint.json"
    point = b.audit.checkpoint(out=witness)
    b.recipients.add("Late Person", email="late@example.org")
    with b.ws.db.engine.connect() as conn:
        rows = [
            dict(r) for r in conn.execute(text(f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY seq")).mappings()
        ]
        head = _head(conn)
    assert b.audit.verify(witnesses=[witness]).intact
    return Log(b, rows, head, heads, witness, point.size)


def restore(log: Log) -> None:
    with log.b.ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
        conn.execute(
            text(f"INSERT INTO audit_log ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"),
            log.rows,
        )
        conn.execute(text("UPDATE workspace_meta SET value = :v WHERE name = 'audit.head'"), {"v": log.head})


def _fields(row: dict[str, object], seq: int) -> EntryFields:
    at = row["at"]
    moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return EntryFields(seq, moment, *(str(row[c]) for c in CONTENT[1:]))  # type: ignore[arg-type]


def _set_seq(conn: Connection, old: int, new: int) -> None:
    conn.execute(text("UPDATE audit_log SET seq = :new WHERE seq = :old"), {"new": new, "old": old})


def _shift(conn: Connection, start: int, by: int) -> None:
    """Renumber every entry from ``start`` on by ``by`` (through a free range: seq is unique)."""
    conn.execute(text("UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= :s"), {"s": start})
    conn.execute(text("UPDATE audit_log SET seq = seq - 1000000 + :by WHERE seq >= 1000000"), {"by": by})


def _rehash(conn: Connection, log: Log, seq: int, row: dict[str, object], *, roots: bool) -> None:
    """What an attacker who knows the format does: recompute the leaf (and the roots after it)."""
    conn.execute(text("UPDATE audit_log SET leaf = :l WHERE seq = :s"), {"l": _fields(row, seq).leaf().hex(), "s": seq})
    if roots:
        frontier = Frontier()
        current = conn.execute(text(f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY seq")).mappings().all()
        for r in current:
            frontier.append(_fields(dict(r), int(r["seq"])).leaf())
            conn.execute(
                text("UPDATE audit_log SET root = :r WHERE seq = :s"), {"r": frontier.root().hex(), "s": r["seq"]}
            )


Expected = tuple[set[str], int | None]  # the kinds that would name it right, and where


def tamper_edit(conn: Connection, log: Log, rng: random.Random, dialect: str) -> Expected:
    k = rng.randrange(log.n)
    column = rng.choice(CONTENT)
    row = dict(log.rows[k])
    if column == "at":
        moment = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
        value: object = moment.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else moment
        row["at"] = moment
    elif column == "details":
        value = json.dumps({"name": "Someone Else"})
    else:
        value = f"{row[column]}x"
    row[column] = value if column != "at" else row["at"]
    conn.execute(text(f"UPDATE audit_log SET {column} = :v WHERE seq = :s"), {"v": value, "s": k})
    how = rng.choice(["as is", "leaf", "leaf and roots"])
    if how != "as is":
        _rehash(conn, log, k, row, roots=how == "leaf and roots")
    return {"edited"}, k


def tamper_delete(conn: Connection, log: Log, rng: random.Random, dialect: str) -> Expected:
    k = rng.randrange(log.n)
    conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": k})
    if k == log.n - 1:
        return {"truncated"}, k
    if rng.random() < 0.5:
        _shift(conn, k + 1, -1)  # and close the gap
        return {"reordered", "deleted"}, k
    return {"deleted"}, k


def tamper_insert(conn: Connection, log: Log, rng: random.Random, dialect: str) -> Expected:
    k = rng.randrange(log.n + 1)
    model = dict(rng.choice(log.rows))
    if k < log.n:
        _shift(conn, k, +1)
    leaf = _fields(model, k).leaf().hex() if rng.random() < 0.5 else secrets.token_hex(32)
    fake = {
        **model,
        "id": 10_000 + k,
        "seq": k,
        "leaf": leaf,
        "root": secrets.token_hex(32),
        "seal": secrets.token_hex(32),
    }
    conn.execute(
        text(f"INSERT INTO audit_log ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"), fake
    )
    return {"inserted"}, k


def tamper_reorder(conn: Connection, log: Log, rng: random.Random, dialect: str) -> Expected:
    i, j = sorted(rng.sample(range(log.n), 2))
    if rng.random() < 0.5:  # swap their numbers
        _set_seq(conn, i, -7)
        _set_seq(conn, j, i)
        _set_seq(conn, -7, j)
    else:  # swap their contents
        a, b = log.rows[i], log.rows[j]
        for seq, src in ((i, b), (j, a)):
            conn.execute(
                text(f"UPDATE audit_log SET {', '.join(f'{c} = :{c}' for c in CONTENT)} WHERE seq = :seq"),
                {**{c: src[c] for c in CONTENT}, "seq": seq},
            )
    return {"reordered"}, i


def tamper_truncate(conn: Connection, log: Log, rng: random.Random, dialect: str) -> Expected:
    m = rng.randrange(2, log.n)
    conn.execute(text("DELETE FROM audit_log WHERE seq >= :m"), {"m": m})
    if m < log.checkpoint_size and m in log.heads and rng.random() < 0.5:
        # A rollback: the sealed head as it was at m entries, and no stored checkpoint.
        # Consistent inside the database; only the exported checkpoint still tells (what
        # was cut after the last checkpoint no one can tell: checkpoint often).
        conn.execute(text("UPDATE workspace_meta SET value = :v WHERE name = 'audit.head'"), {"v": log.heads[m]})
        conn.execute(text("DELETE FROM audit_checkpoints"))
    return {"truncated"}, m


def tamper_head(conn: Connection, log: Log, rng: random.Random, dialect: str) -> Expected:
    head = json.loads(log.head)
    head["size"] += rng.choice([-1, 1])
    conn.execute(text("UPDATE workspace_meta SET value = :v WHERE name = 'audit.head'"), {"v": json.dumps(head)})
    return {"head"}, None


TAMPERS: list[Callable[[Connection, Log, random.Random, str], Expected]] = [
    tamper_edit,
    tamper_delete,
    tamper_insert,
    tamper_reorder,
    tamper_truncate,
    tamper_head,
]


def run_trials(log: Log, trials: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    dialect = log.b.ws.db.engine.dialect.name
    found: dict[str, int] = {}
    for trial in range(trials):
        tamper = TAMPERS[trial % len(TAMPERS)]
        with log.b.ws.db.engine.begin() as conn:
            kinds, where = tamper(conn, log, rng, dialect)
        result = log.b.audit.verify(witnesses=[log.witness])
        assert not result.intact, (trial, tamper.__name__)
        places = [p.seq for p in result.problems if p.seq is not None]
        if where is None:
            assert any(p.kind in kinds for p in result.problems), (tamper.__name__, result.problems)
        else:
            assert min(places) == where, (trial, tamper.__name__, where, result.problems)
            assert any(p.seq == where and p.kind in kinds for p in result.problems), (
                tamper.__name__,
                where,
                result.problems,
            )
        found[tamper.__name__] = found.get(tamper.__name__, 0) + 1
        restore(log)
        _restore_checkpoints(log)
        if trial % 100 == 0:
            assert log.b.audit.verify(witnesses=[log.witness]).intact
    return found


def _restore_checkpoints(log: Log) -> None:
    point = json.loads(log.witness.read_text())
    with log.b.ws.db.engine.begin() as conn:
        if conn.execute(text("SELECT count(*) FROM audit_checkpoints")).scalar_one() == 0:
            conn.execute(
                text(
                    "INSERT INTO audit_checkpoints (origin, size, root, time, public_key, signature) "
                    "VALUES (:origin, :size, :root, :time, :public_key, :signature)"
                ),
                {k: point[k] for k in ("origin", "size", "root", "time", "public_key", "signature")},
            )


@pytest.fixture
def sqlite_log(tmp_path: Path) -> Iterator[Log]:
    log = build(tmp_path / "ws")
    yield log
    log.b.close()


@pytest.fixture
def postgres_log(tmp_path: Path, pg_url: str) -> Iterator[Log]:  # noqa: F811
    home = tmp_path / "ws"
    home.mkdir()
    (home / "barium.toml").write_text(f'database_url = "{pg_url}"\n')
    log = build(home)
    yield log
    log.b.close()


def test_every_random_tampering_of_a_sqlite_log_is_found_and_located(sqlite_log: Log) -> None:
    found = run_trials(sqlite_log, TRIALS, seed=1)
    assert sum(found.values()) == TRIALS and len(found) == len(TAMPERS)


def test_every_random_tampering_of_a_postgresql_log_is_found_and_located(postgres_log: Log) -> None:
    found = run_trials(postgres_log, TRIALS, seed=2)
    assert sum(found.values()) == TRIALS and len(found) == len(TAMPERS)


def test_a_rolled_back_log_passes_inside_the_database_but_not_against_an_exported_checkpoint(sqlite_log: Log) -> None:
    log = sqlite_log
    with log.b.ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq >= 20"))
        conn.execute(text("UPDATE workspace_meta SET value = :v WHERE name = 'audit.head'"), {"v": log.heads[20]})
        conn.execute(text("DELETE FROM audit_checkpoints"))
    assert log.b.audit.verify().intact  # what the database alone can tell: nothing
    outside = log.b.audit.verify(witnesses=[log.witness])
    assert [(p.kind, p.seq) for p in outside.problems] == [("truncated", 20)]


def test_a_log_whose_head_is_gone_refuses_new_entries_rather_than_renumber(sqlite_log: Log) -> None:
    with sqlite_log.b.ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM workspace_meta WHERE name = 'audit.head'"))
    with pytest.raises(IntegrityFailure, match="head is missing"):
        sqlite_log.b.recipients.add("Another Person")
    assert "Another Person" not in [r.name for r in sqlite_log.b.recipients.list()]
