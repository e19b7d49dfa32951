"""Watching through the web: sources, a run as a job, alerts with their passages and trace,
and a case opened from an alert, by page and by API."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape

from barium.access import Role
from barium.simulate import excerpt_words, html_paste
from barium.web import create_app
from tests.conftest import FIXTURES, add_people
from tests.watch.conftest import LoopbackServer, Reply
from tests.web.conftest import Browser, Site

ARTICLE = """<html><head><title>Jobs figures leaked</title></head><body>
<article><h1>Jobs figures leaked ahead of release</h1>
<p>Our reporter has seen the figures.</p><p>{leak}</p>
<p>The Treasury declined to comment.</p></article></body></html>"""


def assert_forms_carry_the_token(browser: Browser, html: str) -> None:
    """Every form that posts carries the session's form token (a browser sends only what the page holds)."""
    posts = html.count('method="post"')
    assert posts > 1 and html.count(f'name="csrf" value="{browser.csrf}"') == posts, html


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer()
    yield s
    s.close()


def leaked_article(web: Site, tmp_path: Path) -> tuple[str, str]:
    """A registered document issued to eight people, and an article pasting 200 words of one
    copy: (the leaker's name, the article's HTML)."""
    doc = web.b.documents.add(FIXTURES / "memo.txt", title="Release")
    add_people(web.b, 8)
    copies = web.b.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "copies").copies
    leak = html_paste(excerpt_words(copies[3].text, 40, 200))
    return copies[3].recipient.name, ARTICLE.format(leak=leak)


def scanned_alert(web: Site, tmp_path: Path) -> tuple[int, str]:
    """An alert stored by scanning a folder holding the article: (its id, the leaker's name)."""
    leaker, html = leaked_article(web, tmp_path)
    folder = tmp_path / "press"
    folder.mkdir()
    (folder / "story.html").write_text(html)
    matches = web.b.watching.scan([folder], paraphrase=False)
    assert len(matches) == 1 and matches[0].alert_id is not None
    return matches[0].alert_id, leaker


