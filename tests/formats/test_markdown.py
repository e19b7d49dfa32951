"""Markdown regions: prose is editable, syntax and non-prose never are."""

from __future__ import annotations

from pathlib import Path

from barium.formats import parse


def editable_text(path: Path) -> str:
    text = path.read_text()
    doc = parse(text, "markdown")
    return "\n".join(text[r.start : r.end] for r in doc.regions)


def test_code_urls_front_matter_html_and_table_rules_are_never_editable(briefing: Path) -> None:
    editable = editable_text(briefing)
    for protected in (
        "owner:",
        "intranet.example.org",
        "review --status",
        "print(",
        "This code must never change",
        "|------|",
        'class="note"',
        "board.secretary@example.org",
    ):
        assert protected not in editable, protected
    for prose in (
        "The committee met on Tuesday",
        "Review of contracts",
        "Quarterly briefing",
        "project page",
    ):
        assert prose in editable, prose


def test_paragraph_numbers_follow_blocks(briefing: Path) -> None:
    text = briefing.read_text()
    doc = parse(text, "markdown")
    para_of = {text[r.start : r.end][:20]: r.paragraph for r in doc.regions}
    assert para_of["Quarterly briefing f"] != para_of["The committee met on"]
    assert len({r.paragraph for r in doc.regions}) >= 6


def test_plain_text_protects_addresses(memo: Path) -> None:
    text = "Write to a.b@example.org or see https://example.org/x?y=1 today.\n\nSecond paragraph."
    doc = parse(text, "text")
    editable = "".join(text[r.start : r.end] for r in doc.regions)
    assert "example.org" not in editable
    assert [r.paragraph for r in doc.regions][-1] == 1
