"""Several processes writing to one workspace at once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from barium.services import Barium
from barium.store import DocumentVersion, Issuance
from tests.conftest import add_people

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WORKER = Path(__file__).with_name("_worker.py")


@pytest.fixture(params=["sqlite", "postgresql"])
def home(request: pytest.FixtureRequest, tmp_path: Path, memo: Path) -> Iterator[Path]:
    home = tmp_path / "ws"
    schema = f"barium_conc_{uuid.uuid4().hex[:10]}"
    engine = None
    if request.param == "postgresql":
        engine = create_engine(PG)
        try:
            with engine.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        except OperationalError as exc:
            pytest.fail(f"PostgreSQL must run at 127.0.0.1:5432 for these tests: {exc.orig}")
        home.mkdir()
        (home / "barium.toml").write_text(f'database_url = "{PG}?options=-csearch_path%3D{schema}"\n')
    with Barium.init(home) as b:
        b.documents.add(memo, title="Release")
        add_people(b, 20)
    yield home
    if engine is not None:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def run_together(home: Path, *roles: tuple[str, int]) -> list[int]:
    """Start every worker at once; each must finish cleanly. Returns their Conflict counts."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(home), role, str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role, rounds in roles
    ]
    conflicts = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        conflicts.append(int(out.strip()))
    return conflicts


def test_two_processes_adding_versions_at_once_number_them_without_gaps_or_twins(home: Path) -> None:
    conflicts = run_together(home, ("versions", 6), ("versions", 6))
    assert conflicts == [0, 0], "writers are serialised: they wait for each other, none is refused"
    with Barium.open(home) as b, b.ws.db.read() as s:
        numbers = sorted(s.scalars(select(DocumentVersion.version)))
    assert numbers == list(range(1, 14))


def test_two_processes_issuing_and_one_tracing_at_once_record_each_copy_once(home: Path) -> None:
    conflicts = run_together(home, ("issue", 3), ("issue", 3), ("trace", 3), ("recipients", 5))
    assert conflicts == [0, 0, 0, 0]
    with Barium.open(home) as b, b.ws.db.read() as s:
        rows = s.execute(select(Issuance.recipient_id, func.count()).group_by(Issuance.recipient_id)).all()
        assert rows and all(n == 1 for _, n in rows)
        assert len(rows) >= 20
        assert len({r.sha256 for r in s.scalars(select(Issuance))}) == len(rows)
