"""Titles, names and file names that look like Rich markup are printed as typed, by every command."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.entry import Ran, barium

FIXTURES = Path(__file__).parents[1] / "fixtures"
# A closing tag with nothing to close (crashed Rich), text styled invisible, a link, a trailing backslash.
TITLE = "[/]Plan"
HIDDEN = "[white on white]hid[/]"
LINK = "[link=https://evil.example]click[/link]"
BACKSLASH = "Back\\"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")  # whole cells, so each name can be found as typed


@dataclass
class Workspace:
    home: Path
    tmp: Path
    setup: dict[str, Ran]  # what the commands that built it printed


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    tmp = tmp_path_factory.mktemp("literal")
    home = tmp / "ws"
    staff = tmp / "staff.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([["name", "email"], [LINK, "link@example.org"], [BACKSLASH, "back@example.org"]])
    staff.write_text(buf.getvalue())
    steps = {
        "init": ("init",),
        "doc add": ("doc", "add", str(FIXTURES / "memo.txt"), "--title", TITLE),
        "doc add hidden": ("doc", "add", str(FIXTURES / "briefing.md"), "--title", HIDDEN),
        "recipients add": ("recipients", "add", HIDDEN, "--email", "hid@example.org"),
        "recipients import": ("recipients", "import", str(staff)),
        "issue": ("issue", TITLE, "--all", "--out", str(tmp / "copies")),
    }
    setup = {}
    for name, args in steps.items():
        setup[name] = ran = barium(home, *args)
        assert ran.code == 0, (name, ran.err)
    return Workspace(home, tmp, setup)


def test_document_titles_that_look_like_markup_are_shown_as_typed(ws: Workspace) -> None:
    assert f"'{TITLE}'" in ws.setup["doc add"].out
    assert f"'{HIDDEN}'" in ws.setup["doc add hidden"].out
    listed = barium(ws.home, "doc", "list")
    assert listed.code == 0, listed.err
    assert f" {TITLE} " in listed.out and f" {HIDDEN} " in listed.out
    shown = barium(ws.home, "doc", "show", HIDDEN)
    assert shown.code == 0 and f"'{HIDDEN}'" in shown.out
    updated = barium(ws.home, "doc", "update", HIDDEN, str(FIXTURES / "memo.txt"))
    assert updated.code == 0 and f"'{HIDDEN}'" in updated.out


def test_recipient_names_that_look_like_markup_are_shown_as_typed(ws: Workspace) -> None:
    assert f"{HIDDEN} <hid@example.org>" in ws.setup["recipients add"].out
    listed = barium(ws.home, "recipients", "list")
    assert listed.code == 0, listed.err
    for name in (HIDDEN, LINK, BACKSLASH):
        assert f" {name} " in listed.out


def test_issue_and_trace_show_markup_names_and_titles_as_typed(ws: Workspace) -> None:
    assert f"'{TITLE}'" in ws.setup["issue"].out
    out = ws.tmp / "copies"
    copies = {row["recipient"]: row["file"] for row in csv.DictReader(io.StringIO((out / "manifest.csv").read_text()))}
    for name in (HIDDEN, LINK, BACKSLASH):
        traced = barium(ws.home, "trace", str(out / copies[name]))
        assert traced.code == 0, traced.err
        assert "identified" in traced.out and f"'{TITLE}'" in traced.out
        assert f" {name} " in traced.out
    again = barium(ws.home, "issue", TITLE, "--to", LINK, "--out", str(ws.tmp / "again"))
    assert again.code == 0 and f"'{TITLE}'" in again.out
    assert barium(ws.home, "sites", TITLE).code == 0


def test_scanned_file_names_and_public_titles_that_look_like_markup_are_shown_as_typed(ws: Workspace) -> None:
    press = ws.tmp / "press"
    press.mkdir()
    (press / "[red]story.txt").write_text("From a blog:\n\n" + (FIXTURES / "memo.txt").read_text())
    scanned = barium(ws.home, "scan", str(press), "--no-paraphrase")
    assert scanned.code == 0, scanned.err
    assert "[red]story.txt" in scanned.out
    alerts = barium(ws.home, "alerts")
    assert alerts.code == 0 and "[red]story.txt" in alerts.out
    public = ws.tmp / "statement.txt"
    public.write_text("A statement the Directorate published, with nothing confidential in it at all.\n")
    assert barium(ws.home, "public", "add", str(public), "--title", HIDDEN).code == 0


def test_error_messages_quote_markup_as_typed(ws: Workspace) -> None:
    missing = barium(ws.home, "doc", "show", LINK)
    assert missing.code == 4 and LINK in missing.err
    duplicate = barium(ws.home, "recipients", "add", HIDDEN, "--email", "hid@example.org")
    assert duplicate.code == 5 and "Traceback" not in duplicate.err


def test_watched_urls_that_look_like_markup_are_shown_as_typed(ws: Workspace) -> None:
    url = "https://news.example/[/]feed[white on white]"
    added = barium(ws.home, "watch", "add", url)
    assert added.code == 0, added.err
    assert url in added.out
    listed = barium(ws.home, "watch", "list")
    assert listed.code == 0 and url in listed.out
