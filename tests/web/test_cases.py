"""Cases through the web: a real leak from attachment to finding and report, through the pages
and the API; custody downloads audited; auditors read only; the two-person rule."""

from __future__ import annotations

import dataclasses
import hashlib
import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from barium.access import Role
from barium.services import Barium
from barium.web import create_app
from tests.conftest import FIXTURES, add_people
from tests.web.conftest import Site

PR, IG = "professional-responsibility", "inspector-general"


def _leak(site: Site, tmp_path: Path, who: int = 2) -> tuple[int, str, str]:
    """A registered memo issued to six people: its id, and one copy (its recipient, its text)."""
    doc = site.b.documents.add(FIXTURES / "memo.txt", title="Release")
    add_people(site.b, 6)
    copy = site.b.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "c").copies[who]
    return doc.id, copy.recipient.name, copy.text


def _actions(site: Site, action: str) -> list[dict[str, object]]:
    return [e.to_dict() for e in site.b.audit.entries(action=action)]


@pytest.fixture
def ruled(web: Site) -> Iterator[Site]:
    """The same workspace, served with the two-person rule on."""
    ws = dataclasses.replace(web.b.ws, settings=web.b.ws.settings.replace(case_two_person_rule=True))
    site = Site(Barium(ws), create_app(workspace=ws))
    try:
        yield site
    finally:
        for c in site.clients:
            c.__exit__(None, None, None)


def test_a_leak_from_attachment_to_finding_and_report_through_the_pages(web: Site, tmp_path: Path) -> None:
    doc, name, leak = _leak(web, tmp_path)
    inv = web.login(Role.INVESTIGATOR)
    r = inv.post("/cases", {"title": "Leak of the release", "doc": str(doc), "due": "2099-12-31"})
    assert r.status_code == 200 and r.url.path == "/cases/1", r.text
    assert "Leak of the release" in r.text and "2099-12-31" in r.text and "Not traced yet" in r.text

    r = inv.post("/cases/1/attach", {"text": leak})
    sha = hashlib.sha256(leak.encode()).hexdigest()
    assert r.url.path == "/cases/1" and sha in r.text and "intact" in r.text

    r = inv.post("/cases/1/trace")
    assert r.url.path == "/cases/1" and "Verdict: identified" in r.text and name in r.text
    # The chain offers the next step only.
    assert f'<option value="{PR}">' in r.text and f'<option value="{IG}">' not in r.text
    r = inv.post("/cases/1/refer", {"to": PR, "note": "marks read cleanly"})
    assert "referred to professional-responsibility" in r.text and f'<option value="{IG}">' in r.text
    r = inv.post("/cases/1/assign", {"to": "inv2", "due": "2099-06-30", "note": "yours"})
    assert "inv2" in r.text and "2099-06-30" in r.text
    r = inv.post("/cases/1/note", {"text": "Interviewed <b>the</b> recipient."})
    assert html.escape("Interviewed <b>the</b> recipient.") in r.text and "<b>the</b>" not in r.text
    r = inv.post("/cases/1/close", {"finding": "substantiated", "note": "admitted"})
    assert "closed (substantiated)" in r.text
    assert 'action="/cases/1/attach"' not in r.text and 'action="/cases/1/report"' in r.text

    # The history, every step in the audit log naming the web user.
    kinds = [e.kind for e in web.b.cases.get(1).events]
    assert kinds == ["open", "attach", "trace", "refer", "assign", "note", "close"]
    for kind in kinds:
        assert [e["actor"] for e in _actions(web, f"case.{kind}")] == ["web:investigator-user"]

    r = inv.get("/cases?state=closed")
    assert "Leak of the release" in r.text
    assert "Leak of the release" not in inv.get("/cases?state=open").text

    # The evidence, as received, as an attachment never rendered; the download audited.
    r = inv.get("/cases/1/evidence/1")
    assert r.status_code == 200 and r.content == leak.encode()
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == 'attachment; filename="case-1-evidence-1.txt"'
    [taken] = _actions(web, "evidence.download")
    assert taken["actor"] == "web:investigator-user" and taken["subject"] == "case 1"
    assert taken["details"] == {"evidence": 1, "sha256": sha, "intact": True}

    r = inv.post("/cases/1/report", {"format": "pdf"})
    assert r.url.path.startswith("/jobs/"), r.text
    job = web.wait_job(inv.client, int(r.url.path.rsplit("/", 1)[1]))
    assert job["state"] == "done", job
    r = inv.get(f"/jobs/{job['id']}/download")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert [e.kind for e in web.b.cases.get(1).events][-1] == "report"
    assert f"/jobs/{job['id']}" in inv.get("/cases/1").text


