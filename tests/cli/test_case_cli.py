"""A case from open to closed through the command line, on a real workspace."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.entry import barium as cli

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_a_case_from_open_to_closed_with_every_step_recorded(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert cli(home, "init").code == 0
    assert cli(home, "doc", "add", str(FIXTURES / "memo.txt"), "--title", "Release").code == 0
    for i in range(8):
        assert cli(home, "recipients", "add", f"Person {i}", "--email", f"p{i}@example.org").code == 0
    out = tmp_path / "copies"
    assert cli(home, "issue", "1", "--all", "--out", str(out)).code == 0
    leak = sorted(out.glob("person-5-*.txt"))[0]

    opened = cli(home, "case", "open", "Leak of the release", "--doc", "1", "--json")
    assert opened.code == 0, opened.err
    case = str(json.loads(opened.out)["id"])
    attached = cli(home, "case", "attach", case, str(leak), "--json")
    assert attached.code == 0 and json.loads(attached.out)["media_type"] == "text/plain"
    assert "linked" in cli(home, "case", "attach", case, str(leak)).out
    pasted = cli(home, "case", "attach", case, "--text", leak.read_text()[:2000])
    assert pasted.code == 0

    traced = cli(home, "case", "trace", case, "--json")
    assert traced.code == 0, traced.err
    assert [a["recipient"] for a in json.loads(traced.out)["result"]["accused"]] == ["Person 5"]

    assert cli(home, "case", "refer", case, "--to", "inspector-general").code == 5  # not next
    assert cli(home, "case", "refer", case, "--to", "police").code == 2  # no such step
    assert (
        cli(home, "case", "refer", case, "--to", "professional-responsibility", "--note", "normal procedures").code == 0
    )
    assert cli(home, "case", "refer", case, "--to", "inspector-general", "--due", "2027-01-31").code == 0
    assert cli(home, "case", "assign", case, "--to", "oig.analyst").code == 0
    assert cli(home, "case", "note", case, "Interviewed the recipient.").code == 0
    assert cli(home, "case", "close", case, "--finding", "guilty").code == 2
    closed = cli(home, "case", "close", case, "--finding", "substantiated", "--note", "the marks match")
    assert closed.code == 0 and "closed (substantiated)" in closed.out
    assert cli(home, "case", "close", case, "--finding", "substantiated").code == 5

    shown = json.loads(cli(home, "case", "show", case, "--json").out)
    assert [e["kind"] for e in shown["history"]] == [
        "open",
        "attach",
        "attach",
        "attach",
        "trace",
        "refer",
        "refer",
        "assign",
        "note",
        "close",
    ]
    assert shown["history"][5]["note"] == "normal procedures" and shown["history"][5]["to"].endswith("responsibility")
    assert all(e["actor"].startswith("user:") and e["audit_seq"] is not None for e in shown["history"])
    assert all(x["intact"] for x in shown["evidence"]) and len(shown["evidence"]) == 2
    table = cli(home, "case", "show", case)
    assert "closed (substantiated)" in table.out and "accused: Person 5" in table.out
    listed = json.loads(cli(home, "case", "list", "--json").out)
    assert [(c["id"], c["state"]) for c in listed] == [(int(case), "closed")]
    assert cli(home, "case", "list", "--state", "open").out.startswith("No cases")
    assert cli(home, "case", "show", "99").code == 4
    actions = [e["action"] for e in json.loads(cli(home, "audit", "log", "--action", "case.", "--json").out)]
    assert actions == [f"case.{e['kind']}" for e in shown["history"]]
    assert cli(home, "audit", "verify").code == 0
