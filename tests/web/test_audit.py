"""The audit log through the web: entries newest first and paged, verifying as a job,
signing checkpoints, inclusion proofs; the auditor's alone."""

from __future__ import annotations

import re

from sqlalchemy import text

from barium.access import Role
from barium.audit import verify_inclusion
from tests.conftest import add_people
from tests.web.conftest import Site


def _form_token(html: str, action: str) -> str:
    """The form token the page put in its form posting to ``action`` (what a browser sends)."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, f"no form for {action}"
    token = re.search(r'<input type="hidden" name="csrf" value="([^"]+)">', form.group(1))
    assert token is not None, form.group(0)
    return token.group(1)


def _rows(html: str) -> list[int]:
    """The entry numbers of the audit page's table, in the order shown."""
    return [int(n) for n in re.findall(r"<tr>\s*<td>(\d+)</td>", html)]


def test_the_auditor_verifies_the_log_through_a_job_and_sees_it_intact(web: Site) -> None:
    add_people(web.b, 3)
    aud = web.login(Role.AUDITOR)
    # As a browser would: the page's form, with the token the page put in it.
    r = aud.client.post("/audit/verify", data={"csrf": _form_token(aud.get("/audit").text, "/audit/verify")})
    assert r.status_code == 200 and re.fullmatch(r"/jobs/\d+", r.url.path), r.url
    job_id = int(r.url.path.rsplit("/", 1)[1])
    job = web.wait_job(aud.client, job_id)
    assert job["kind"] == "audit.verify" and job["state"] == "done", job
    assert job["result"]["intact"] is True and job["result"]["problems"] == []
    r = aud.get("/audit")
    assert r.status_code == 200
    assert f"intact: {job['result']['entries']} entries" in r.text and "NOT intact" not in r.text

    # Through the API: 202 and a job to follow.
    api = web.api(Role.AUDITOR, "ann")
    r = api.post("/api/audit/verify")
    assert r.status_code == 202 and r.json()["kind"] == "audit.verify"
    job = web.wait_job(api, r.json()["id"])
    assert api.get(f"/api/jobs/{job['id']}").json()["result"]["intact"] is True


def test_a_changed_entry_is_reported_by_the_job_and_never_signed(web: Site) -> None:
    add_people(web.b, 2)
    with web.b.ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET subject = 'recipient 9' WHERE seq = 1"))
    aud = web.login(Role.AUDITOR)
    r = aud.post("/audit/verify")
    job = web.wait_job(aud.client, int(r.url.path.rsplit("/", 1)[1]))
    assert job["state"] == "done" and job["result"]["intact"] is False
    page = aud.get("/audit").text
    assert "NOT intact" in page and "at #1" in page
    r = aud.post("/audit/checkpoint")
    assert r.status_code == 409 and "not intact" in r.text and "Traceback" not in r.text
    assert web.b.audit.latest_checkpoint() is None


def test_entries_are_shown_newest_first_and_paged_by_place(web: Site) -> None:
    add_people(web.b, 52)
    aud = web.login(Role.AUDITOR)
    latest = max(e.seq for e in web.b.audit.entries(limit=5))
    page = aud.get("/audit").text
    shown = _rows(page)
    assert shown == list(range(latest, latest - 50, -1)), shown
    assert "recipient.add" in page and "Person 051" in page and "Newer entries" not in page
    older = re.search(r'href="/audit\?before=(\d+)">Older entries', page)
    assert older is not None and int(older.group(1)) == latest - 49
    page = aud.get(f"/audit?before={older.group(1)}").text
    assert _rows(page) == list(range(latest - 50, -1, -1)) and "Older entries" not in page
    assert "workspace.create" in page and "Newer entries" in page
    assert aud.get("/audit?before=-3").status_code == 422


def test_the_api_gives_entries_from_a_place_on_and_how_to_go_on(web: Site) -> None:
    add_people(web.b, 8)
    api = web.api(Role.AUDITOR)
    latest = max(e.seq for e in web.b.audit.entries(limit=5))
    body = api.get("/api/audit", params={"since": 2, "limit": 3}).json()
    assert [e["seq"] for e in body["entries"]] == [2, 3, 4] and body["next"] == 5 and body["latest"] == latest
    first = body["entries"][0]
    assert first == web.b.audit.records([2])[2].to_dict() and first["action"] == "recipient.add"
    body = api.get("/api/audit", params={"since": body["latest"] + 1}).json()
    assert body["entries"] == [] and body["next"] == latest + 1
    body = api.get("/api/audit", params={"limit": 2}).json()
    assert [e["seq"] for e in body["entries"]] == [latest - 1, latest]
    for bad in ({"limit": 0}, {"limit": 5000}, {"since": -1}):
        r = api.get("/api/audit", params=bad)
        assert r.status_code == 422 and r.json()["error"]["type"] == "InputError", bad