def test_refused_steps_say_why_and_change_nothing(web: Site, tmp_path: Path) -> None:
    _, _, leak = _leak(web, tmp_path)
    inv = web.login(Role.INVESTIGATOR)
    inv.post("/cases", {"title": "Refusals"})
    r = inv.post("/cases/1/refer", {"to": IG})
    assert r.status_code == 409 and "it goes to professional-responsibility next" in r.text
    r = inv.post("/cases/1/refer", {"to": "police"})
    assert r.status_code == 400 and "professional-responsibility, inspector-general" in html.unescape(r.text)
    r = inv.post("/cases/1/close", {"finding": "guilty"})
    assert r.status_code == 400 and "substantiated, unsubstantiated, inconclusive" in r.text
    r = inv.post("/cases/1/trace")
    assert r.status_code == 400 and "holds no leak to trace" in r.text
    r = inv.post("/cases/1/attach", {"text": "  "})
    assert r.status_code == 400 and "paste the leaked text or choose a file" in r.text
    r = inv.post("/cases/1/attach", {"text": leak}, files={"file": ("leak.txt", leak.encode(), "text/plain")})
    assert r.status_code == 400 and "one at a time" in r.text
    r = inv.post("/cases/1/assign", {"to": "x", "due": "next week"})
    assert r.status_code == 400 and "is not a date" in r.text
    r = inv.post("/cases", {"title": "   "})
    assert r.status_code == 400 and "a case needs a title" in r.text
    assert inv.get("/cases?state=bogus").status_code == 400
    case = web.b.cases.get(1)
    assert case.case.state == "open" and case.case.assignee is None and case.evidence == []
    assert [e.kind for e in case.events] == ["open"] and len(web.b.cases.list()) == 1
    for url in ("/cases/9", "/cases/1/evidence/9"):
        assert inv.get(url).status_code == 404
    assert inv.post("/cases/9/note", {"text": "x"}).status_code == 404
    assert inv.post("/cases/9/report", {"format": "pdf"}).status_code == 404
    assert web.b.jobs.list() == []


