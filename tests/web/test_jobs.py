"""Jobs survive their server: a server killed mid-job loses no record and half-applies nothing."""

from __future__ import annotations

import csv
import io
import os
import signal
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from barium.access import Role
from barium.services import Barium
from barium.store import Issuance
from tests.conftest import FIXTURES
from tests.web.browser import free_port, serve_process

PEOPLE = 1500


@pytest.mark.slow
def test_a_server_killed_mid_job_leaves_its_record_and_a_consistent_issue(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["name", "email"])
    writer.writerows([f"Person {i:04d}", f"p{i:04d}@example.org"] for i in range(PEOPLE))
    (tmp_path / "people.csv").write_text(rows.getvalue())
    with Barium.init(home) as b:
        b.documents.add(FIXTURES / "memo.txt", title="Release")
        b.recipients.import_csv(tmp_path / "people.csv")
        b.users.add("dee", roles=[Role.DISTRIBUTOR.value], password="correct horse battery")
        token, _ = b.users.make_token("dee")
    auth = {"Authorization": f"Bearer {token}"}
    port = free_port()
    server = serve_process(home, port)
    try:
        base = f"http://127.0.0.1:{port}"
        job = httpx.post(f"{base}/api/documents/1/issue", json={"all": True}, headers=auth).json()
        while True:  # kill it mid-way, once some copies are recorded
            state = httpx.get(f"{base}/api/jobs/{job['id']}", headers=auth).json()
            assert state["state"] in ("queued", "running"), state
            if state["done"] >= 100:
                break
            time.sleep(0.02)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()

    with Barium.open(home) as b:
        killed = b.jobs.get(job["id"])
        assert killed.state == "running"  # as the dead server left it
        with b.ctx.read() as s:
            recorded = {i.recipient_id: i.sha256 for i in s.query(Issuance)}
        assert 100 <= len(recorded) < PEOPLE
    server = serve_process(home, port)  # a new server finds the dead one's job
    try:
        base = f"http://127.0.0.1:{port}"
        state = httpx.get(f"{base}/api/jobs/{job['id']}", headers=auth).json()
        assert state["state"] == "interrupted" and "stopped" in state["message"], state
        # Issuing again finishes the work, and the copies recorded before the crash are the same bytes.
        again = httpx.post(f"{base}/api/documents/1/issue", json={"all": True}, headers=auth).json()
        deadline = time.monotonic() + 300
        while (state := httpx.get(f"{base}/api/jobs/{again['id']}", headers=auth).json())["state"] in (
            "queued",
            "running",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert state["state"] == "done", state
        archive = httpx.get(f"{base}/api/jobs/{again['id']}/download", headers=auth)
        names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
        assert len([n for n in names if n.endswith(".txt")]) == PEOPLE
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    with Barium.open(home) as b:
        with b.ctx.read() as s:
            after = {i.recipient_id: i.sha256 for i in s.query(Issuance)}
        assert len(after) == PEOPLE and all(after[r] == sha for r, sha in recorded.items())
        assert b.audit.verify().intact
        jobs = [e.action for e in b.audit.entries(action="job.")]
        assert jobs == ["job.submit", "job.interrupted", "job.submit", "job.done"]
        assert len(b.audit.entries(action="copy.download", limit=10_000)) == PEOPLE
