"""The command line, as a user runs it: real processes, real workspace, JSON out."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from barium.simulate import excerpt_words, html_paste


def run(home: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARIUM_")}
    return subprocess.run(
        [sys.executable, "-m", "barium", "--home", str(home), *args],
        capture_output=True,
        text=True,
        input=input,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("cli")
    home = tmp / "ws"
    assert run(home, "init").returncode == 0
    fixtures = Path(__file__).parents[1] / "fixtures"
    added = run(home, "doc", "add", str(fixtures / "memo.txt"), "--title", "Release", "--json")
    assert added.returncode == 0, added.stderr
    staff = tmp / "staff.csv"
    staff.write_text("name,email,team\n" + "".join(f"Person {i},p{i}@example.org,T{i % 3}\n" for i in range(30)))
    assert run(home, "recipients", "import", str(staff)).returncode == 0
    assert run(home, "recipients", "add", "Jane Roe", "--email", "jane@example.org").returncode == 0
    out = tmp / "copies"
    issued = run(home, "issue", "1", "--all", "--out", str(out))
    assert issued.returncode == 0, issued.stderr
    return {"home": home, "out": out, "doc": json.loads(added.stdout), "tmp": tmp}


def test_doc_add_prints_id_title_version(flow: dict[str, object]) -> None:
    assert flow["doc"] == {"id": 1, "title": "Release", "version": 1}


def test_issue_writes_one_copy_per_recipient_and_a_manifest(flow: dict[str, object]) -> None:
    out = flow["out"]
    assert isinstance(out, Path)
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    assert list(rows[0]) == ["recipient", "email", "document", "version", "file", "sha256", "issued_at"]
    assert len(rows) == 31 and len({r["sha256"] for r in rows}) == 31
    assert all((out / r["file"]).is_file() for r in rows)


def test_audit_lists_who_issued_each_copy_written(flow: dict[str, object]) -> None:
    home, out = flow["home"], flow["out"]
    assert isinstance(home, Path) and isinstance(out, Path)
    listed = run(home, "audit", "log", "--action", "copy.issue", "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    assert sorted(e["details"]["sha256"] for e in entries) == sorted(r["sha256"] for r in rows)
    assert {e["actor"].split(":")[0] for e in entries} == {"user"} and entries[0]["subject"] == "document 1"
    table = run(home, "audit", "log", "--limit", "3")
    assert table.returncode == 0 and table.stdout.count("copy.issue") == 3 and "3 entries" in table.stdout
    none = run(home, "audit", "log", "--action", "case.")
    assert none.returncode == 0 and "no entries that match" in none.stdout
    assert run(home, "audit", "log", "--limit", "0").returncode == 2


def test_trace_json_has_the_documented_shape_and_names_the_leaker(flow: dict[str, object]) -> None:
    home, out, tmp = flow["home"], flow["out"], flow["tmp"]
    assert isinstance(home, Path) and isinstance(out, Path) and isinstance(tmp, Path)
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    jane = next(r for r in rows if r["recipient"] == "Jane Roe")
    leak = tmp / "leak.txt"
    # 200 words: with invisible marks only after clauses (the default), a paste needs about 140 to name its recipient.
    leak.write_text("From a blog: " + html_paste(excerpt_words((out / jane["file"]).read_text(), 40, 200)))
    result = run(home, "trace", str(leak), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {
        "verdict",
        "document",
        "accused",
        "candidates",
        "aligned_words",
        "sites_read",
        "positions_read",
        "channels",
    } <= set(data)
    assert data["verdict"] == "identified"
    assert data["document"] == {"id": 1, "title": "Release", "version": 1}
    assert [a["recipient"] for a in data["accused"]] == ["Jane Roe"]
    assert {"recipient", "email", "score", "false_accusation_bound"} <= set(data["accused"][0])
    assert len(data["candidates"]) <= 5
    human = run(home, "trace", str(leak))
    assert human.returncode == 0 and "Jane Roe" in human.stdout and "identified" in human.stdout


def test_trace_joint_scores_several_leaks_together_and_lists_each(flow: dict[str, object]) -> None:
    home, out, tmp = flow["home"], flow["out"], flow["tmp"]
    assert isinstance(home, Path) and isinstance(out, Path) and isinstance(tmp, Path)
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    jane = (out / next(r for r in rows if r["recipient"] == "Jane Roe")["file"]).read_text()
    first, second = tmp / "first.txt", tmp / "second.txt"
    first.write_text(html_paste(excerpt_words(jane, 10, 150)))
    second.write_text(html_paste(excerpt_words(jane, 220, 150)))
    joint = run(home, "trace", str(first), "-", "--joint", "--json", input=second.read_text())
    assert joint.returncode == 0, joint.stderr
    data = json.loads(joint.stdout)
    assert [a["recipient"] for a in data["accused"]] == ["Jane Roe"]
    assert [leak["file"] for leak in data["leaks"]] == [str(first), "text"]
    assert {"sha256", "document", "contribution"} <= set(data["leaks"][0])
    assert len(data["accused"][0]["per_leak"]) == 2
    # Without --joint, each leak is traced on its own: one result each.
    apart = json.loads(run(home, "trace", str(first), str(second), "--json").stdout)
    assert isinstance(apart, list) and len(apart) == 2 and all(len(r["leaks"]) == 1 for r in apart)
    human = run(home, "trace", str(first), str(second), "--joint")
    assert human.returncode == 0 and "Leaks" in human.stdout and "leak 2" in human.stdout
    twice = run(home, "trace", "-", "-", "--joint", input="x")
    assert twice.returncode == 2 and "once" in twice.stderr


def test_trace_reads_standard_input_and_exits_zero_on_no_match(flow: dict[str, object]) -> None:
    home = flow["home"]
    assert isinstance(home, Path)
    result = run(home, "trace", "-", "--json", input="Nothing to do with any document at all, just words.")
    assert result.returncode == 0
    assert json.loads(result.stdout)["verdict"] == "no_match"


def test_sites_lists_every_site_with_its_variants(flow: dict[str, object]) -> None:
    home = flow["home"]
    assert isinstance(home, Path)
    data = json.loads(run(home, "sites", "1", "--json").stdout)
    assert data["sites"] and {"channel", "rule", "line", "column", "master", "forms"} <= set(data["sites"][0])
    assert {"orthography", "typography", "invisible"} <= set(data["per_channel"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("issue", "42", "--all", "--out", "x"), 4, "no document"),
        (("trace", "/nonexistent/leak.txt"), 4, "no such file"),
        (("recipients", "add", "Jane Roe"), 5, "already exists"),
        (("doc", "add", str(Path(__file__).parents[1] / "fixtures" / "bogus.pdf")), 2, "unsupported"),
    ],
)
def test_errors_are_clear_and_exit_non_zero(
    flow: dict[str, object], args: tuple[str, ...], code: int, message: str
) -> None:
    home = flow["home"]
    assert isinstance(home, Path)
    result = run(home, *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr.lower()
    assert "traceback" not in result.stderr.lower()


def test_every_command_explains_itself(tmp_path: Path) -> None:
    for args in (
        (),
        ("doc",),
        ("recipients",),
        ("issue",),
        ("trace",),
        ("sites",),
        ("demo",),
        ("init",),
    ):
        result = run(tmp_path, *args, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout


def test_commands_without_a_workspace_say_how_to_make_one(tmp_path: Path) -> None:
    result = run(tmp_path / "none", "doc", "list")
    assert result.returncode == 3 and "barium init" in result.stderr


def test_scan_prints_a_json_array_of_matches_or_an_empty_one(flow: dict[str, object]) -> None:
    home, out, tmp = flow["home"], flow["out"], flow["tmp"]
    assert isinstance(home, Path) and isinstance(out, Path) and isinstance(tmp, Path)
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    press = tmp / "press"
    press.mkdir()
    (press / "clean.txt").write_text("An article about gardening, with nothing from any protected document.\n")
    empty = run(home, "scan", str(press), "--json", "--no-paraphrase")
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout) == []
    copy = (out / rows[3]["file"]).read_text()
    (press / "story.md").write_text("# Leak\n\n" + html_paste(excerpt_words(copy, 30, 200)) + "\n")
    found = run(home, "scan", str(press), "--json", "--no-paraphrase")
    data = json.loads(found.stdout)
    assert [m["document"]["id"] for m in data] == [1]
    assert data[0]["trace"]["accused"][0]["recipient"] == rows[3]["recipient"]
    listed = json.loads(run(home, "alerts", "--json").stdout)
    assert len(listed) == 1 and listed[0]["kind"] in {"verbatim", "near_verbatim"}
