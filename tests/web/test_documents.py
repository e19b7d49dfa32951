"""Documents through the web: upload, issue as a job, download (audited), trace the copy."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from barium.access import Role
from tests.conftest import FIXTURES, add_people
from tests.web.conftest import Site


def test_upload_issue_download_and_trace_a_copy(web: Site) -> None:
    add_people(web.b, 6)
    dist = web.login(Role.DISTRIBUTOR)
    memo = (FIXTURES / "memo.txt").read_bytes()
    r = dist.post("/documents", {"title": "Release"}, files={"file": ("memo.txt", memo, "text/plain")})
    assert r.status_code == 200 and r.url.path == "/documents/1"
    assert "Release" in r.text and "mark sites" in r.text
    r = dist.post("/documents/1/issue", {"all": "on"})
    assert r.url.path == "/jobs/1"
    job = web.wait_job(dist.client, 1)
    assert job["state"] == "done", job
    assert "6 copies of “Release” version 1" in dist.get("/jobs/1").text
    r = dist.get("/jobs/1/download")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    copies = sorted(n for n in archive.namelist() if n.endswith(".txt"))
    assert len(copies) == 6 and "manifest.csv" in archive.namelist()
    downloads = web.b.audit.entries(action="copy.download")
    assert len(downloads) == 6 and {e.actor for e in downloads} == {"distributor-user"}
    # Each copy taken is on record under its recipient: a case's report finds who else handled it.
    person = web.b.recipients.list()[2]
    handled = web.b.audit.about_recipient(person.id, action="copy.")
    assert [e.action for e in handled] == ["copy.issue", "copy.download"]

    # The investigator traces one copy, pasted; the distributor's own download is no evidence of theirs.
    inv = web.login(Role.INVESTIGATOR)
    leak = archive.read(copies[2]).decode()
    r = inv.post("/trace", {"text": leak})
    assert r.status_code == 200 and "Verdict: identified" in r.text and "Person 002" in r.text
    # Investigators may not download a recipient's copy, even with the job's number.
    assert inv.get("/jobs/1/download").status_code == 404


def test_a_master_that_is_not_a_master_is_refused_with_nothing_stored(web: Site, tmp_path: Path) -> None:
    dist = web.login(Role.DISTRIBUTOR)
    r = dist.post("/documents", {"title": "x"}, files={"file": ("plan.exe", b"MZ\x90\x00" * 100, "application/x")})
    assert r.status_code == 400 and "a master is a .txt, .md or .docx file" in r.text
    r = dist.post("/documents", {"title": "x"}, files={"file": ("plan.docx", b"PK\x03\x04 not a zip", "application/x")})
    assert r.status_code in (400, 415) and "Traceback" not in r.text
    assert web.b.documents.list() == []


def test_a_new_version_is_said_and_the_same_file_again_is_said_to_change_nothing(web: Site, tmp_path: Path) -> None:
    dist = web.login(Role.DISTRIBUTOR)
    memo = (FIXTURES / "memo.txt").read_bytes()
    dist.post("/documents", {"title": "Release"}, files={"file": ("memo.txt", memo, "text/plain")})
    r = dist.post("/documents/1/versions", files={"file": ("memo.txt", memo, "text/plain")})
    assert "no new version" in r.text and web.b.documents.get(1).versions == 1
    r = dist.post("/documents/1/versions", files={"file": ("memo.txt", memo + b"\nOne more line.\n", "text/plain")})
    assert "Registered version 2" in r.text and web.b.documents.get(1).versions == 2
