"""Investigations benchmark: the audit log's append and verify throughput, and the time
to write a case's evidence report.

    .venv/bin/python benchmarks/audit_cases.py            # 10^6 audit entries
    .venv/bin/python benchmarks/audit_cases.py --quick    # 10^5

Each figure has a baseline measured in the same run:
- appending: the same rows written as the log was before it became tamper-evident
  (plain rows, no hashes, seals or head), in the same units of work;
- verifying: reading every row of the same log without checking it;
- the report: tracing the case's leaks together (`Tracing.trace_joint`), which the
  report's trace does too, without keeping the trace or writing anything.

Verification runs in a process of its own, so its peak memory (ru_maxrss) is its alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import insert, text

from barium.services import Barium
from barium.store import AuditEntry
from barium.store.models import utcnow
from corpus import long_documents

UNIT = 1_000  # entries per unit of work in the bulk runs
SINGLE = 2_000  # one-entry units: each an action with its own commit


def _details(i: int) -> dict[str, object]:
    return {"version": 1, "recipient": i, "name": f"Person {i % 1000:03d}", "sha256": f"{i:064x}"}


def append_sealed(b: Barium, n: int, per_unit: int) -> float:
    t = time.perf_counter()
    for u in range(n // per_unit):
        with b.ctx.unit() as uow:
            for i in range(per_unit):
                uow.record("copy.issue", f"document {u}", **_details(i))  # type: ignore[arg-type]
    return time.perf_counter() - t


def append_plain(b: Barium, n: int, per_unit: int) -> float:
    """The log as it was: the same rows, no place, hash, seal nor head."""
    t = time.perf_counter()
    for u in range(n // per_unit):
        with b.ws.db.session() as s:
            s.execute(
                insert(AuditEntry),
                [
                    {
                        "at": utcnow(),
                        "actor_kind": "user",
                        "actor": "bench",
                        "action": "copy.issue",
                        "subject": f"document {u}",
                        "details": json.dumps(_details(i), sort_keys=True),
                    }
                    for i in range(per_unit)
                ],
            )
    return time.perf_counter() - t


VERIFY = """
import json, resource, sys, time
from barium.services import Barium
from sqlalchemy import text
with Barium.open(sys.argv[1]) as b:
    if sys.argv[2] == "verify":
        t = time.perf_counter(); v = b.audit.verify(); dt = time.perf_counter() - t
        out = {"seconds": dt, "entries": v.entries, "intact": v.intact}
    else:
        t = time.perf_counter(); n = 0
        with b.ws.db.engine.connect() as conn:
            for row in conn.execution_options(yield_per=10000).execute(text("SELECT * FROM audit_log ORDER BY seq")):
                n += 1
        out = {"seconds": time.perf_counter() - t, "entries": n, "intact": None}
