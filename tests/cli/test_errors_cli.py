"""Whatever goes wrong, the command line answers with a message and an exit code, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from barium.services import Barium
from tests.cli.entry import barium
from tests.cli.test_cli import run
from tests.store.test_postgres import pg_url  # noqa: F401  (a fixture: a throwaway PostgreSQL schema)

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--bogus",), "No such option: --bogus"),
        (("bogus",), "No such command 'bogus'"),
        (("doc", "list", "--bogus"), "No such option: --bogus"),
        (("doc", "bogus"), "No such command 'bogus'"),
        (("doc", "add"), "Missing argument"),
        (("issue", "1", "--version", "two", "--out", "x"), "Invalid value"),
        ((), "Usage:"),  # no command: the help, on standard error
        (("watch",), "Usage:"),
    ],
)
def test_usage_errors_exit_2_with_a_message_from_the_real_entry_point(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(tmp_path / "ws", *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    with Barium.init(home) as b:
        b.documents.add(FIXTURES / "memo.txt", title="Release")
        b.recipients.add("Jane Roe", email="jane@example.org")
    return home


def test_an_out_folder_that_cannot_be_made_is_a_clear_error(ws: Path, tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder\n")
    result = barium(ws, "issue", "1", "--all", "--out", str(in_the_way / "copies"))
    assert result.code == 2, result.err
    assert str(in_the_way / "copies") in result.err and "Traceback" not in result.err


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_out_folder_without_write_permission_is_a_clear_error(ws: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = barium(ws, "issue", "1", "--all", "--out", str(locked / "copies"))
    assert result.code == 2, result.err
    assert "Permission denied" in result.err and "Traceback" not in result.err


def test_standard_input_that_is_not_utf8_is_a_clear_error(ws: Path) -> None:
    result = barium(ws, "trace", "-", stdin="Caf\u00e9 au lait, a leak in Latin-1.".encode("latin-1"))
    assert result.code == 2, result.err
    assert "standard input: not valid UTF-8" in result.err


def test_standard_input_is_decoded_as_utf8_whatever_the_locale(ws: Path) -> None:
    result = barium(ws, "trace", "-", "--json", stdin="\ufeffCaf\u00e9 \u2014 nothing from any document.".encode())
    assert result.code == 0, result.err
    assert '"verdict": "no_match"' in result.out


def test_standard_input_over_the_leak_cap_is_refused(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARIUM_MAX_LEAK_BYTES", "100")
    result = barium(ws, "trace", "-", stdin=b"word " * 100)
    assert result.code == 2, result.err
    assert "max_leak_bytes" in result.err


def nul_master(tmp_path: Path) -> Path:
    master = tmp_path / "master.txt"
    body = "The confidential plan says the raid is set for dawn on the sixth. " * 1200  # past the first 64 KiB
    master.write_bytes(body.encode() + b"\x00" + b"More of the plan.\n")
    return master


def test_a_master_with_a_nul_anywhere_is_refused_before_anything_is_stored(ws: Path, tmp_path: Path) -> None:
    result = barium(ws, "doc", "add", str(nul_master(tmp_path)), "--title", "Plan")
    assert result.code == 2, result.err
    assert "NUL" in result.err
    assert barium(ws, "doc", "list", "--json").out.count('"title"') == 1


def test_a_master_with_a_nul_is_refused_on_postgresql_without_printing_it(
    tmp_path: Path,
    pg_url: str,  # noqa: F811
) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    (home / "barium.toml").write_text(f'database_url = "{pg_url}"\n')
    assert barium(home, "init").code == 0
    result = barium(home, "doc", "add", str(nul_master(tmp_path)), "--title", "Plan")
    assert result.code == 2, result.err
    assert "NUL" in result.err and "raid" not in result.err and "Traceback" not in result.err
    assert barium(home, "doc", "list", "--json").out.strip() == "[]"
