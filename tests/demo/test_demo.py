"""The demo's story holds: each leak names its true source, the master's names no one."""

from __future__ import annotations

from pathlib import Path

from barium.demo import run_demo


def test_every_leak_of_the_demo_is_traced_to_its_source_and_the_master_to_no_one(tmp_path: Path) -> None:
    report = run_demo(tmp_path / "ws", reports=tmp_path / "reports")
    outcomes = [(leak.true_source, leak.result.verdict, leak.accused) for leak in report.leaks]
    assert outcomes == [
        ("Elena Rossi", "identified", ["Elena Rossi"]),
        ("Connor Walsh", "identified", ["Connor Walsh"]),
        (None, "inconclusive", []),
        ("Grace Liddell", "identified", ["Grace Liddell"]),
        ("Kemi Adeyemi", "identified", ["Kemi Adeyemi"]),
    ]
    # The photo of a page of the Word memo's PDF copy: its word and line shifts are read from the picture.
    assert report.leaks[-1].result.channels["layout"] > 20
    assert len(list((tmp_path / "ws" / "copies" / "memo-pdf").glob("*.pdf"))) == report.recipients
    # The Word memo: its variants were typed in Word, and its author's name is in no copy.
    assert report.memo_variants == 4
    assert report.memo_scrubbed == ("Margaret Okafor", "Hollow Ridge Water plc", "fileserver")
    assert len(list((tmp_path / "ws" / "copies" / "memo").glob("*.docx"))) == report.recipients
    # The newspaper story became a case, referred twice and closed, with its evidence report.
    case = report.case
    assert case is not None
    assert case.steps == ["open", "attach", "trace", "refer", "refer", "close", "report"]
    assert case.status == "closed (substantiated)" and case.accused == ["Elena Rossi"]
    assert case.report.parent == tmp_path / "reports" and case.report.read_bytes().startswith(b"%PDF-")