out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def in_process(home: Path, what: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", VERIFY, str(home), what], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def report_case(tmp: Path, recipients: int, leaks: int) -> dict[str, float]:
    b = Barium.init(tmp / "report-ws")
    (master,) = long_documents(2000, 1)
    doc = b.documents.add(master, title="A 2,000-word briefing")
    for i in range(recipients):
        b.recipients.add(f"Recipient {i:04d}", email=f"r{i:04d}@example.org")
    t = time.perf_counter()
    copies = b.issuing.issue(doc.id, all_recipients=True).copies
    issue_s = time.perf_counter() - t
    leaker = copies[recipients // 3]
    words = leaker.text.split()
    step = max(1, (len(words) - 300) // leaks)
    texts = [" ".join(words[k * step : k * step + 300]) for k in range(leaks)]
    case = b.cases.open("Five leaks of the briefing", doc=doc.id)
    for t_ in texts:
        b.cases.attach(case.id, text=t_)
    t = time.perf_counter()
    plain = b.tracing.trace_joint(texts, doc=doc.id)
    joint_s = time.perf_counter() - t
    t = time.perf_counter()
    _, result = b.cases.trace(case.id)
    case_trace_s = time.perf_counter() - t
    assert [a.recipient for a in result.accused] == [leaker.recipient.name] == [a.recipient for a in plain.accused]
    b.cases.refer(case.id, to="professional-responsibility", note="benchmark")
    out = {"issue_s": issue_s, "joint_trace_s": joint_s, "case_trace_s": case_trace_s}
    for fmt in ("html", "pdf"):
        t = time.perf_counter()
        info = b.reports.write(case.id, tmp / f"report.{fmt}")
        out[f"{fmt}_s"] = time.perf_counter() - t
        out[f"{fmt}_bytes"] = float(info.path.stat().st_size)
    b.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--entries", type=int)
    ap.add_argument("--recipients", type=int, default=1000)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    n = args.entries or (100_000 if args.quick else 1_000_000)
    out = args.out or Path(__file__).parent / "results" / f"audit{'-quick' if args.quick else ''}.md"
    lines: list[str] = []

    def emit(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        sealed, plain = Barium.init(tmp / "sealed"), Barium.init(tmp / "plain")
        bulk_sealed = append_sealed(sealed, n, UNIT)
        bulk_plain = append_plain(plain, n, UNIT)
        one_sealed = append_sealed(sealed, SINGLE, 1)
        one_plain = append_plain(plain, SINGLE, 1)
        with sealed.ws.db.engine.connect() as conn:
            size = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        db_mb = (tmp / "sealed" / "barium.db").stat().st_size / 1e6
        plain_mb = (tmp / "plain" / "barium.db").stat().st_size / 1e6
        sealed.close()
        plain.close()
        checked = in_process(tmp / "sealed", "verify")
        read = in_process(tmp / "sealed", "read")
        assert checked["intact"] and checked["entries"] == size
        rep = report_case(tmp, args.recipients, 5)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    emit("# Investigations benchmark: the audit log and the evidence report")
    emit()
    emit(f"Command: `.venv/bin/python {' '.join(['benchmarks/audit_cases.py', *sys.argv[1:]])}`  ")
    emit("SQLite (WAL, synchronous=FULL) on this machine's disk; 2 cores. Baselines measured in the same run.")
    emit()
    emit("## The audit log")
    emit()
    emit("| operation | entries | tamper-evident log | baseline | baseline is |")
    emit("|---|---|---|---|---|")
    emit(
        f"| append, {UNIT:,} entries per unit of work | {n:,} | {n / bulk_sealed:,.0f} entries/s ({bulk_sealed:.0f} s) "
        f"| {n / bulk_plain:,.0f} entries/s ({bulk_plain:.0f} s) | the same rows without place, hashes, seals or head |"
    )
    emit(
        f"| append, one entry per unit (an action and its commit) | {SINGLE:,} | {SINGLE / one_sealed:,.0f} entries/s "
        f"| {SINGLE / one_plain:,.0f} entries/s | the same, without hashes |"
    )
    emit(
        f"| verify every entry, seal, root and the head | {checked['entries']:,.0f} | {checked['entries'] / checked['seconds']:,.0f} "
        f"entries/s ({checked['seconds']:.0f} s), peak memory {checked['max_rss_mb']:.0f} MB "
        f"| {read['entries'] / read['seconds']:,.0f} entries/s ({read['seconds']:.0f} s), {read['max_rss_mb']:.0f} MB "
        "| reading every row, unchecked |"
    )
    emit()
    emit(
        f"Database size: {db_mb:,.0f} MB with the hashes, {plain_mb:,.0f} MB without ({(db_mb / plain_mb - 1):.0%} more)."
    )
    emit()
    emit(f"## The evidence report: a case with 5 leaks, {args.recipients:,} recipients")
    emit()
    emit(
        "A 2,000-word master (BBC articles joined), a copy for each recipient, five 300-word pasted excerpts of one "
        "copy attached to one case, traced together, referred, and reported."
    )
    emit()
    emit("| step | seconds |")
    emit("|---|---|")
    emit(f"| baseline: `trace_joint` of the five leaks | {rep['joint_trace_s']:.1f} |")
    emit(f"| `case trace` (the same, every recipient's score kept, stored) | {rep['case_trace_s']:.1f} |")
    emit(f"| `case report --out report.html` ({rep['html_bytes'] / 1e3:,.0f} kB) | {rep['html_s']:.1f} |")
    emit(f"| `case report --out report.pdf` ({rep['pdf_bytes'] / 1e3:,.0f} kB) | {rep['pdf_s']:.1f} |")
    emit()
    emit(
        f"(Issuing the {args.recipients:,} copies took {rep['issue_s']:.0f} s; peak memory of this process {peak:,.0f} MB.)"
    )
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
