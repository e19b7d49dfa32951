"""The author's side through the web: variant suggestions to review (nothing stored), public
texts that never alert, and scanning uploaded files as a job."""

from __future__ import annotations

from pathlib import Path

from barium.access import Role
from barium.simulate.attacks import excerpt_words, html_paste
from tests.conftest import FIXTURES, add_people
from tests.web.conftest import Site

STORY = "<html><head><title>Figures leaked</title></head><body><article><h1>Figures leaked</h1><p>{}</p></article></body></html>"


def test_suggestions_are_shown_for_review_and_nothing_is_stored(web: Site) -> None:
    dist = web.login(Role.DISTRIBUTOR)
    memo = (FIXTURES / "memo.txt").read_bytes()
    r = dist.post("/variants", files={"file": ("memo.txt", memo, "text/plain")})
    assert r.status_code == 200 and "suggestions for memo.txt" in r.text and "{{" in r.text
    api = web.api(Role.DISTRIBUTOR)
    got = api.post("/api/variants/suggest", files={"file": ("memo.txt", memo, "text/plain")}).json()
    assert got["file"] == "memo.txt" and got["text"].count("{{") == len(got["suggestions"]) > 0
    assert api.post("/api/variants/suggest", files={"file": ("memo.pdf", b"%PDF-1.4", "x")}).status_code == 400
    r = api.post("/api/variants/suggest", files={"file": ("memo.txt", memo, "text/plain")}, data={"family": "nope"})
    assert r.status_code == 400 and "unknown families" in r.json()["error"]["message"]
    assert web.b.documents.list() == []
    assert (
        web.api(Role.INVESTIGATOR).post("/api/variants/suggest", files={"file": ("m.txt", memo, "x")}).status_code
        == 403
    )


def test_a_scan_of_uploaded_files_alerts_and_a_public_text_silences_it(web: Site, tmp_path: Path) -> None:
    doc = web.b.documents.add(FIXTURES / "memo.txt", title="Release")
    add_people(web.b, 6)
    copy = web.b.issuing.issue(doc.id, all_recipients=True).copies[4]
    passage = excerpt_words(copy.text, 30, 200)
    story = STORY.format(html_paste(passage)).encode()
    inv = web.login(Role.INVESTIGATOR)
    r = inv.post(
        "/scan", files=[("files", ("story.html", story, "text/html")), ("files", ("x.txt", b"\x00" * 50, "text/plain"))]
    )
    assert r.url.path.startswith("/jobs/")
    job = web.wait_job(inv.client, int(r.url.path.rsplit("/", 1)[1]))
    assert job["state"] == "done" and len(job["result"]["alerts"]) == 1, job
    assert job["result"]["skipped"] and "x.txt" in job["result"]["skipped"][0]["item"]
    page = inv.get(r.url.path).text
    assert "1 alerts raised" in page and "x.txt" in page

    # The same passage made public (a press release quoting it): a new scan raises nothing.
    api = web.api(Role.INVESTIGATOR)
    made = api.post("/api/public", json={"text": passage, "title": "Press release"})
    assert made.status_code == 201 and made.json()["title"] == "Press release"
    again = api.post("/api/scan", files=[("files", ("later.html", story, "text/html"))])
    assert again.status_code == 202
    assert web.wait_job(api, again.json()["id"])["result"]["alerts"] == []
    assert [p["title"] for p in api.get("/api/public").json()] == ["Press release"]
    assert api.delete(f"/api/public/{made.json()['id']}").status_code == 204
    assert api.post("/api/scan", files=[]).status_code in (400, 422)
    assert web.api(Role.AUDITOR).post("/api/scan", files=[("files", ("s.html", story, "text/html"))]).status_code == 403
