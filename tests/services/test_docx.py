"""Word masters end to end: registered, issued as Word files, traced from a leaked .docx."""

from __future__ import annotations

import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from barium.errors import InputError
from barium.formats.docx import docx_text
from barium.limits import Limits
from barium.services import Barium
from barium.simulate import excerpt_words, retype
from tests.conftest import add_people
from tests.formats.docx.build import docx, p, r, table

AUTHOR = "Margaret Okafor"
CORE = (  # inside cp:coreProperties, as Word writes it
    f"<dc:title>Operation plan</dc:title><dc:creator>{AUTHOR}</dc:creator>"
    f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy><cp:revision>7</cp:revision>"
)


def split_runs(text: str, rng: random.Random) -> str:
    """A paragraph whose text Word cut into runs at random places (inside words too)."""
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, max(1, len(text) // 25))))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return p(*(r(piece, bold=i % 7 == 3, rsid=f"00A{i:05X}") for i, piece in enumerate(pieces)))


def word_master(memo: Path, tmp_path: Path) -> Path:
    rng = random.Random(3)
    paragraphs = [x.strip() for x in memo.read_text().split("\n\n") if x.strip()]
    body = "".join(split_runs(x, rng) for x in paragraphs)
    body += table([p("Unit"), p("Meeting place")], [p("Team {{1|one}}"), p("the {{harbour|quay}} at dawn")])
    path = tmp_path / "plan.docx"
    path.write_bytes(docx(body, headers=(p("CONFIDENTIAL"),), core=CORE))
    return path


def test_word_copies_trace_to_their_recipient_and_carry_no_identifying_metadata(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(word_master(memo, tmp_path), title="Plan")
    assert doc.format == "docx" and doc.channels.get("variants") == 2
    add_people(barium, 30)
    out = tmp_path / "copies"
    report = barium.issuing.issue(doc.id, all_recipients=True, out=out)
    files = sorted(out.glob("*.docx"))
    assert len(files) == 30 and len({f.read_bytes() for f in files}) == 30
    limits = Limits()
    for copy in report.copies[:5]:
        assert copy.file is not None and copy.file.endswith(".docx")
        data = (out / copy.file).read_bytes()
        # The file's text is the copy's text: what the tracer aligns to the master.
        assert docx_text(data, limits=limits, name=copy.file) == copy.text
        with zipfile.ZipFile(out / copy.file) as z:
            core = z.read("docProps/core.xml").decode()
        assert AUTHOR not in core and "revision" not in core
        assert "{{" not in copy.text and ("harbour" in copy.text or "quay" in copy.text)
    # Every part but the text parts is the same in every copy: no per-copy tag anywhere else.
    with zipfile.ZipFile(files[0]) as a, zipfile.ZipFile(files[1]) as b:
        assert a.namelist() == b.namelist()
        differ = {n for n in a.namelist() if a.read(n) != b.read(n)}
    assert differ <= {"word/document.xml", "word/header1.xml"}

    leaker = report.copies[17]
    assert leaker.file is not None
    result = barium.tracing.trace(out / leaker.file)
    assert [a.recipient for a in result.accused] == [leaker.recipient.name]
    retyped = barium.tracing.trace(retype(excerpt_words(leaker.text, 0, 400)))
    assert [a.recipient for a in retyped.accused] in ([leaker.recipient.name], [])


def test_the_same_word_file_registered_again_is_the_same_version(barium: Barium, memo: Path, tmp_path: Path) -> None:
    path = word_master(memo, tmp_path)
    doc = barium.documents.add(path, title="Plan")
    assert barium.documents.update(doc.id, path).version == 1
    assert barium.documents.master_text(doc.id).startswith(memo.read_text().strip()[:40])


def test_a_word_file_with_tracked_changes_is_refused_and_nothing_stored(barium: Barium, tmp_path: Path) -> None:
    path = tmp_path / "draft.docx"
    path.write_bytes(docx(p("Kept text.", '<w:ins w:id="1" w:author="A"><w:r><w:t>new</w:t></w:r></w:ins>')))
    with pytest.raises(InputError, match="tracked change"):
        barium.documents.add(path, title="Draft")
    assert barium.documents.list() == []


def test_a_leak_whose_name_lies_is_read_by_its_bytes(barium: Barium, memo: Path, tmp_path: Path) -> None:
    doc = barium.documents.add(word_master(memo, tmp_path), title="Plan")
    add_people(barium, 10)
    copy = barium.issuing.issue(doc.id, to=["Person 004"]).copies[0]
    disguised = tmp_path / "leak.txt"
    disguised.write_bytes(copy.data)
    assert [a.recipient for a in barium.tracing.trace(disguised).accused] == ["Person 004"]
    zipped = tmp_path / "notes.docx"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("notes.txt", "not a Word file")
    with pytest.raises(InputError):
        barium.tracing.trace(zipped)


def test_the_cli_registers_issues_and_traces_a_word_file(memo: Path, tmp_path: Path) -> None:
    home, out = tmp_path / "ws", tmp_path / "copies"
    master = word_master(memo, tmp_path)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "barium", "--home", str(home), *args], capture_output=True, text=True, timeout=300
        )

    assert run("init").returncode == 0
    assert run("doc", "add", str(master), "--title", "Plan").returncode == 0
    for i in range(12):
        assert run("recipients", "add", f"Officer {i}", "--email", f"o{i}@example.org").returncode == 0
    issued = run("issue", "1", "--all", "--out", str(out))
    assert issued.returncode == 0, issued.stderr
    leaked = next(out.glob("officer-5-*.docx"))
    traced = run("trace", str(leaked))
    assert traced.returncode == 0, traced.stderr
    assert "Officer 5" in traced.stdout and "Identified" in traced.stdout
