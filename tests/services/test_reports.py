"""Evidence reports, read back as a reader gets them: the HTML as text, the PDF through pdftotext."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import text

from barium.audit import verify_inclusion
from barium.audit.checkpoint import Checkpoint
from barium.errors import InputError, IntegrityFailure
from barium.services import Actor, Barium
from tests.conftest import add_people


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_images(path: Path) -> int:
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return sum(1 for line in listed.splitlines()[2:] if " image " in line)


def html_text(path: Path) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", path.read_text()))


@pytest.fixture
def case(barium: Barium, memo: Path) -> tuple[Barium, int, str, list[str]]:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 25)
    copies = barium.issuing.issue(doc.id, all_recipients=True).copies
    leaker = copies[7]
    c = barium.cases.open("Leak of the release <b>figures</b>", doc=doc.id)
    words = leaker.text.split()
    barium.cases.attach(c.id, text=" ".join(words[:160]))
    barium.cases.attach(c.id, text="<script>alert(1)</script> " + " ".join(words[200:360]))
    barium.cases.trace(c.id)
    barium.cases.refer(c.id, to="professional-responsibility", note="normal procedures")
    return barium, c.id, leaker.recipient.name, [x.recipient.name for x in copies]


def test_a_report_names_the_accused_with_the_bound_every_mark_the_plot_and_the_proofs(
    case: tuple[Barium, int, str, list[str]], tmp_path: Path
) -> None:
    b, case_id, leaker, _ = case
    trace = b.cases.get(case_id).latest_trace
    assert trace is not None
    marks = trace.result["marks"]
    bound = trace.result["accused"][0]["false_accusation_bound"]
    for fmt in ("html", "pdf"):
        out = tmp_path / f"report.{fmt}"
        info = b.reports.write(case_id, out)
        assert info.names and info.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
        entry = b.audit.entries(action="case.report")[-1]
        assert entry.seq == info.audit_seq and entry.details["sha256"] == info.sha256
        text = pdf_text(out) if fmt == "pdf" else html_text(out)
        flat = " ".join(text.split())
        assert f"The evidence names {leaker}" in flat
        assert f"{bound:.2g}" in flat and "one in" in flat
        assert flat.count("leak says:") == len(marks) and flat.count("master says:") == len(marks)
        assert flat.count("copy says:") == len(marks)
        assert "normal procedures" in flat and "professional-responsibility" in flat
        assert all(leak["sha256"][:16] in flat for leak in trace.inputs["leaks"])
        if fmt == "pdf":
            assert pdf_images(out) >= 1  # the plot
        else:
            html = out.read_text()
            assert html.count("data:image/png;base64,") == 1
            assert html.count("<mark") == 3 * len(marks)  # leak, master, copy: each mark highlighted
            assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;figures" in html


def test_every_audit_entry_a_report_cites_is_proved_in_its_signed_checkpoint(
    case: tuple[Barium, int, str, list[str]],
) -> None:
    b, case_id, _, _ = case
    report = b.reports.build(case_id)
    point = Checkpoint(
        **{k: report.checkpoint[k] for k in ("origin", "size", "root", "time", "public_key", "signature")}
    )
    assert point.signature_valid() and point.public_key == b.audit.latest_checkpoint().public_key  # type: ignore[union-attr]
    kinds = {c.action for c in report.citations}
    assert {"case.open", "case.attach", "case.trace", "case.refer", "copy.issue"} <= kinds
    for c in report.citations:
        leaf = hashlib.sha256(b"\x00" + c.entry.encode()).digest()
        assert leaf.hex() == c.leaf
        assert verify_inclusion(leaf, c.seq, point.size, [bytes.fromhex(p) for p in c.path], bytes.fromhex(point.root))
    (handled,) = report.handling
    assert handled.action == "copy.issue" and handled.actor == str(b.actor)


def test_an_inconclusive_case_is_reported_plainly_and_names_no_one(barium: Barium, memo: Path, tmp_path: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    add_people(barium, 25)
    barium.issuing.issue(doc.id, all_recipients=True)
    names = [r.name for r in barium.recipients.list()]
    c = barium.cases.open("Quote of the master", doc=doc.id)
    barium.cases.attach(c.id, text=" ".join(memo.read_text().split()[:60]))  # the unmarked master itself
    _, result = barium.cases.trace(c.id)
    assert result.verdict == "inconclusive"
    for fmt in ("html", "pdf"):
        out = tmp_path / f"r.{fmt}"
        assert not barium.reports.write(c.id, out).names
        text = pdf_text(out) if fmt == "pdf" else html_text(out)
        flat = " ".join(text.split())
        assert "The evidence does not name anyone" in flat and "lists no names" in flat
        assert not [n for n in names if n in text]
        assert "copy says:" not in flat


def test_names_withheld_under_the_two_person_rule_stay_out_of_the_report(
    case: tuple[Barium, int, str, list[str]], tmp_path: Path
) -> None:
    b, case_id, leaker, names = case
    ruled = Barium(
        b.ws.__class__(b.ws.home, b.ws.settings.replace(case_two_person_rule=True), b.ws.db, b.ws.key, b.ws.audit_key)
    )
    ruled.cases.trace(case_id)
    out = tmp_path / "withheld.html"
    assert not ruled.reports.write(case_id, out).names
    text = html_text(out)
    assert "two-person rule" in text and not [n for n in names if n in text]
    Barium(ruled.ws, Actor("user", "second")).cases.approve(case_id)
    assert ruled.reports.write(case_id, out).names and leaker in html_text(out)


def test_a_report_goes_to_html_or_pdf_only(case: tuple[Barium, int, str, list[str]], tmp_path: Path) -> None:
    b, case_id, _, _ = case
    with pytest.raises(InputError, match=r"\.html or \.pdf"):
        b.reports.write(case_id, tmp_path / "report.docx")
    assert json.dumps(b.reports.build(case_id).to_dict())  # the report's data is plain JSON


def test_a_case_is_not_reported_from_a_log_that_was_changed(
    case: tuple[Barium, int, str, list[str]], tmp_path: Path
) -> None:
    b, case_id, _, _ = case
    with b.ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET details = '{}' WHERE action = 'case.attach'"))
    with pytest.raises(IntegrityFailure, match="not intact"):
        b.reports.write(case_id, tmp_path / "report.html")
    assert not (tmp_path / "report.html").exists()
    with pytest.raises(InputError, match="does not exist"):
        b.reports.write(case_id, tmp_path / "missing" / "report.pdf")
