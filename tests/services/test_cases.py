"""Cases through the services: custody, joint tracing kept with its inputs, the two-person rule."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from barium.errors import Conflict, FetchError, InputError, InputTooLarge, NotFound
from barium.services import Actor, Barium
from barium.simulate import excerpt_words, html_paste
from tests.conftest import add_people
from tests.services.test_watching import ARTICLE
from tests.watch.conftest import LoopbackServer, Reply


@pytest.fixture
def issued(barium: Barium, memo: Path) -> tuple[Barium, int, list[tuple[str, str]]]:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 30)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    return barium, doc.id, [(c.recipient.name, c.text) for c in copies]


def test_the_same_bytes_are_stored_once_and_linked_wherever_attached(
    issued: tuple[Barium, int, list[tuple[str, str]]], tmp_path: Path
) -> None:
    b, doc, copies = issued
    leak = tmp_path / "leak.txt"
    leak.write_text(copies[4][1])
    one = b.cases.open("First", doc=doc)
    two = b.cases.open("Second")
    first = b.cases.attach(one.id, path=leak)
    again = b.cases.attach(one.id, path=leak)
    elsewhere = b.cases.attach(two.id, path=leak)
    assert not first.linked and again.linked and again.id == first.id and elsewhere.linked
    assert first.sha256 == hashlib.sha256(leak.read_bytes()).hexdigest() and first.media_type == "text/plain"
    assert first.origin == str(leak.resolve()) and first.attached_by == str(b.actor)
    with b.ws.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence_blobs")).scalar_one() == 1
    assert b.cases.evidence_bytes(one.id, first.id) == leak.read_bytes()
    # Each receipt is on the record, the second marked as bytes already held.
    attached = [e for e in b.cases.get(one.id).events if e.kind == "attach"]
    assert [e.details.get("again") for e in attached] == [None, True]


def test_a_case_traces_its_leaks_together_and_keeps_the_trace_with_its_inputs(
    issued: tuple[Barium, int, list[tuple[str, str]]],
) -> None:
    b, doc, copies = issued
    name, copy = copies[9]
    case = b.cases.open("Three short leaks", doc=doc)
    words = copy.split()
    for start in (0, 150, 300):
        b.cases.attach(case.id, text=" ".join(words[start : start + 120]))
    _, result = b.cases.trace(case.id)
    assert [a.recipient for a in result.accused] == [name]
    assert len(result.leaks) == 3
    kept = b.cases.get(case.id).traces[0]
    assert kept.result["accused"][0]["recipient"] == name and kept.verdict == "identified"
    assert {leak["sha256"] for leak in kept.inputs["leaks"]} == {leak.sha256 for leak in result.leaks}
    assert kept.inputs["key_fingerprint"] == b.ws.key_fingerprint and kept.inputs["barium_version"]
    assert all(leak["versions_aligned"][0]["id"] == doc for leak in kept.inputs["leaks"])
    assert kept.inputs["max_false_accusation"] == 1e-6
    # Run again, it gives the same result to compare.
    again, _ = b.cases.trace(case.id)
    assert again.result["accused"] == kept.result["accused"]
    entry = [e for e in b.audit.entries(action="case.trace")][-1]
    assert entry.details["accused"] == [result.accused[0].recipient_id] and name not in json.dumps(entry.details)


def test_a_case_opened_from_an_alert_holds_its_article_spans_and_trace(
    issued: tuple[Barium, int, list[tuple[str, str]]], tmp_path: Path
) -> None:
    b, doc, copies = issued
    name, copy = copies[17]
    story = tmp_path / "story.html"
    story.write_text(ARTICLE.format(leak=html_paste(excerpt_words(copy, 40, 200))))
    (match,) = b.watching.scan([story], paraphrase=False)
    assert match.alert_id is not None
    case = b.cases.open("From the press", from_alert=match.alert_id)
    assert case.document_id == doc and case.alert_id == match.alert_id
    (record,) = b.cases.get(case.id).evidence
    assert record.media_type == "application/vnd.barium.alert+json"
    carried = json.loads(b.cases.evidence_bytes(case.id, record.id))
    assert carried["spans"] and carried["trace"]["accused"][0]["recipient"] == name
    with pytest.raises(InputError, match="holds no leak"):
        b.cases.trace(case.id)  # the alert's record is not itself a leak
    b.cases.attach(case.id, path=story)  # the page, as received
    _, result = b.cases.trace(case.id)
    assert [a.recipient for a in result.accused] == [name]
    with pytest.raises(NotFound, match="no alert 99"):
        b.cases.open("Nothing", from_alert=99)


def test_with_the_two_person_rule_no_name_shows_until_a_second_user_approves(
    issued: tuple[Barium, int, list[tuple[str, str]]],
) -> None:
    b, doc, copies = issued
    name, copy = copies[2]
    ruled = Barium(
        b.ws.__class__(b.ws.home, b.ws.settings.replace(case_two_person_rule=True), b.ws.db, b.ws.key, b.ws.audit_key)
    )
    case = ruled.cases.open("Ruled", doc=doc)
    ruled.cases.attach(case.id, text=copy)
    info, _ = ruled.cases.trace(case.id)
    assert info.withheld and name not in json.dumps(info.to_dict())
    assert info.result["accused"][0]["recipient"].startswith("person 1")
    assert name not in json.dumps(ruled.cases.get(case.id).to_dict())
    with pytest.raises(Conflict, match="second user"):
        ruled.cases.approve(case.id)
    second = Barium(ruled.ws, Actor("user", "second.investigator"))
    approved = second.cases.approve(case.id, note="reviewed the marks")
    assert not approved.withheld and approved.approved_by == "user:second.investigator"
    assert ruled.cases.get(case.id).traces[0].result["accused"][0]["recipient"] == name
    with pytest.raises(Conflict, match="approved already"):
        second.cases.approve(case.id)


def test_a_closed_case_takes_no_more_evidence_steps_or_traces(
    issued: tuple[Barium, int, list[tuple[str, str]]],
) -> None:
    b, doc, copies = issued
    case = b.cases.open("Done", doc=doc)
    b.cases.attach(case.id, text=copies[0][1])
    b.cases.close(case.id, finding="unsubstantiated", note="the copy was shared at a meeting")
    for attempt in (
        lambda: b.cases.attach(case.id, text="more"),
        lambda: b.cases.trace(case.id),
        lambda: b.cases.assign(case.id, to="someone"),
        lambda: b.cases.refer(case.id, to="professional-responsibility"),
        lambda: b.cases.close(case.id, finding="substantiated"),
    ):
        with pytest.raises(Conflict, match="closed"):
            attempt()
    closed = b.cases.get(case.id)
    assert closed.case.status == "closed (unsubstantiated)" and closed.case.closed_at is not None
    assert closed.events[-1].note == "the copy was shared at a meeting"
    assert b.cases.list(state="closed")[0].id == case.id and b.cases.list(state="open") == []


def test_evidence_altered_in_the_database_shows_and_is_never_traced(
    issued: tuple[Barium, int, list[tuple[str, str]]],
) -> None:
    b, doc, copies = issued
    case = b.cases.open("Custody", doc=doc)
    item = b.cases.attach(case.id, text=copies[1][1])
    with b.ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE evidence_blobs SET content = :c"), {"c": copies[2][1].encode()})
    assert not b.cases.get(case.id).evidence[0].intact
    with pytest.raises(Conflict, match=f"evidence {item.id} no longer matches"):
        b.cases.trace(case.id)


def test_bad_evidence_and_unknown_cases_are_refused_clearly(barium: Barium, tmp_path: Path) -> None:
    case = barium.cases.open("Bad input")
    with pytest.raises(NotFound, match="no case 42"):
        barium.cases.attach(42, text="x")
    with pytest.raises(InputError, match="one of"):
        barium.cases.attach(case.id)
    with pytest.raises(InputError, match="empty"):
        barium.cases.attach(case.id, text="  ")
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="not something Barium can trace"):
        barium.cases.attach(case.id, path=blob)
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * (barium.ctx.limits.leak_bytes + 1))
    with pytest.raises(InputTooLarge):
        barium.cases.attach(case.id, path=huge)
    with pytest.raises(InputError, match="title"):
        barium.cases.open("   ")
    with pytest.raises(InputError, match="no state"):
        barium.cases.list(state="pending")
    with pytest.raises(InputError, match="in the past"):
        barium.cases.assign(case.id, to="someone", due=datetime(2020, 1, 1, tzinfo=UTC))
    assert barium.cases.get(case.id).evidence == []


def test_a_page_attached_by_url_is_kept_as_received_and_traced_from_its_visible_text(
    issued: tuple[Barium, int, list[tuple[str, str]]],
) -> None:
    b, doc, copies = issued
    name, copy = copies[11]
    page = ARTICLE.format(leak=html_paste(excerpt_words(copy, 30, 220))).encode()
    server = LoopbackServer()
    try:
        server.routes["/story"] = lambda hit: Reply(200, page, {"Content-Type": "text/html"})
        server.routes["/gone"] = lambda hit: Reply(404, b"no")
        case = b.cases.open("From the web", doc=doc)
        item = b.cases.attach(case.id, url=server.url("/story"))
        assert item.media_type == "text/html" and item.sha256 == hashlib.sha256(page).hexdigest()
        assert item.origin == server.url("/story") and b.cases.evidence_bytes(case.id, item.id) == page
        _, result = b.cases.trace(case.id)
        assert [a.recipient for a in result.accused] == [name]
        with pytest.raises(FetchError, match="404"):
            b.cases.attach(case.id, url=server.url("/gone"))
        assert len(b.cases.get(case.id).evidence) == 1
    finally:
        server.close()
