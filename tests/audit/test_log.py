"""The log as the services write it: in the action's transaction, sealed, signed, provable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from barium.audit import EntryFields, leaf_hash, verify_inclusion
from barium.audit.checkpoint import Checkpoint, read_checkpoint
from barium.errors import IntegrityFailure, NotFound, WorkspaceError
from barium.services import Barium
from barium.store import Database
from barium.store.db import alembic_config
from barium.workspace import AUDIT_KEY_FILE, DB_FILE, KEY_FILE, Workspace
from tests.cli.entry import barium as cli
from tests.conftest import add_people


def test_entries_take_consecutive_places_and_each_is_sealed_under_the_root_after_it(barium: Barium) -> None:
    add_people(barium, 5)
    log = barium.audit.entries(limit=100)
    assert [e.seq for e in log] == list(range(6))
    result = barium.audit.verify()
    assert result.intact and result.entries == 6
    with barium.ws.db.engine.connect() as conn:
        last_root = conn.execute(text("SELECT root FROM audit_log WHERE seq = 5")).scalar_one()
    assert result.root == last_root


def test_an_action_that_fails_leaves_neither_its_entry_nor_a_moved_head(barium: Barium) -> None:
    barium.recipients.add("Ann Example", email="ann@example.org")
    with barium.ws.db.engine.connect() as conn:
        head = conn.execute(text("SELECT value FROM workspace_meta WHERE name = 'audit.head'")).scalar_one()
    with pytest.raises(RuntimeError), barium.ctx.unit() as uow:
        uow.record("recipient.add", "recipient 99", name="Nobody")
        raise RuntimeError("the action fails after its entry was written")
    with barium.ws.db.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM workspace_meta WHERE name = 'audit.head'")).scalar_one() == head
    assert [e.action for e in barium.audit.entries()] == ["workspace.create", "recipient.add"]
    barium.recipients.add("Bob Example")  # the next entry takes the place the failed one did not
    assert [e.seq for e in barium.audit.entries()] == [0, 1, 2]
    assert barium.audit.verify().intact


def test_a_checkpoint_is_signed_kept_recorded_and_checkable_without_barium(barium: Barium, tmp_path: Path) -> None:
    add_people(barium, 3)
    out = tmp_path / "cp.json"
    point = barium.audit.checkpoint(out=out)
    assert point.size == 4 and point.signature_valid()
    assert read_checkpoint(out) == point
    assert barium.audit.entries()[-1].action == "audit.checkpoint"  # a use of the signing key
    # What a witness does with the file alone: check the Ed25519 signature over the note.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = json.loads(out.read_text())
    note = f"barium audit checkpoint v1\norigin {raw['origin']}\nsize {raw['size']}\nroot {raw['root']}\ntime {raw['time']}\n"
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(raw["public_key"])).verify(
        bytes.fromhex(raw["signature"]), note.encode()
    )
    forged = Checkpoint(**{**{k: raw[k] for k in ("origin", "root", "time", "public_key", "signature")}, "size": 5})
    assert not forged.signature_valid()


def test_an_inclusion_proof_checks_out_from_the_entry_bytes_alone(barium: Barium) -> None:
    add_people(barium, 6)
    with pytest.raises(NotFound, match="no checkpoint"):
        barium.audit.prove(2)
    point = barium.audit.checkpoint()
    for seq in range(point.size):
        proof = barium.audit.prove(seq)
        assert proof.checkpoint == point
        leaf = leaf_hash(proof.entry.encode())
        assert leaf.hex() == proof.leaf
        assert verify_inclusion(
            leaf, seq, point.size, [bytes.fromhex(p) for p in proof.path], bytes.fromhex(point.root)
        )
    with pytest.raises(NotFound):
        barium.audit.prove(99)
    barium.recipients.add("After The Checkpoint")
    with pytest.raises(NotFound, match="no checkpoint covers entry #8"):
        barium.audit.prove(8)


def test_a_log_that_is_not_intact_is_never_signed(barium: Barium) -> None:
    add_people(barium, 2)
    with barium.ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET subject = 'recipient 9' WHERE seq = 1"))
    with pytest.raises(IntegrityFailure, match="not intact"):
        barium.audit.checkpoint()
    with barium.ws.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_checkpoints")).scalar_one() == 0


def test_entries_an_older_barium_wrote_are_sealed_at_upgrade_in_the_order_written(tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir(mode=0o700)
    (home / KEY_FILE).write_text("ab" * 32 + "\n")
    (home / KEY_FILE).chmod(0o600)
    db = Database(f"sqlite:///{home / DB_FILE}")
    with db.engine.begin() as conn:
        cfg = alembic_config(db.engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009")
        for i, action in enumerate(["workspace.create", "recipient.add", "copy.issue"]):
            conn.execute(
                text(
                    "INSERT INTO audit_log (id, at, actor_kind, actor, action, subject, details) "
                    "VALUES (:i, '2026-01-01 10:00:00.000000', 'user', 'alice', :a, 'x', '{}')"
                ),
                {"i": 10 + i, "a": action},
            )
    db.dispose()
    (home / DB_FILE).chmod(0o600)
    with pytest.raises(WorkspaceError, match="barium db upgrade"):
        Barium.open(home)
    Workspace.upgrade(home)
    assert (home / AUDIT_KEY_FILE).stat().st_mode & 0o077 == 0
    with Barium.open(home) as b:
        log = b.audit.entries()
        assert [(e.seq, e.action) for e in log] == [
            (0, "workspace.create"),
            (1, "recipient.add"),
            (2, "copy.issue"),
            (3, "audit.seal"),
        ]
        assert log[3].details == {"entries": 3} and log[3].actor_kind == "system"
        assert b.audit.verify().intact
        first = EntryFields(0, log[0].at, "user", "alice", "workspace.create", "x", "{}")
        assert first.leaf().hex() == log[0].leaf
    Workspace.upgrade(home)  # again: nothing left to seal, nothing added
    with Barium.open(home) as b:
        assert len(b.audit.entries()) == 4


def test_a_workspace_refuses_an_audit_key_that_is_missing_or_not_its_own(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    kept = (home / AUDIT_KEY_FILE).read_text()
    (home / AUDIT_KEY_FILE).unlink()
    with pytest.raises(WorkspaceError, match=r"audit signing key .* is missing"):
        Barium.open(home)
    (home / AUDIT_KEY_FILE).write_text("cd" * 32 + "\n")
    (home / AUDIT_KEY_FILE).chmod(0o600)
    with pytest.raises(WorkspaceError, match="does not match"):
        Barium.open(home)
    (home / AUDIT_KEY_FILE).write_text(kept)
    (home / AUDIT_KEY_FILE).chmod(0o644)
    with pytest.raises(WorkspaceError, match="chmod 600"):
        Barium.open(home)
    (home / AUDIT_KEY_FILE).chmod(0o600)
    Barium.open(home).close()


def test_the_cli_verifies_with_exit_codes_and_names_the_entry_changed(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert cli(home, "init").code == 0
    for i in range(4):
        assert cli(home, "recipients", "add", f"Person {i}").code == 0
    cp = tmp_path / "cp.json"
    made = cli(home, "audit", "checkpoint", "--out", str(cp), "--json")
    assert made.code == 0 and json.loads(made.out)["size"] == 5
    ok = cli(home, "audit", "verify", "--checkpoint", str(cp))
    assert ok.code == 0 and "intact" in ok.out
    proof = cli(home, "audit", "prove", "2")
    assert proof.code == 0 and '"action":"recipient.add"' in "".join(proof.out.split())
    with Barium.open(home) as b, b.ws.db.engine.begin() as conn:
        conn.execute(text('UPDATE audit_log SET details = \'{"name": "Person 9"}\' WHERE seq = 3'))
    bad = cli(home, "audit", "verify", "--json")
    assert bad.code == 1
    report = json.loads(bad.out)
    assert report["intact"] is False and (report["problems"][0]["kind"], report["problems"][0]["seq"]) == ("edited", 3)
    assert {p["kind"] for p in report["problems"]} == {"edited", "checkpoint"}  # the checkpoint no longer fits either
    assert "entry #3 was edited" in cli(home, "audit", "verify").err
    refused = cli(home, "audit", "prove", "2")  # a changed log vouches for nothing
    assert refused.code == 5 and "not intact" in refused.err
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not a checkpoint")
    junked = cli(home, "audit", "verify", "--checkpoint", str(junk))
    assert junked.code == 2 and "not a checkpoint" in junked.err
    assert cli(home, "audit", "verify", "--checkpoint", str(tmp_path / "absent.json")).code == 2
    since = cli(home, "audit", "log", "--since", "2999-01-01")
    assert since.code == 0 and "no entries that match" in since.out
    assert cli(home, "audit", "log", "--since", "yesterday").code == 2


def test_a_trace_and_a_change_of_settings_are_in_the_log(tmp_path: Path, memo: Path) -> None:
    home = tmp_path / "ws"
    with Barium.init(home) as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 6)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
        result = b.tracing.trace(copies[2].text)
        (entry,) = b.audit.entries(action="trace.run")
        assert entry.details["verdict"] == "identified" and entry.details["accused"] == [result.accused[0].recipient_id]
        assert entry.details["leaks"] == [result.leaks[0].sha256]
        assert copies[2].recipient.name not in json.dumps(entry.details)
    (home / "barium.toml").write_text("case_stage_days = 10\n")
    with Barium.open(home) as b:
        (change,) = b.audit.entries(action="settings.change")
        assert change.details["names"] == ["case_stage_days"]
        assert json.loads(str(change.details["changes"])) == {"case_stage_days": [30, 10]}
    with Barium.open(home) as b:  # unchanged since: nothing more
        assert len(b.audit.entries(action="settings.change")) == 1
        assert b.audit.verify().intact
