"""Issuing: codes that survive a database restore, a manifest that only grows, a record of who got what."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from barium.channels import channel_map
from barium.codes import Code, CodeSpec
from barium.errors import IntegrityFailure, NotFound, WorkspaceError
from barium.marking import build_plan, sites_from_json
from barium.services import Barium
from barium.services.prepare import prepare
from barium.store import Database, DocumentVersion, Issuance, Recipient
from barium.store.db import alembic_config
from barium.workspace import DB_FILE, KEY_FILE, Workspace
from tests.conftest import add_people


def words(text_: str, start: int, n: int) -> str:
    return " ".join(text_.split()[start : start + n])


def manifest_rows(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((folder / "manifest.csv").read_text("utf-8").splitlines()))


def backup(home: Path, to: Path) -> None:
    """A consistent copy of the live database, as an administrator's backup would be."""
    with sqlite3.connect(home / DB_FILE) as src, sqlite3.connect(to) as dst:
        src.backup(dst)


def restore(home: Path, saved: Path) -> None:
    for leftover in (home / f"{DB_FILE}-wal", home / f"{DB_FILE}-shm"):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(saved, home / DB_FILE)


def test_after_a_database_restore_a_newcomer_never_gets_a_lost_recipients_copy(
    tmp_path: Path, memo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The words setting: the note on an unrecorded copy needs 100 code positions read, more
    # than the marks after clauses of this short memo carry.
    monkeypatch.setenv("BARIUM_INVISIBLE_GAPS", "words")
    home = tmp_path / "ws"
    saved = tmp_path / "backup.db"
    with Barium.init(home) as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 5)
        backup(home, saved)
        b.recipients.add("Alice Lost", email="alice@example.org")  # added after the backup
        alice = b.issuing.issue(doc.id, to=["Alice Lost"], out=tmp_path / "copies").copies[0]
    restore(home, saved)
    with Barium.open(home) as b:
        bob = b.recipients.add("Bob New", email="bob@example.org")
        assert bob.id == alice.recipient.id, "the restored database hands the lost id out again"
        copy = b.issuing.issue(doc.id, to=["Bob New"], out=tmp_path / "copies").copies[0]
        assert copy.text != alice.text
        leak = words(alice.text, 10, 200)
        result = b.tracing.trace(leak)
    assert "Bob New" not in {a.recipient for a in result.accused}
    assert result.verdict != "identified"
    assert "Bob New" not in {c.recipient for c in result.candidates}
    assert any("a copy the database does not record" in note for note in result.notes), result.notes


def test_a_copy_whose_code_is_already_someone_elses_is_refused_and_nothing_is_written(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 3)
    out = tmp_path / "copies"
    barium.issuing.issue(doc.id, to=["Person 000"], out=out)
    with barium.ws.db.session() as s:
        second = s.scalars(select(Recipient).where(Recipient.name == "Person 001")).one()
        code = prepare(s.get(DocumentVersion, doc.version_id), barium.ws.key).code  # type: ignore[arg-type]
        # The record says Person 001's code went to Person 000: what integer-derived
        # codes did after a restore.
        s.scalars(select(Issuance)).one().fingerprint = code.fingerprint(second.uid)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(IntegrityFailure, match="already issued"):
        barium.issuing.issue(doc.id, to=["Person 001"], out=out)
    assert sorted(p.name for p in out.iterdir()) == before
    with barium.ws.db.session() as s:
        assert len(list(s.scalars(select(Issuance)))) == 1


def test_a_copy_identical_to_one_the_manifest_records_for_someone_else_is_refused(tmp_path: Path, memo: Path) -> None:
    home = tmp_path / "ws"
    out = tmp_path / "copies"
    with Barium.init(home) as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 2)
        b.issuing.issue(doc.id, to=["Person 000"], out=out)
        with b.ws.db.session() as s:
            s.execute(text("DELETE FROM issuances"))  # the database forgot; the folder's record did not
            s.execute(text("UPDATE recipients SET name = 'Someone Else', name_key = 'someone else' WHERE id = 1"))
        with pytest.raises(IntegrityFailure, match=r"manifest\.csv records"):
            b.issuing.issue(doc.id, to=["Someone Else"], out=out)
    assert len(manifest_rows(out)) == 1


def test_the_manifest_only_grows_and_versions_never_share_a_file_name(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 4)
    out = tmp_path / "copies"
    barium.issuing.issue(doc.id, all_recipients=True, out=out)
    barium.documents.update(doc.id, memo.read_text() + "\nA paragraph added in the second version.\n")
    barium.issuing.issue(doc.id, all_recipients=True, out=out)
    barium.issuing.issue(doc.id, to=["Person 002"], version=1, out=out)
    rows = manifest_rows(out)
    assert len(rows) == 9
    assert [r["version"] for r in rows] == ["1"] * 4 + ["2"] * 4 + ["1"]
    assert len({r["file"] for r in rows}) == 8
    for r in rows:
        assert (out / r["file"]).is_file()
    assert len([p for p in out.iterdir() if p.suffix == ".txt"]) == 8


def test_a_manifest_of_an_older_release_keeps_every_row(barium: Barium, memo: Path, tmp_path: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 2)
    out = tmp_path / "copies"
    out.mkdir()
    (out / "manifest.csv").write_text("recipient,email,file,sha256\nOld Person,old@example.org,old-1.txt,abc\n")
    barium.issuing.issue(doc.id, all_recipients=True, out=out)
    rows = manifest_rows(out)
    assert rows[0]["recipient"] == "Old Person" and rows[0]["sha256"] == "abc"
    assert len(rows) == 3


