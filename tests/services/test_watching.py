"""Watching the press through the public API: scan files, poll a feed, alerts once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from barium.services import Barium
from barium.simulate import excerpt_words, html_paste
from barium.store import Alert
from barium.watch import Skipped
from tests.conftest import add_people
from tests.watch.conftest import LoopbackServer, Reply

ARTICLE = """<html><head><title>Jobs figures leaked</title></head><body>
<nav>Home | News | Sport | Weather</nav>
<article><h1>Jobs figures leaked ahead of release</h1>
<p>Our reporter has seen the figures. Officials were unhappy about the early disclosure.</p>
<p>{leak}</p>
<p>The Treasury declined to comment on the figures, which are due to be published on Wednesday.</p>
</article><footer>Copyright The Daily Example</footer></body></html>"""


@pytest.fixture
def protected(barium: Barium, memo: Path) -> tuple[Barium, str, str]:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 40)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    leaker = copies[17]
    # 200 words: with invisible marks only after clauses (the default), a paste needs about 140 to name its recipient.
    return barium, leaker.recipient.name, html_paste(excerpt_words(leaker.text, 40, 200))


def test_scan_finds_a_leaked_passage_in_a_folder_and_traces_it(
    protected: tuple[Barium, str, str], tmp_path: Path
) -> None:
    b, leaker, leak = protected
    folder = tmp_path / "press"
    folder.mkdir()
    (folder / "story.html").write_text(ARTICLE.format(leak=leak))
    (folder / "other.txt").write_text("Football scores and the weather, nothing to do with any release at all.\n")
    (folder / "feed.jsonl").write_text(json.dumps({"text": "Blog: " + leak, "url": "https://blog.example/x"}) + "\n")
    matches = b.watching.scan([folder], paraphrase=False)
    assert len(matches) == 2
    for m in matches:
        data = m.to_dict()
        assert {"source", "title", "document", "kind", "score", "spans", "trace"} <= set(data)
        assert data["document"] == {"id": 1, "title": "Release", "version": 1}
        assert data["kind"] in {"verbatim", "near_verbatim"}
        span = data["spans"][0]
        assert {"leak_start", "leak_end", "doc_start", "doc_end", "text"} <= set(span)
        assert data["trace"]["verdict"] == "identified"
        assert [a["recipient"] for a in data["trace"]["accused"]] == [leaker]
    b.watching.scan([folder], paraphrase=False)
    with b.ws.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Alert)) == 2
    assert len(b.watching.alerts()) == 2


def test_public_text_raises_no_alert(protected: tuple[Barium, str, str], tmp_path: Path, memo: Path) -> None:
    b, _, _ = protected
    statement = excerpt_words(memo.read_text(), 0, 60)
    b.public.add(statement, title="Press statement")
    story = tmp_path / "story.txt"
    story.write_text("The ministry said in a statement: " + statement + " It gave no further details.")
    assert b.watching.scan([story], paraphrase=False) == []


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer()
    yield s
    s.close()


def test_watch_run_alerts_once_and_survives_a_broken_source(
    protected: tuple[Barium, str, str], server: LoopbackServer
) -> None:
    b, leaker, leak = protected
    base = server.url("")
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>
    <item><title>Jobs figures leaked</title><link>{base}/story</link></item>
    <item><title>Weather</title><link>{base}/weather</link></item></channel></rss>"""
    server.routes["/feed.xml"] = lambda hit: Reply(200, feed.encode(), {"Content-Type": "application/rss+xml"})
    server.routes["/story"] = lambda hit: Reply(200, ARTICLE.format(leak=leak).encode(), {"Content-Type": "text/html"})
    server.routes["/weather"] = lambda hit: Reply(
        200, ARTICLE.format(leak="Sunny spells and showers later.").encode(), {"Content-Type": "text/html"}
    )
    server.routes["/robots.txt"] = lambda hit: Reply(404, b"", {"Content-Type": "text/plain"})
    b.watching.add(f"{base}/feed.xml", every="15m")
    b.watching.add(f"{base}/missing.xml", every="15m")
    first = b.watching.run(paraphrase=False)
    assert first.sources == 2 and first.articles == 2
    assert [m.trace["verdict"] for m in first.matches] == ["identified"]
    assert first.matches[0].trace["accused"][0]["recipient"] == leaker
    assert [f["source"] for f in first.failed] == [f"{base}/missing.xml"]
    again = b.watching.run(force=True, paraphrase=False)
    assert again.articles == 0 and again.matches == []
    assert len(b.watching.alerts()) == 1
    listed = {s.url: s for s in b.watching.list()}
    assert listed[f"{base}/missing.xml"].failures >= 1 and listed[f"{base}/feed.xml"].failures == 0


CONTROLS = "".join(chr(c) for c in (1, 2, 3, 4, 5, 6, 7, 8, 0x0E, 0x1F))  # ten control characters


def serve_feed(server: LoopbackServer, pages: dict[str, bytes], *, charsets: dict[str, str] | None = None) -> str:
    """A feed listing ``pages`` in order, each served as HTML (UTF-8 unless ``charsets`` says
    otherwise); returns the feed's URL."""
    base = server.url("")
    items = "".join(f"<item><title>{path}</title><link>{base}{path}</link></item>" for path in pages)
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>{items}</channel></rss>'
    server.routes["/feed.xml"] = lambda hit: Reply(200, feed.encode(), {"Content-Type": "application/rss+xml"})
    for path, body in pages.items():
        charset = (charsets or {}).get(path, "utf-8")
        server.routes[path] = lambda hit, body=body, charset=charset: Reply(
            200, body, {"Content-Type": f"text/html; charset={charset}"}
        )
    server.routes["/robots.txt"] = lambda hit: Reply(404, b"", {"Content-Type": "text/plain"})
    return f"{base}/feed.xml"


