"""`barium scan`, `barium public ...` as a user runs them: skipped items are shown, never fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("watching") / "ws"
    assert run(home, "init").returncode == 0
    assert run(home, "doc", "add", str(FIXTURES / "memo.txt"), "--title", "Release").returncode == 0
    (home / "barium.toml").write_text("max_leak_bytes = 20000\n")
    return home


def test_scan_shows_each_skipped_file_with_its_reason_and_goes_on(home: Path, tmp_path: Path) -> None:
    press = tmp_path / "press"
    press.mkdir()
    (press / "big.txt").write_text("word " * 5_000)
    (press / "binary.txt").write_bytes(b"text\x00\x00")
    (press / "story.txt").write_text("Quoted: " + (FIXTURES / "memo.txt").read_text()[:1500])
    human = run(home, "scan", str(press), "--no-paraphrase")
    assert human.returncode == 0, human.stderr
    assert "big.txt: 25,000 bytes, over the 20,000-byte limit (max_leak_bytes)" in human.stderr
    assert "binary.txt: looks like a binary file" in human.stderr and "2 skipped" in human.stderr
    machine = run(home, "scan", str(press), "--no-paraphrase", "--json")
    assert machine.returncode == 0
    assert [m["document"]["title"] for m in json.loads(machine.stdout)] == ["Release"]
    lines = [json.loads(line) for line in machine.stderr.splitlines()]
    assert [(Path(x["skipped"]).name, x["reason"][:10]) for x in lines] == [
        ("big.txt", "25,000 byt"),
        ("binary.txt", "looks like"),
    ]


def test_public_texts_are_added_listed_and_removed(home: Path, tmp_path: Path) -> None:
    statement = tmp_path / "statement.txt"
    statement.write_text("The ministry published its labour market figures today, as planned.")
    added = run(home, "public", "add", str(statement), "--title", "[bold]Statement[/]")
    assert added.returncode == 0, added.stderr
    listed = json.loads(run(home, "public", "list", "--json").stdout)
    assert [(p["id"], p["title"]) for p in listed] == [(1, "[bold]Statement[/]")]
    assert "[bold]Statement[/]" in run(home, "public", "list").stdout  # printed literally
    assert run(home, "public", "remove", "1").returncode == 0
    assert json.loads(run(home, "public", "list", "--json").stdout) == []
    missing = run(home, "public", "remove", "1")
    assert missing.returncode == 4 and "barium public list" in missing.stderr
