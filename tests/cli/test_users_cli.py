"""`barium users ...` as an administrator runs it: passwords from stdin or generated, tokens
printed once, clear refusals with their exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from barium.services import Barium
from tests.cli.entry import barium

PASSWORD = "correct horse battery"


def test_users_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    done = barium(home, "users", "add", "alice", "--role", "admin", "--password-stdin", stdin=f"{PASSWORD}\n".encode())
    assert done.code == 0 and "Added user alice (admin)" in done.out, done
    made = barium(home, "users", "add", "ivan", "--role", "investigator", "--role", "auditor", "--generate-password")
    assert made.code == 0
    generated = re.search(r"password \(shown once\): (\S+)", made.out)
    assert generated is not None
    with Barium.open(home) as b:
        assert b.users.login("ivan", generated.group(1)).principal.user == "ivan"

    token = barium(home, "users", "token", "ivan", "--role", "auditor", "--label", "nightly", "--json")
    assert token.code == 0
    data = json.loads(token.out)
    assert data["token"].startswith("brm_") and data["role"] == "auditor" and data["label"] == "nightly"
    listed = json.loads(barium(home, "users", "tokens", "--json").out)
    assert [t["id"] for t in listed] == [data["id"]] and "token" not in listed[0]  # never shown again
    assert barium(home, "users", "revoke", str(data["id"])).code == 0
    with Barium.open(home) as b:
        assert b.users.tokens()[0].revoked_at is not None

    people = json.loads(barium(home, "users", "list", "--json").out)
    assert [(u["name"], u["roles"]) for u in people] == [("alice", ["admin"]), ("ivan", ["investigator", "auditor"])]
    assert "password" not in json.dumps(people)


def test_refusals_come_before_a_password_is_asked_for(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    bad_role = barium(home, "users", "add", "bob", "--role", "root", "--password-stdin", stdin=b"")
    assert bad_role.code == 2 and "unknown role 'root'" in bad_role.err
    bad_name = barium(home, "users", "add", "Bob Smith", "--role", "admin", "--password-stdin", stdin=b"")
    assert bad_name.code == 2 and "user name" in bad_name.err
    short = barium(home, "users", "add", "bob", "--role", "admin", "--password-stdin", stdin=b"short\n")
    assert short.code == 2 and "at least 12 characters" in short.err
    assert barium(home, "users", "add", "bob", "--role", "admin", "--generate-password").code == 0
    again = barium(home, "users", "add", "bob", "--role", "admin", "--generate-password")
    assert again.code == 5 and "exists already" in again.err and "shown once" not in again.out
    ghost = barium(home, "users", "passwd", "ghost", "--generate-password")
    assert ghost.code == 4 and "shown once" not in ghost.out
    last = barium(home, "users", "disable", "bob")
    assert last.code == 5 and "last admin" in last.err
    assert barium(tmp_path / "none", "users", "list").code == 3
