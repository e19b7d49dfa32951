"""A team's server: several server processes over one PostgreSQL database (and over SQLite),
hit by many clients at once. No write is lost or doubled, no job runs twice, and a lockout
holds across processes."""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from barium.access import Role
from barium.services import Barium
from barium.store import Issuance, Job
from tests.conftest import FIXTURES
from tests.web.browser import free_port, serve_process

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WORKERS = 3
CLIENTS = 12
EACH = 15


@pytest.fixture(params=["sqlite", "postgresql"])
def home(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "ws"
    schema = f"barium_team_{uuid.uuid4().hex[:10]}"
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
        b.documents.add(FIXTURES / "memo.txt", title="Release")
        b.users.add("dee", roles=[Role.DISTRIBUTOR.value, Role.INVESTIGATOR.value], password="correct horse battery")
    yield home
    if engine is not None:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.mark.slow
def test_many_clients_on_several_server_processes_lose_and_double_nothing(home: Path) -> None:
    with Barium.open(home) as b:
        token, _ = b.users.make_token("dee", role="distributor")
        inv, _ = b.users.make_token("dee", role="investigator")
    port = free_port()
    server = serve_process(home, port, WORKERS)
    base = f"http://127.0.0.1:{port}"
    try:

        def client(n: int) -> list[int]:
            statuses = []
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
                for i in range(EACH):
                    r = c.post(
                        "/api/recipients", json={"name": f"Person {n:02d}-{i:02d}", "email": f"p{n}.{i}@example.org"}
                    )
                    statuses.append(r.status_code)
                # The same name and e-mail from every client at once: exactly one may win.
                statuses.append(
                    c.post("/api/recipients", json={"name": "Same One", "email": "same@example.org"}).status_code
                )
            return statuses

        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(client, range(CLIENTS)))
        assert all(s == 201 for r in results for s in r[:-1])
        assert sorted(r[-1] for r in results) == [201] + [409] * (CLIENTS - 1)

        # Jobs submitted to every process at once: each claimed and run exactly once.
        def submit(_n: int) -> int:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
                job_id: int = c.post("/api/documents/1/issue", json={"all": True}).json()["id"]
                return job_id

        with ThreadPoolExecutor(6) as pool:
            jobs = list(pool.map(submit, range(6)))
        deadline = time.monotonic() + 300
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            while any(c.get(f"/api/jobs/{j}").json()["state"] in ("queued", "running") for j in jobs):
                assert time.monotonic() < deadline
                time.sleep(0.3)
            assert {c.get(f"/api/jobs/{j}").json()["state"] for j in jobs} == {"done"}
        # Several investigators tracing at once, on every process.
        copy = next((home / "jobs" / str(jobs[0]) / "copies").glob("*.txt")).read_text()
        with (
            httpx.Client(base_url=base, headers={"Authorization": f"Bearer {inv}"}, timeout=120) as c,
            ThreadPoolExecutor(4) as pool,
        ):
            verdicts = list(pool.map(lambda _: c.post("/api/trace", json={"text": copy}).json()["verdict"], range(8)))
        assert verdicts == ["identified"] * 8
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)

    with Barium.open(home) as b:
        people = b.recipients.list()
        assert len(people) == CLIENTS * EACH + 1
        with b.ctx.read() as s:
            issued = list(s.query(Issuance))
            ran = list(s.query(Job))
        assert len(issued) == len(people)  # six jobs issued the same copies: recorded once each
        assert len({i.recipient_id for i in issued}) == len(people)
        done = b.audit.entries(action="job.done", limit=1000)
        assert sorted(int(e.subject.split()[1]) for e in done) == sorted(jobs)  # each ran once
        assert len({j.worker for j in ran}) >= 1
        assert b.audit.verify().intact


@pytest.mark.slow
def test_a_lockout_holds_across_server_processes(home: Path) -> None:
    port = free_port()
    server = serve_process(home, port, WORKERS)
    base = f"http://127.0.0.1:{port}"
    try:
        with Barium.open(home) as b:
            attempts = b.ctx.settings.web_login_attempts
        codes = []
        # New connections, landing on different processes: wrong passwords, then the right one.
        for password in ["wrong password!"] * attempts + ["correct horse battery"] * 2:
            with httpx.Client(base_url=base) as c:
                page = c.get("/login")
                token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
                c.cookies.set("__Host-barium-login", page.cookies["__Host-barium-login"], domain="127.0.0.1")
                codes.append(
                    c.post("/login", data={"username": "dee", "password": password, "csrf": token}).status_code
                )
        assert codes == [401] * (attempts + 2)  # the right password too: the lockout holds on every process
        with Barium.open(home) as b:
            assert b.users.get("dee").locked_until is not None
            assert len(b.audit.entries(action="login.locked")) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