def test_issued_says_who_received_which_version_when_with_the_files_sha256(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 3)
    report = barium.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "copies")
    barium.documents.update(doc.id, memo.read_text() + "\nMore.\n")
    barium.issuing.issue(doc.id, to=["Person 001"])
    records = barium.issuing.issued(doc.id)
    assert [(r.recipient, r.version) for r in records] == [
        ("Person 000", 1),
        ("Person 001", 1),
        ("Person 002", 1),
        ("Person 001", 2),
    ]
    assert [r.sha256 for r in records[:3]] == [c.sha256 for c in report.copies]
    assert records[0].file == report.copies[0].file and records[3].file is None
    assert all(r.issued_at.tzinfo is not None for r in records)
    assert [r.recipient for r in barium.issuing.issued(doc.id, version=2)] == ["Person 001"]
    data = records[0].to_dict()
    assert set(data) == {"recipient", "email", "version", "file", "sha256", "issued_at"}
    json.dumps(data)


def test_issuing_an_unknown_document_creates_no_folder(barium: Barium, tmp_path: Path) -> None:
    add_people(barium, 1)
    with pytest.raises(NotFound):
        barium.issuing.issue(99, all_recipients=True, out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_names_that_look_like_formulas_are_written_inert_in_the_manifest(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(memo, title="Release")
    barium.recipients.add("=cmd|' /C calc'!A0", email="x@example.org")
    barium.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "copies")
    row = manifest_rows(tmp_path / "copies")[0]
    assert row["recipient"] == "'=cmd|' /C calc'!A0"


def test_sqlite_commits_are_synchronous_so_an_issuance_outlives_a_power_cut(barium: Barium) -> None:
    with barium.ws.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_copies_issued_before_code_identities_existed_stay_traceable(tmp_path: Path, memo: Path) -> None:
    """A workspace of the previous schema: its copies were derived from integer ids."""
    # The site list and code parameters a real registration stores, reused below.
    with Barium.init(tmp_path / "model") as model:
        model.documents.add(memo, title="Release")
        with model.ws.db.session() as s:
            v = s.scalars(select(DocumentVersion)).one()
            sites_json, params_json, content = v.sites, v.code_params, v.content
        key = model.ws.key
    home = tmp_path / "old"
    home.mkdir()
    (home / KEY_FILE).write_text(key.hex() + "\n")
    (home / KEY_FILE).chmod(0o600)
    db = Database(f"sqlite:///{home / DB_FILE}")
    with db.engine.begin() as conn:
        cfg = alembic_config(db.engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(text("INSERT INTO documents (id, title, created_at) VALUES (1, 'Release', '2026-01-01')"))
        conn.execute(
            text(
                "INSERT INTO document_versions (id, document_id, version, format, filename, content, sha256, "
                "options, sites, code_params, created_at) VALUES (1, 1, 1, 'text', 'memo.txt', :c, 'x', "
                "'{\"disabled_channels\": [], \"disabled_rules\": []}', :s, :p, '2026-01-01')"
            ),
            # The previous release stored a bare list of rows (site schema version 1).
            {"c": content, "s": json.dumps([row[:7] for row in json.loads(sites_json)["sites"]]), "p": params_json},
        )
        for rid in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO recipients (id, name, name_key, email, email_key, extra, created_at) "
                    "VALUES (:i, :n, :k, NULL, NULL, '{}', '2026-01-01')"
                ),
                {"i": rid, "n": f"Old {rid}", "k": f"old {rid}"},
            )
            conn.execute(
                text(
                    "INSERT INTO issuances (version_id, recipient_id, sha256, issued_at) "
                    "VALUES (1, :i, 'x', '2026-01-01')"
                ),
                {"i": rid},
            )
    db.dispose()
    (home / DB_FILE).chmod(0o600)  # open refuses a database other users can read, before the schema check
    # The copy of recipient 2 exactly as the previous release derived it.
    params = json.loads(params_json)
    plan = build_plan(
        sites_from_json(sites_json), channels=channel_map(), key=key, code_id="1:1", repetition=params["repetition"]
    )
    code = Code.derive(
        key, "1:1", plan.length, CodeSpec(cutoff=params["cutoff"], uniform_share=params["uniform_share"])
    )
    old_copy = plan.render(content, code.codeword("2"))  # the legacy identity: the row id, as text
    with pytest.raises(WorkspaceError, match="barium db upgrade"):
        Barium.open(home)
    Workspace.upgrade(home)
    with Barium.open(home) as b:
        with b.ws.db.session() as s:
            # The upgrade rebuilds tables; it must never cascade into the issuance record.
            assert len(list(s.scalars(select(Issuance)))) == 3
        result = b.tracing.trace(old_copy)
    assert result.verdict == "identified"
    assert [a.recipient for a in result.accused] == ["Old 2"]
    assert len(result.candidates) >= 1


def test_a_document_too_lightly_marked_for_its_recipients_is_issued_and_says_how_many_copies_are_alike(
    barium: Barium,
) -> None:
    doc = barium.documents.add("Noted.\n", title="Note")
    add_people(barium, 6)
    report = barium.issuing.issue(doc.id, all_recipients=True)
    assert len(report.copies) == 6
    assert report.identical_copies == 6  # no site at all: every copy is the master's text
    assert report.to_dict()["identical_copies"] == 6
