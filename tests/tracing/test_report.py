"""What `barium trace` prints: no names without evidence, bounds never shown as 0, weak verdicts said."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from barium.services import Barium
from barium.simulate import embed, excerpt_words, retype
from tests.conftest import add_people
from tests.services.test_trace import ARTICLE_AFTER, ARTICLE_BEFORE, random_document


def barium_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARIUM_")}
    env["COLUMNS"] = "200"  # one table row per line, whatever the terminal
    return subprocess.run(
        [sys.executable, "-m", "barium", "--home", str(home), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_a_passage_of_the_master_names_no_one_and_says_how_many_remain_consistent(tmp_path: Path, memo: Path) -> None:
    with Barium.init(tmp_path / "ws") as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 60)
        b.issuing.issue(doc.id, all_recipients=True)
    leak = tmp_path / "leak.txt"
    leak.write_text(embed(excerpt_words(memo.read_text(), 20, 250), before=ARTICLE_BEFORE, after=ARTICLE_AFTER))
    shown = barium_cli(tmp_path / "ws", "trace", str(leak))
    assert shown.returncode == 0, shown.stderr
    assert "Verdict: inconclusive" in shown.stdout
    assert "Person " not in shown.stdout and "none" not in shown.stdout.split("note:")[0]
    assert "equally consistent with each of the 60 recipients scored" in shown.stdout
    data = json.loads(barium_cli(tmp_path / "ws", "trace", str(leak), "--json").stdout)
    assert data["candidates"] == [] and data["equally_consistent"] == 60


def test_the_score_names_its_test_and_a_tiny_bound_reads_below_1e300(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The words setting: marks between all words take a bound below 1e-300 in a document this long
    # (the document is registered here, in this process; the CLI then reads its frozen marks).
    monkeypatch.setenv("BARIUM_INVISIBLE_GAPS", "words")
    with Barium.init(tmp_path / "ws") as b:
        doc = b.documents.add(random_document(random.Random(1), 24), title="Long")
        add_people(b, 20)
        copy = b.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "copies").copies[3]
    shown = barium_cli(tmp_path / "ws", "trace", str(tmp_path / "copies" / copy.file))
    assert shown.returncode == 0, shown.stderr
    row = next(line for line in shown.stdout.splitlines() if copy.recipient.name in line)
    assert "(single)" in row and "< 1e-300" in row
    assert "score (test)" in shown.stdout and "single = one leaker" in " ".join(shown.stdout.split())
    (accused,) = json.loads(
        barium_cli(tmp_path / "ws", "trace", str(tmp_path / "copies" / copy.file), "--json").stdout
    )["accused"]
    assert accused["false_accusation_bound"] == 1e-300 and accused["bound_below_floor"] is True


def test_a_weak_threshold_is_refused_without_weak_and_said_with_it(tmp_path: Path, memo: Path) -> None:
    with Barium.init(tmp_path / "ws") as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 10)
        copy = b.issuing.issue(doc.id, all_recipients=True).copies[2]
    leak = tmp_path / "leak.txt"
    leak.write_text(retype(excerpt_words(copy.text, 0, 120)))
    refused = barium_cli(tmp_path / "ws", "trace", str(leak), "--max-false-accusation", "0.05")
    assert refused.returncode == 2 and "--weak" in refused.stderr + refused.stdout
    assert "Traceback" not in refused.stderr
    weak = barium_cli(tmp_path / "ws", "trace", str(leak), "--max-false-accusation", "0.05", "--weak")
    assert weak.returncode == 0 and "weak" in weak.stdout.splitlines()[0]
    data = json.loads(
        barium_cli(tmp_path / "ws", "trace", str(leak), "--max-false-accusation", "0.05", "--weak", "--json").stdout
    )
    assert data["weak"] is True and data["max_false_accusation"] == 0.05
    firm = json.loads(
        barium_cli(tmp_path / "ws", "trace", str(leak), "--max-false-accusation", "1e-3", "--json").stdout
    )
    assert firm["weak"] is False
