"""`barium variants suggest` and registering its reviewed output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run

MASTER = (
    "The board met on Tuesday. But the chair said the figures were not final.\n\n"
    '"We will publish in March," said Ms Lane.\n'
)


def test_suggestions_are_written_for_review_and_register_as_variants(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    master = tmp_path / "plan.txt"
    master.write_text(MASTER)
    out = tmp_path / "plan.suggested.txt"
    done = run(home, "variants", "suggest", str(master), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    families = {s["family"] for s in report["suggestions"]}
    assert {"sentence-opener", "attribution-order"} <= families
    assert "{{But|However,}}" in out.read_text()
    assert master.read_text() == MASTER  # the master itself is never rewritten

    assert run(home, "init").returncode == 0
    added = run(home, "doc", "add", str(out), "--title", "Plan", "--json")
    assert added.returncode == 0, added.stderr
    sites = json.loads(run(home, "sites", "1", "--json").stdout)
    rows = sites["sites"] if isinstance(sites, dict) else sites
    assert sum(1 for r in rows if r["channel"] == "variants") == len(report["suggestions"])


def test_bad_requests_fail_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    master = tmp_path / "plan.txt"
    master.write_text(MASTER)
    assert run(home, "variants", "suggest", str(tmp_path / "missing.txt")).returncode == 4
    assert run(home, "variants", "suggest", str(master), "--family", "bogus").returncode == 2
    assert run(home, "variants", "suggest", str(master), "--out", str(master)).returncode == 2
    assert run(home, "variants", "suggest", str(master), "--out", str(tmp_path / "no" / "x.txt")).returncode == 4
    assert run(home, "variants", "suggest", str(master), "--out", str(tmp_path)).returncode == 2
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me")
    assert run(home, "variants", "suggest", str(master), "--out", str(taken)).returncode == 5
    assert taken.read_text() == "keep me"
    assert run(home, "variants", "suggest", str(master), "--out", str(taken), "--force").returncode == 0
    markup = tmp_path / "markup.txt"
    markup.write_text("A [bold]tag[/bold] and a {{broken [/b] variant.\n")
    failed = run(home, "variants", "suggest", str(markup))
    assert failed.returncode == 2 and "[/b]" in failed.stderr
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01" * 100)
    assert run(home, "variants", "suggest", str(binary)).returncode == 2


def test_bad_variant_markup_is_refused_by_doc_add(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert run(home, "init").returncode == 0
    bad = tmp_path / "bad.md"
    bad.write_text("# Plan\n\nThe team {{will meet|will meet}} at dawn.\n")
    done = run(home, "doc", "add", str(bad))
    assert done.returncode == 2
    assert "line 3" in done.stderr and "read the same" in done.stderr
    assert json.loads(run(home, "doc", "list", "--json").stdout) == []