def serve(server: LoopbackServer, html: str) -> str:
    """A feed with one story; returns the feed's URL."""
    base = server.url("")
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>
    <item><title>Jobs figures leaked</title><link>{base}/story</link></item></channel></rss>"""
    server.routes["/feed.xml"] = lambda hit: Reply(200, feed.encode(), {"Content-Type": "application/rss+xml"})
    server.routes["/story"] = lambda hit: Reply(200, html.encode(), {"Content-Type": "text/html"})
    server.routes["/robots.txt"] = lambda hit: Reply(404, b"", {"Content-Type": "text/plain"})
    return f"{base}/feed.xml"


def test_a_web_user_cannot_make_the_server_fetch_its_own_networks(web: Site, server: LoopbackServer) -> None:
    inv = web.login(Role.INVESTIGATOR)
    for url in (server.url("/feed.xml"), "http://10.1.2.3/feed", "http://169.254.169.254/latest/meta-data/"):
        r = inv.post("/watch", {"url": url, "every": "2h"})
        assert r.status_code == 400 and "not a public address" in r.text, (url, r.text)
    assert web.b.watching.list() == []


def test_watch_a_feed_run_it_read_the_alert_and_open_a_case_through_the_pages(
    web: Site, tmp_path: Path, server: LoopbackServer
) -> None:
    leaker, html = leaked_article(web, tmp_path)
    feed = serve(server, html)
    # The feed is on loopback, as this test's server is: the workspace lets web users watch it.
    ws = dataclasses.replace(web.b.ws, settings=web.b.ws.settings.replace(web_watch_private_hosts=True))
    web.app = create_app(workspace=ws)
    inv = web.login(Role.INVESTIGATOR)
    r = inv.post("/watch", {"url": feed, "every": "2h"})
    assert r.status_code == 200 and r.url.path == "/watch"
    assert feed in r.text and "2 h" in r.text and "never" in r.text
    assert_forms_carry_the_token(inv, r.text)
    r = inv.post("/watch/run", {"force": "on"})
    assert r.status_code == 200 and r.url.path.startswith("/jobs/")
    job = web.wait_job(inv.client, int(r.url.path.rsplit("/", 1)[1]))
    assert job["state"] == "done", job
    assert job["kind"] == "watch.run" and job["params"] == {"force": True}
    assert [a["trace"]["verdict"] for a in job["result"]["alerts"]] == ["identified"]
    assert "never" not in inv.get("/watch").text

    r = inv.get("/alerts")
    assert r.status_code == 200 and "Jobs figures leaked" in r.text and leaker in r.text
    stored = web.b.watching.alerts()[0]
    alert = stored.alert_id
    r = inv.get(f"/alerts/{alert}")
    assert r.status_code == 200
    assert f"{server.url('')}/story" in r.text and "Release" in r.text
    assert stored.spans and all(str(escape(s["text"])) in r.text for s in stored.spans)  # the passages matched
    assert "Verdict: identified" in r.text and leaker in r.text
    assert f'action="/alerts/{alert}/case"' in r.text
    assert_forms_carry_the_token(inv, r.text)

    r = inv.post(f"/alerts/{alert}/case", {"title": "Jobs figures leak"}, follow_redirects=False)
    assert r.status_code == 303
    case = web.b.cases.list()[0]
    assert r.headers["location"] == f"/cases/{case.id}"
    assert case.title == "Jobs figures leak" and case.alert_id == alert and case.document_id == 1

    source = web.b.watching.list()[0].id
    r = inv.post(f"/watch/{source}/remove")
    assert r.status_code == 200 and feed not in r.text
    assert web.b.watching.list() == []
    assert len(web.b.watching.alerts()) == 1  # the alert outlives its source


def test_the_api_watches_runs_lists_alerts_and_opens_a_case(web: Site, tmp_path: Path) -> None:
    alert, leaker = scanned_alert(web, tmp_path)
    api = web.api(Role.INVESTIGATOR)
    r = api.post("/api/watch", json={"url": "https://news.example/feed.xml", "every": "1d"})
    assert r.status_code == 201 and r.json()["every_seconds"] == 86400
    source = r.json()["id"]
    assert [s["url"] for s in api.get("/api/watch").json()] == ["https://news.example/feed.xml"]
    r = api.delete(f"/api/watch/{source}")
    assert r.status_code == 204 and api.get("/api/watch").json() == []

    r = api.post("/api/watch/run", json={"force": False})
    assert r.status_code == 202 and r.json()["kind"] == "watch.run"
    job = web.wait_job(api, r.json()["id"])
    assert job["state"] == "done" and job["result"]["sources"] == 0, job
    assert api.post("/api/watch/run").status_code == 202  # the body is optional

    listed = api.get("/api/alerts").json()
    assert [a["id"] for a in listed] == [alert]
    assert listed[0]["trace"]["accused"][0]["recipient"] == leaker
    assert api.get("/api/alerts", params={"since": "2999-01-01"}).json() == []
    one = api.get(f"/api/alerts/{alert}").json()
    assert one["document"] == {"id": 1, "title": "Release", "version": 1}
    assert one["spans"] and {"leak_start", "leak_end", "doc_start", "doc_end", "text"} <= set(one["spans"][0])
    r = api.post(f"/api/alerts/{alert}/case", json={"title": "Jobs figures leak"})
    assert r.status_code == 201
    assert r.json()["alert"] == alert and r.json()["document"] == 1 and r.json()["state"]
    assert [c.id for c in web.b.cases.list()] == [r.json()["id"]]


def test_only_investigators_watch_and_read_alerts(web: Site, tmp_path: Path) -> None:
    alert, _ = scanned_alert(web, tmp_path)
    for role in (Role.DISTRIBUTOR, Role.AUDITOR):
        browser = web.login(role)
        for path in ("/watch", "/alerts", f"/alerts/{alert}"):
            assert browser.get(path).status_code == 403, (role, path)
        assert browser.post("/watch", {"url": "https://news.example/"}).status_code == 403
        assert browser.post("/watch/run").status_code == 403
        assert browser.post(f"/alerts/{alert}/case", {"title": "x"}).status_code == 403
        api = web.api(role)
        for path in ("/api/watch", "/api/alerts", f"/api/alerts/{alert}"):
            assert api.get(path).status_code == 403, (role, path)
        r = api.post("/api/watch", json={"url": "https://news.example/"})
        assert r.status_code == 403 and "investigator" in r.json()["error"]["message"]
        assert api.post("/api/watch/run").status_code == 403
        assert api.post(f"/api/alerts/{alert}/case", json={"title": "x"}).status_code == 403
    assert web.b.watching.list() == [] and web.b.cases.list() == []
    assert web.b.jobs.list() == []


def test_bad_input_is_refused_with_its_reason_and_nothing_stored(web: Site, tmp_path: Path) -> None:
    alert, _ = scanned_alert(web, tmp_path)
    inv = web.login(Role.INVESTIGATOR)
    r = inv.post("/watch", {"url": "ftp://news.example/feed", "every": "15m"})
    assert r.status_code == 400 and "not an http(s) URL" in r.text
    r = inv.post("/watch", {"url": "https://news.example/feed", "every": "30s"})
    assert r.status_code == 400 and "at least one minute" in r.text
    r = inv.post("/watch", {"url": "https://news.example/" + "x" * 2000})
    assert r.status_code == 422
    r = inv.post(f"/alerts/{alert}/case", {"title": "  "})
    assert r.status_code == 400 and "needs a title" in r.text
    api = web.api(Role.INVESTIGATOR)
    r = api.post("/api/watch", json={"url": "https://news.example/feed", "every": "often"})
    assert r.status_code == 400 and "not an interval" in r.json()["error"]["message"]
    assert api.post("/api/watch", json={"every": "15m"}).status_code == 422
    assert api.get("/api/alerts", params={"limit": 0}).status_code == 422
    assert api.post(f"/api/alerts/{alert}/case", json={"title": ""}).status_code == 422
    assert web.b.watching.list() == [] and web.b.cases.list() == []

    assert api.post("/api/watch", json={"url": "https://news.example/feed"}).status_code == 201
    r = api.post("/api/watch", json={"url": "https://news.example/feed"})
    assert r.status_code == 409 and "already watching" in r.json()["error"]["message"]
    assert len(web.b.watching.list()) == 1


def test_unknown_sources_and_alerts_are_404(web: Site) -> None:
    inv = web.login(Role.INVESTIGATOR)
    r = inv.get("/alerts/99")
    assert r.status_code == 404 and "no alert 99" in r.text
    assert inv.post("/alerts/99/case", {"title": "x"}).status_code == 404
    assert inv.post("/watch/99/remove").status_code == 404
    api = web.api(Role.INVESTIGATOR)
    r = api.get("/api/alerts/99")
    assert r.status_code == 404 and r.json()["error"]["type"] == "NotFound"
    assert api.post("/api/alerts/99/case", json={"title": "x"}).status_code == 404
    assert api.delete("/api/watch/99").status_code == 404
    assert web.b.cases.list() == []
