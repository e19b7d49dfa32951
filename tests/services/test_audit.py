"""Every write goes through a unit of work: the action and its audit entry commit together."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from barium.errors import Conflict, InputError, IntegrityFailure
from barium.services import Actor, Barium
from barium.services.prepare import prepare
from barium.store import DocumentVersion, Issuance
from barium.store.models import utcnow
from tests.conftest import add_people


def actions(b: Barium) -> list[str]:
    return [e.action for e in b.audit.entries(limit=10_000)]


def test_each_write_leaves_one_entry_naming_the_actor(tmp_path: Path, memo: Path) -> None:
    with Barium.init(tmp_path / "ws", actor=Actor("user", "alice")) as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 3)
        b.recipients.rename("Person 001", "Person One")
        b.recipients.remove("Person 002")
        b.recipients.restore("Person 002")
        b.issuing.issue(doc.id, all_recipients=True)
        b.issuing.issue(doc.id, to=["Person 000"])
        pid = b.public.add("A statement the author made public, of a dozen words or so.")
        b.public.remove(pid)
        source = b.watching.add("https://example.org/feed.xml")
        b.watching.remove(source.id)
        entries = b.audit.entries(limit=100)
    assert [e.action for e in entries] == [
        "workspace.create",
        "document.add",
        *["recipient.add"] * 3,
        "recipient.rename",
        "recipient.remove",
        "recipient.restore",
        *["copy.issue"] * 3,
        "copy.reissue",
        "public.add",
        "public.remove",
        "watch.add",
        "watch.remove",
    ]
    assert {(e.actor_kind, e.actor) for e in entries} == {("user", "alice")}
    issued = [e for e in entries if e.action == "copy.issue"]
    assert {e.subject for e in issued} == {f"document {doc.id}"}
    assert issued[0].details["version"] == 1 and len(str(issued[0].details["sha256"])) == 64
    rename = next(e for e in entries if e.action == "recipient.rename")
    assert rename.details == {"name": "Person One", "previous": "Person 001"}


def test_a_refused_write_leaves_no_entry(barium: Barium, tmp_path: Path, memo: Path) -> None:
    before = actions(barium)
    with pytest.raises(InputError):
        barium.documents.add("", title="Empty")
    bad = tmp_path / "people.csv"
    bad.write_text("name,email\nAnn,ann@example.org\nBob,ann@example.org\n")
    with pytest.raises(Conflict):
        barium.recipients.import_csv(bad)  # all or nothing: Ann is not added either
    assert actions(barium) == before
    assert barium.recipients.list() == []


def test_an_issue_refused_midway_records_no_copy_it_did_not_issue(barium: Barium, memo: Path) -> None:
    """The collision check fails on the third copy of a batch, inside the unit: the rows
    and entries of the first two roll back with it."""
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 4)
    barium.issuing.issue(doc.id, to=["Person 000"])
    gone = barium.recipients.remove("Person 003")
    third = next(r for r in barium.recipients.list() if r.name == "Person 002")
    # As a database restored from an old backup could leave it: the removed Person 003
    # holds a copy carrying the code Person 002 is about to get.
    with barium.ws.db.session() as s:
        version = s.get(DocumentVersion, doc.version_id)
        assert version is not None
        s.add(
            Issuance(
                version_id=doc.version_id,
                recipient_id=gone.id,
                sha256="0" * 64,
                fingerprint=prepare(version, barium.ws.key).code.fingerprint(third.uid),
                file="",
                issued_at=utcnow(),
            )
        )
    before = actions(barium)
    with pytest.raises(IntegrityFailure):
        barium.issuing.issue(doc.id, all_recipients=True)  # Person 000 again, 001 new, 002 refused
    assert actions(barium) == before
    assert [r.recipient for r in barium.issuing.issued(doc.id)] == ["Person 000", "Person 003"]


def test_the_log_filters_by_action_family_and_subject(barium: Barium, memo: Path, briefing: Path) -> None:
    one = barium.documents.add(memo, title="Release")
    two = barium.documents.add(briefing, title="Briefing")
    add_people(barium, 2)
    barium.issuing.issue(one.id, all_recipients=True)
    barium.issuing.issue(two.id, to=["Person 001"])
    assert len(barium.audit.entries(action="copy.")) == 3
    assert len(barium.audit.entries(action="copy")) == 0  # a whole action, or a family ending in a dot
    assert [e.action for e in barium.audit.entries(subject=f"document {two.id}")] == ["document.add", "copy.issue"]
    latest = barium.audit.entries(limit=2)
    assert [e.action for e in latest] == ["copy.issue", "copy.issue"] and latest[0].id < latest[1].id
    with pytest.raises(InputError):
        barium.audit.entries(limit=0)


def test_the_manifest_and_the_log_agree_on_every_copy_written(barium: Barium, memo: Path, tmp_path: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 4)
    out = tmp_path / "copies"
    barium.issuing.issue(doc.id, all_recipients=True, out=out)
    with (out / "manifest.csv").open() as fh:
        written = {row["sha256"] for row in csv.DictReader(fh)}
    logged = {str(e.details["sha256"]) for e in barium.audit.entries(action="copy.")}
    assert written == logged and len(written) == 4
