"""`barium recipients ...` as a user runs it: namesakes, remove, rename, hostile names and files."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from barium.services import Barium
from barium.store import Recipient
from tests.cli.test_cli import run

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("recipients")
    home = tmp / "ws"
    assert run(home, "init").returncode == 0
    assert run(home, "doc", "add", str(FIXTURES / "memo.txt"), "--title", "Memo").returncode == 0
    staff = tmp / "staff.csv"
    # What a spreadsheet saves as "Unicode text": UTF-16 with a BOM, and its own header spelling.
    staff.write_bytes(
        codecs.BOM_UTF16_LE
        + "Name,E-mail\nJohn Smith,js@a.example\nJohn Smith,js@b.example\nAnn Lee,ann@example.org\n".encode("utf-16-le")
    )
    done = run(home, "recipients", "import", str(staff))
    assert done.returncode == 0, done.stderr
    return home


def people(home: Path, *flags: str) -> list[dict[str, object]]:
    listed = run(home, "recipients", "list", "--json", *flags)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert isinstance(data, list)
    return data


def test_namesakes_are_imported_and_a_bare_name_is_refused_listing_their_emails_and_ids(
    home: Path, tmp_path: Path
) -> None:
    smiths = [p for p in people(home) if p["name"] == "John Smith"]
    assert [p["email"] for p in smiths] == ["js@a.example", "js@b.example"]
    out = tmp_path / "copies"
    refused = run(home, "issue", "1", "--to", "John Smith", "--out", str(out))
    assert refused.returncode == 2
    for p in smiths:
        assert f"id {p['id']} <{p['email']}>" in refused.stderr
    assert "traceback" not in refused.stderr.lower()
    assert not out.exists()
    done = run(home, "issue", "1", "--to", "js@b.example", "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert [c["email"] for c in json.loads(done.stdout)["copies"]] == ["js@b.example"]


def test_a_removed_recipient_is_hidden_from_list_but_kept_in_list_all_and_issued(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "copies"
    assert run(home, "issue", "1", "--to", "ann@example.org", "--out", str(out)).returncode == 0
    removed = run(home, "recipients", "remove", "Ann Lee")
    assert removed.returncode == 0, removed.stderr
    assert "Removed recipient" in removed.stdout and "Ann Lee" in removed.stdout
    assert "Ann Lee" not in [p["name"] for p in people(home)]
    [ann] = [p for p in people(home, "--all") if p["name"] == "Ann Lee"]
    assert ann["removed_at"]
    table = run(home, "recipients", "list", "--all")
    assert "Ann Lee" in table.stdout and "removed" in table.stdout
    issued = json.loads(run(home, "issued", "1", "--json").stdout)
    assert "ann@example.org" in [r["email"] for r in issued]
    assert "(removed)" in run(home, "issued", "1").stdout
    again = run(home, "issue", "1", "--to", "Ann Lee", "--out", str(out))
    assert again.returncode == 4 and "was removed" in again.stderr
    assert run(home, "recipients", "restore", "ann@example.org").returncode == 0
    assert "Ann Lee" in [p["name"] for p in people(home)]


def test_rename_keeps_the_id_and_refuses_hostile_names_without_echoing_them(home: Path) -> None:
    [before] = [p for p in people(home) if p["email"] == "js@a.example"]
    renamed = run(home, "recipients", "rename", "js@a.example", "John A. Smith", "--json")
    assert renamed.returncode == 0, renamed.stderr
    assert json.loads(renamed.stdout) == {**before, "name": "John A. Smith"}
    for hostile in ("John\x1b[2J\x1b[HSmith", "John \u202ehtimS", "John\nSmith"):
        refused = run(home, "recipients", "rename", "js@a.example", hostile)
        assert refused.returncode == 2, refused.stderr
        assert "\x1b" not in refused.stderr and "\u202e" not in refused.stderr
        assert "names must be plain text" in refused.stderr
    refused = run(home, "recipients", "add", "Eve\x1b]8;;https://x.example\x07Eve", "--email", "x@example.org")
    assert refused.returncode == 2 and "\x1b" not in refused.stderr
    assert [p["name"] for p in people(home) if p["email"] == "js@a.example"] == ["John A. Smith"]


def test_a_semicolon_csv_is_refused_with_its_line(home: Path, tmp_path: Path) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text("name,email\nZed One,zed@example.org\nZed Two;zed2@example.org\n")
    refused = run(home, "recipients", "import", str(staff))
    assert refused.returncode == 2
    assert "staff.csv, line 3" in refused.stderr and "semicolons" in refused.stderr
    assert "Zed One" not in [p["name"] for p in people(home, "--all")]


def test_a_name_stored_before_names_were_checked_is_listed_without_its_escape_sequences(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert run(home, "init").returncode == 0
    with Barium.open(home) as b, b.ws.db.session() as s:
        # What an older release accepted: a name that clears the screen, and a bidi override.
        s.add(Recipient(name="Eve\x1b[2J\x1b[H", name_key="eve\x1b[2j\x1b[h", email=None, extra="{}"))
        s.add(Recipient(name="Mal \u202eyrolb", name_key="mal \u202eyrolb", email=None, extra="{}"))
    listed = run(home, "recipients", "list")
    assert listed.returncode == 0, listed.stderr
    assert "\x1b[2J" not in listed.stdout and "\u202e" not in listed.stdout
    assert "Eve\\u001b[2J" in listed.stdout and "Mal \\u202eyrolb" in listed.stdout