def test_the_api_runs_a_case_and_makes_its_report(web: Site, tmp_path: Path) -> None:
    _, name, leak = _leak(web, tmp_path, who=4)
    api = web.api(Role.INVESTIGATOR)
    r = api.post("/api/cases", json={"title": "By the API", "doc": "Release", "due": "2099-01-31"})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["state"] == "open" and case["document"] == 1 and case["due"].startswith("2099-01-31")
    r = api.post(f"/api/cases/{case['id']}/attach", files={"file": ("leak.txt", leak.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    item = r.json()
    assert item["sha256"] == hashlib.sha256(leak.encode()).hexdigest() and item["media_type"] == "text/plain"
    r = api.post(f"/api/cases/{case['id']}/attach", data={"text": leak})
    assert r.status_code == 201 and r.json()["linked"] and r.json()["id"] == item["id"]

    r = api.post(f"/api/cases/{case['id']}/trace")
    assert r.status_code == 200, r.text
    trace = r.json()
    assert trace["verdict"] == "identified" and trace["result"]["accused"][0]["recipient"] == name
    assert not trace["withheld"] and trace["inputs"]["leaks"][0]["sha256"] == item["sha256"]
    r = api.post(f"/api/cases/{case['id']}/refer", json={"to": PR, "note": "over to PR"})
    assert r.status_code == 200 and r.json()["status"] == f"referred to {PR}"
    r = api.post(f"/api/cases/{case['id']}/assign", json={"to": "inv2"})
    assert r.status_code == 200 and r.json()["assignee"] == "inv2"
    assert api.post(f"/api/cases/{case['id']}/note", json={"text": "called legal"}).status_code == 200
    listed = api.get("/api/cases", params={"state": f"referred:{PR}"}).json()
    assert [c["id"] for c in listed] == [case["id"]] and api.get("/api/cases?state=overdue").json() == []
    # The one who traced may not approve it; a second investigator may.
    r = api.post(f"/api/cases/{case['id']}/approve", json={})
    assert r.status_code == 409 and "second user" in r.json()["error"]["message"]
    r = web.api(Role.INVESTIGATOR, name="inv2").post(f"/api/cases/{case['id']}/approve", json={"note": "checked"})
    assert r.status_code == 200 and r.json()["approved_by"] == "web:inv2"
    r = api.post(f"/api/cases/{case['id']}/close", json={"finding": "inconclusive"})
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["finding"] == "inconclusive"
    r = api.post(f"/api/cases/{case['id']}/note", json={"text": "too late?"})
    assert r.status_code == 200  # notes go on a closed case's file; evidence does not
    r = api.post(f"/api/cases/{case['id']}/attach", data={"text": "more"})
    assert r.status_code == 409 and "closed" in r.json()["error"]["message"]

    full = api.get(f"/api/cases/{case['id']}").json()
    assert [e["kind"] for e in full["history"]][:4] == ["open", "attach", "attach", "trace"]
    assert full["evidence"][0]["intact"] and len(full["traces"]) == 1
    r = api.get(f"/api/cases/{case['id']}/evidence/{item['id']}")
    assert r.status_code == 200 and r.content == leak.encode()
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment;")
    assert len(_actions(web, "evidence.download")) == 1

    r = api.post(f"/api/cases/{case['id']}/report", json={"format": "html"})
    assert r.status_code == 202 and r.json()["kind"] == "report", r.text
    job = web.wait_job(api, r.json()["id"])
    assert job["state"] == "done", job
    r = api.get(f"/api/jobs/{job['id']}/download")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html") and name in r.text
    assert [e["actor"] for e in _actions(web, "report.download")] == ["web:investigator-user"]


def test_the_api_refuses_bad_input_and_unknown_ids_with_nothing_stored(web: Site) -> None:
    api = web.api(Role.INVESTIGATOR)
    assert api.post("/api/cases", json={"title": ""}).status_code == 422
    r = api.post("/api/cases", json={"title": "x", "doc": "99"})
    assert r.status_code == 404 and "no document '99'" in r.json()["error"]["message"]
    assert api.post("/api/cases", json={"title": "x", "from_alert": 7}).status_code == 404
    assert web.b.cases.list() == []
    case = api.post("/api/cases", json={"title": "Bad input"}).json()["id"]
    r = api.post(f"/api/cases/{case}/attach", files={"file": ("plan.exe", b"MZ\x90\x00" * 100, "application/x")})
    assert r.status_code == 400 and "not something Barium can trace" in r.json()["error"]["message"]
    r = api.post(f"/api/cases/{case}/attach", files={"file": ("empty.txt", b"", "text/plain")})
    assert r.status_code == 400 and "empty" in r.json()["error"]["message"]
    assert api.post(f"/api/cases/{case}/attach").status_code == 400
    assert api.post(f"/api/cases/{case}/close", json={"finding": "guilty"}).status_code == 400
    assert api.post(f"/api/cases/{case}/refer", json={"to": "x" * 201}).status_code == 422
    assert api.post(f"/api/cases/{case}/report", json={"format": "docx"}).status_code == 422
    assert api.post(f"/api/cases/{case}/trace", json={"max_false_accusation": 2}).status_code == 422
    assert api.get("/api/cases", params={"state": "bogus"}).status_code == 400
    assert api.post(f"/api/cases/{case}/approve").status_code == 400  # no trace to approve
    f = web.b.cases.get(case)
    assert f.evidence == [] and f.case.state == "open" and [e.kind for e in f.events] == ["open"]
    for url in ("/api/cases/9", f"/api/cases/{case}/evidence/1", "/api/cases/9/evidence/1"):
        assert api.get(url).status_code == 404
    for url in ("/api/cases/9/trace", "/api/cases/9/report", "/api/cases/9/approve"):
        assert api.post(url).status_code == 404
    assert api.post("/api/cases/9/attach", data={"text": "a leak"}).status_code == 404
    assert web.b.jobs.list() == []


def test_an_auditor_reads_cases_and_their_evidence_but_changes_nothing(web: Site, tmp_path: Path) -> None:
    _, name, leak = _leak(web, tmp_path)
    case = web.b.cases.open("Audited")
    web.b.cases.attach(case.id, text=leak)
    web.b.cases.trace(case.id)
    aud = web.login(Role.AUDITOR)
    assert "Audited" in aud.get("/cases").text and 'method="post" action="/cases"' not in aud.get("/cases").text
    r = aud.get(f"/cases/{case.id}")
    assert r.status_code == 200 and name in r.text and 'action="/cases/1/report"' in r.text
    assert 'action="/cases/1/attach"' not in r.text and 'action="/cases/1/close"' not in r.text
    assert aud.get(f"/cases/{case.id}/evidence/1").content == leak.encode()
    for url, data in [
        ("/cases", {"title": "mine"}),
        ("/cases/1/attach", {"text": "x"}),
        ("/cases/1/trace", {}),
        ("/cases/1/refer", {"to": PR}),
        ("/cases/1/assign", {"to": "me"}),
        ("/cases/1/note", {"text": "x"}),
        ("/cases/1/close", {"finding": "substantiated"}),
        ("/cases/1/approve", {}),
    ]:
        r = aud.post(url, data)
        assert r.status_code == 403 and "INVESTIGATOR" in r.text.upper(), url
    api = web.api(Role.AUDITOR)
    assert api.get("/api/cases").status_code == 200 and api.get("/api/cases/1").json()["title"] == "Audited"
    assert api.post("/api/cases", json={"title": "mine"}).status_code == 403
    assert api.post("/api/cases/1/note", json={"text": "x"}).status_code == 403
    assert api.post("/api/cases/1/approve", json={}).status_code == 403
    assert [e.kind for e in web.b.cases.get(1).events] == ["open", "attach", "trace"]
    # The report is theirs to have made.
    r = api.post("/api/cases/1/report", json={"format": "html"})
    assert r.status_code == 202
    assert web.wait_job(api, r.json()["id"])["state"] == "done"
    # Others have no business with cases.
    dist = web.login(Role.DISTRIBUTOR)
    assert dist.get("/cases").status_code == 403 and dist.get("/cases/1/evidence/1").status_code == 403
    assert web.api(Role.DISTRIBUTOR).get("/api/cases/1").status_code == 403


def test_names_wait_for_a_second_investigators_approval(ruled: Site, tmp_path: Path) -> None:
    _, name, leak = _leak(ruled, tmp_path)
    inv = ruled.login(Role.INVESTIGATOR)
    inv.post("/cases", {"title": "Two people"})
    inv.post("/cases/1/attach", {"text": leak})
    r = inv.post("/cases/1/trace")
    assert "Verdict: identified" in r.text and "person 1 (withheld: two-person rule)" in r.text
    assert name not in r.text and 'action="/cases/1/approve"' not in r.text
    r = inv.post("/cases/1/approve", {"note": "my own"})
    assert r.status_code == 409 and "cannot approve it" in r.text
    assert ruled.b.cases.get(1).traces[0].approved_by is None

    inv2 = ruled.login(Role.INVESTIGATOR, name="inv2")
    r = inv2.get("/cases/1")
    assert name not in r.text and 'action="/cases/1/approve"' in r.text
    r = inv2.post("/cases/1/approve", {"note": "checked the marks"})
    assert r.status_code == 200 and name in r.text and "approved by web:inv2" in r.text
    assert name in inv.get("/cases/1").text
    [approval] = _actions(ruled, "case.approve")
    assert approval["actor"] == "web:inv2"
    assert inv2.post("/cases/1/approve").status_code == 409


def test_a_page_on_the_servers_own_network_is_not_fetched_as_evidence(web: Site) -> None:
    inv = web.api(Role.INVESTIGATOR)
    case = inv.post("/api/cases", json={"title": "Probe"}).json()
    for url in ("http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data/"):
        r = inv.post(f"/api/cases/{case['id']}/attach", data={"url": url})
        assert r.status_code == 400 and "not a public address" in r.json()["error"]["message"]
    r = inv.post(f"/api/cases/{case['id']}/attach", data={"url": "https://a.example/", "text": "words"})
    assert r.status_code == 400 and "one at a time" in r.json()["error"]["message"]
    assert web.b.cases.get(case["id"]).evidence == []
