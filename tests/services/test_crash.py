"""A crash mid-issue leaves no copy that the database does not know about."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from barium.services import Barium
from barium.store import Issuance


def test_killing_an_issue_run_leaves_every_written_copy_recorded(tmp_path: Path, memo: Path) -> None:
    home = tmp_path / "ws"
    with Barium.init(home) as b:
        doc = b.documents.add(memo, title="Release")
        csv = tmp_path / "staff.csv"
        csv.write_text("name,email\n" + "".join(f"P{i},p{i}@example.org\n" for i in range(4000)))
        b.recipients.import_csv(csv)
    out = tmp_path / "copies"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "barium",
            "--home",
            str(home),
            "issue",
            str(doc.id),
            "--all",
            "--out",
            str(out),
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 120 and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, f"the run ended on its own: {proc.stderr.read() if proc.stderr else ''}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if proc.stderr:
        proc.stderr.close()
    # Files being written are temporary (.tmp-*) until renamed: not copies yet.
    written = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("*.txt") if not p.name.startswith(".")
    }
    assert written, "the run ended before writing any copy; the test proves nothing"
    with Barium.open(home) as b, b.ws.db.session() as s:
        recorded = {(i.file, i.sha256) for i in s.scalars(select(Issuance))}
    for name, digest in written.items():
        assert (name, digest) in recorded
    # The manifest grows batch by batch and lists only recorded copies.
    if (out / "manifest.csv").exists():
        listed = {(row["file"], row["sha256"]) for row in csv_rows(out / "manifest.csv")}
        assert listed <= recorded
    # A later run completes the job and reproduces the same bytes for copies already written.
    with Barium.open(home) as b:
        report = b.issuing.issue(doc.id, all_recipients=True, out=out)
    assert len(report.copies) == 4000
    assert all(hashlib.sha256((out / c.file).read_bytes()).hexdigest() == c.sha256 for c in report.copies if c.file)
    assert not list(out.glob(".tmp-*")), "a later run clears what a killed run left half-written"
    with Barium.open(home) as b, b.ws.db.session() as s:
        recorded = {(i.file, i.sha256) for i in s.scalars(select(Issuance))}
    assert {(row["file"], row["sha256"]) for row in csv_rows(out / "manifest.csv")} == recorded


def csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(path.read_text("utf-8").splitlines()))