def test_a_page_quoting_a_leak_with_control_characters_is_traced_and_never_stops_watch_run(
    protected: tuple[Barium, str, str], server: LoopbackServer
) -> None:
    b, leaker, leak = protected
    hostile = ARTICLE.format(leak=leak + " " + CONTROLS).encode()
    good = ARTICLE.format(leak="Officials said: " + leak).encode()
    b.watching.add(serve_feed(server, {"/hostile": hostile, "/good": good}))
    first = b.watching.run(paraphrase=False)
    assert first.articles == 2 and first.failed == []
    assert [m.url for m in first.matches] == [server.url("/hostile"), server.url("/good")]
    for m in first.matches:
        assert m.trace["verdict"] == "identified" and m.trace["accused"][0]["recipient"] == leaker
    again = b.watching.run(force=True, paraphrase=False)
    assert again.articles == 0 and again.matches == [] and again.failed == []
    assert len(b.watching.alerts()) == 2


def test_an_article_that_cannot_be_processed_is_skipped_with_its_reason_marked_seen_and_the_next_alerted(
    protected: tuple[Barium, str, str], server: LoopbackServer, tmp_path: Path
) -> None:
    b, leaker, leak = protected
    (b.ws.home / "barium.toml").write_text("watch_max_bytes = 60000\n")
    b = Barium.open(b.ws.home)
    # 50 kB of Latin-1 that decodes to 90 kB of UTF-8 text: under the response cap, over the article cap.
    wide = ARTICLE.format(leak="\xe9l\xe8ve \xe0\xe7a " * 5_000).encode("latin-1")
    good = ARTICLE.format(leak=leak).encode()
    assert len(wide) < 60_000
    b.watching.add(serve_feed(server, {"/wide": wide, "/good": good}, charsets={"/wide": "iso-8859-1"}))
    first = b.watching.run(paraphrase=False)
    assert [m.url for m in first.matches] == [server.url("/good")]
    assert first.matches[0].trace["accused"][0]["recipient"] == leaker
    (skip,) = [s for s in first.skipped if s["item"] == server.url("/wide")]
    assert "over the 60,000-byte limit (watch_max_bytes)" in skip["reason"]
    assert first.to_dict()["skipped"] == first.skipped
    again = b.watching.run(force=True, paraphrase=False)
    assert again.articles == 0 and again.skipped == [] and again.matches == []
    assert len(server.hits("/wide")) == 1  # marked seen: never fetched again
    # The reason outlives the run: the audit log keeps it, and who ran the watch.
    (logged,) = b.audit.entries(action="watch.skip")
    assert logged.details["item"] == server.url("/wide") and logged.details["reason"] == skip["reason"]
    runs = b.audit.entries(action="watch.run")
    assert [(r.details["alerts"], r.details["skipped"]) for r in runs] == [(1, 1), (0, 0)]
    assert [a.details["url"] for a in b.audit.entries(action="alert.raise")] == [server.url("/good")]
    b.close()


def test_an_article_larger_than_the_leak_cap_is_still_traced(
    protected: tuple[Barium, str, str], server: LoopbackServer
) -> None:
    b, leaker, leak = protected
    (b.ws.home / "barium.toml").write_text("max_leak_bytes = 20000\n")
    b = Barium.open(b.ws.home)
    filler = "".join(f"<p>Paragraph {i} of an unrelated and very long report on the weather.</p>" for i in range(600))
    page = ARTICLE.format(leak=leak).replace("<footer>", filler + "<footer>").encode()
    assert len(page) > 20_000
    b.watching.add(serve_feed(server, {"/long": page}))
    report = b.watching.run(paraphrase=False)
    assert report.skipped == [] and [m.trace["accused"][0]["recipient"] for m in report.matches] == [leaker]
    b.close()


def test_scan_of_a_folder_goes_on_past_a_hostile_page_and_an_oversized_file(
    protected: tuple[Barium, str, str], tmp_path: Path
) -> None:
    b, leaker, leak = protected
    (b.ws.home / "barium.toml").write_text("max_leak_bytes = 100000\n")
    b = Barium.open(b.ws.home)
    folder = tmp_path / "press"
    folder.mkdir()
    (folder / "a-hostile.html").write_text(ARTICLE.format(leak=leak + " " + CONTROLS))
    (folder / "b-huge.txt").write_text("word " * 30_000)
    (folder / "c-good.txt").write_text("Blog: " + leak)
    for _ in range(2):  # a second scan does not die either
        skipped: list[Skipped] = []
        matches = b.watching.scan([folder], paraphrase=False, on_skip=skipped.append)
        assert [Path(m.source).name for m in matches] == ["a-hostile.html", "c-good.txt"]
        assert all(m.trace["accused"][0]["recipient"] == leaker for m in matches)
        assert [(Path(s.where).name, s.reason) for s in skipped] == [
            ("b-huge.txt", "150,000 bytes, over the 100,000-byte limit (max_leak_bytes)")
        ]
    b.close()
