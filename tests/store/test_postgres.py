"""The same workflow on PostgreSQL (the team option), in a throwaway schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from barium.services import Barium
from tests.conftest import add_people

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url() -> Iterator[str]:
    schema = f"barium_test_{uuid.uuid4().hex[:10]}"
    try:
        engine = create_engine(PG)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432: {exc.orig}")
    yield f"{PG}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_register_issue_and_trace_on_postgresql(tmp_path: Path, pg_url: str, memo: Path) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    (home / "barium.toml").write_text(f'database_url = "{pg_url}"\n')
    with Barium.init(home) as b:
        assert b.ws.db.engine.dialect.name == "postgresql"
        doc = b.documents.add(memo, title="Release")
        add_people(b, 25)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
        result = b.tracing.trace(copies[11].text)
        assert result.verdict == "identified"
        assert [a.recipient for a in result.accused] == [copies[11].recipient.name]
    with Barium.open(home) as b:
        assert [d.title for d in b.documents.list()] == ["Release"]
        assert len(b.recipients.list()) == 25
        log = b.audit.entries(limit=1000)
        assert [e.action for e in log[:2]] == ["workspace.create", "document.add"]
        assert len([e for e in log if e.action == "copy.issue"]) == 25
        assert all(e.at.tzinfo is not None for e in log)


def test_a_case_and_its_report_on_postgresql(tmp_path: Path, pg_url: str, memo: Path) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    (home / "barium.toml").write_text(f'database_url = "{pg_url}"\n')
    with Barium.init(home) as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 12)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
        case = b.cases.open("Leak on PostgreSQL", doc=doc.id)
        first = b.cases.attach(case.id, text=copies[5].text)
        assert b.cases.attach(case.id, text=copies[5].text).linked
        _, result = b.cases.trace(case.id)
        assert [a.recipient for a in result.accused] == [copies[5].recipient.name]
        b.cases.refer(case.id, to="professional-responsibility", note="normal procedures")
        b.cases.refer(case.id, to="inspector-general")
        b.cases.close(case.id, finding="substantiated")
        info = b.reports.write(case.id, tmp_path / "report.html")
        assert info.names and copies[5].recipient.name in (tmp_path / "report.html").read_text()
    with Barium.open(home) as b:
        f = b.cases.get(case.id)
        assert f.case.status == "closed (substantiated)" and f.evidence[0].id == first.id and f.evidence[0].intact
        assert [e.kind for e in f.events] == ["open", "attach", "attach", "trace", "refer", "refer", "close", "report"]
        assert b.audit.verify().intact