def test_a_checkpoint_is_signed_shown_and_proves_entries(web: Site) -> None:
    add_people(web.b, 4)
    aud = web.login(Role.AUDITOR)
    page = aud.get("/audit/checkpoints").text
    assert "No checkpoint has been signed yet" in page
    r = aud.client.post("/audit/checkpoint", data={"csrf": _form_token(page, "/audit/checkpoint")})
    assert r.status_code == 200 and r.url.path == "/audit/checkpoints"
    point = web.b.audit.latest_checkpoint()
    assert point is not None and point.root in r.text and f"#0 to #{point.size - 1}" in r.text
    r = aud.get("/audit/prove/2")
    assert r.status_code == 200 and "Entry #2 is in the signed log" in r.text and "recipient.add" in r.text
    assert 'href="/audit/prove/2"' in aud.get("/audit").text

    api = web.api(Role.AUDITOR, "ann")
    r = api.post("/api/audit/checkpoint")
    assert r.status_code == 201
    signed = r.json()
    assert signed["size"] > point.size and set(signed) >= {"root", "signature", "public_key", "time"}
    assert api.get("/api/audit/checkpoint").json() == signed
    made = api.get("/api/audit/checkpoints").json()
    assert [m["details"]["size"] for m in made] == [signed["size"], point.size]
    proof = api.get("/api/audit/prove/3").json()
    assert proof["checkpoint"]["root"] == signed["root"] and proof["seq"] == 3
    assert verify_inclusion(
        bytes.fromhex(proof["leaf"]),
        3,
        signed["size"],
        [bytes.fromhex(p) for p in proof["path"]],
        bytes.fromhex(signed["root"]),
    )
    # An entry no checkpoint covers yet, and one that is not there.
    r = api.get(f"/api/audit/prove/{signed['size']}")  # signing it was this entry
    assert r.status_code == 404 and "no checkpoint covers" in r.json()["error"]["message"]
    assert api.get("/api/audit/prove/99999").status_code == 404
    assert aud.get("/audit/prove/99999").status_code == 404


def test_no_checkpoint_yet_is_a_404(web: Site) -> None:
    api = web.api(Role.AUDITOR)
    r = api.get("/api/audit/checkpoint")
    assert r.status_code == 404 and r.json()["error"]["type"] == "NotFound"
    assert api.get("/api/audit/prove/0").status_code == 404


def test_the_audit_log_is_the_auditors_alone(web: Site) -> None:
    for role in (Role.ADMIN, Role.INVESTIGATOR):
        browser = web.login(role)
        assert browser.get("/audit").status_code == 403
        assert browser.get("/audit/checkpoints").status_code == 403
        r = browser.post("/audit/checkpoint")
        assert r.status_code == 403 and "auditor" in r.text
        assert browser.post("/audit/verify").status_code == 403
        api = web.api(role, f"{role.value}-api")
        assert api.get("/api/audit").status_code == 403
        assert api.post("/api/audit/verify").status_code == 403
        assert api.post("/api/audit/checkpoint").status_code == 403
        assert api.get("/api/audit/prove/0").status_code == 403
    assert web.b.audit.latest_checkpoint() is None
    assert [j for j in web.b.jobs.list() if j.kind == "audit.verify"] == []
    assert "/audit" not in web.login(Role.ADMIN).get("/").text


def test_the_log_is_filtered_by_action_and_subject(web: Site) -> None:
    web.b.users.add("zed", roles=["auditor"], password="correct horse battery")
    web.b.users.set_roles("zed", ["auditor", "investigator"])
    aud = web.login(Role.AUDITOR)
    page = aud.get("/audit", params={"action": "user."}).text
    assert "user.add" in page and "user.roles" in page and "login.ok" not in page
    assert "user zed" in aud.get("/audit", params={"subject": "user zed"}).text
    api = web.api(Role.AUDITOR)
    got = api.get("/api/audit", params={"action": "user.roles"}).json()["entries"]
    assert [e["action"] for e in got] == ["user.roles"] and got[0]["subject"] == "user zed"
    assert api.get("/api/audit", params={"action": "user.", "since": 0}).status_code == 400
    assert api.get("/api/audit", params={"after": "2999-01-01T00:00:00"}).json()["entries"] == []
