"""Nothing a user registers may brick a workspace: every stored text passes the one check
that scanned and traced texts pass, under caps that agree with the detector's."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from barium.errors import InputError, InputTooLarge, NotFound, UnsupportedFormat
from barium.services import Barium
from barium.simulate import excerpt_words
from barium.store import DocumentVersion
from barium.watch import Skipped
from tests.conftest import add_people


def scan_folder(b: Barium, folder: Path, text: str) -> tuple[list[str], list[Skipped]]:
    folder.mkdir(exist_ok=True)
    (folder / "story.txt").write_text(text)
    skipped: list[Skipped] = []
    matches = b.watching.scan([folder], paraphrase=False, on_skip=skipped.append)
    return [m.document.title for m in matches], skipped


def test_a_master_with_a_nul_byte_after_the_first_64_kib_is_refused_and_scans_keep_working(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    barium.documents.add(memo, title="Release")
    poisoned = tmp_path / "poisoned.txt"
    poisoned.write_bytes(memo.read_bytes() * 200 + b"\x00 tail")
    assert poisoned.stat().st_size > 65_536
    with pytest.raises(UnsupportedFormat, match="binary"):
        barium.documents.add(poisoned, title="Poisoned")
    with pytest.raises(UnsupportedFormat, match="binary"):
        barium.documents.update(1, poisoned)
    leak = excerpt_words(memo.read_text(), 10, 60)
    assert scan_folder(barium, tmp_path / "press", leak) == (["Release"], [])


def test_a_master_with_a_few_control_characters_is_stored_clean_and_traced(barium: Barium, memo: Path) -> None:
    text = memo.read_text().replace("Summary", "Sum\x01mary\x7f", 1).replace("\n\nVacancies", "\x0bVacancies", 1)
    doc = barium.documents.add(text, title="Release")
    with barium.ws.db.session() as s:
        stored = s.scalars(select(DocumentVersion.content).where(DocumentVersion.document_id == doc.id)).one()
    assert "Summary" in stored and "\nVacancies" in stored
    assert not any((ord(c) < 32 and c not in "\t\n\f\r") or c == "\x7f" for c in stored)
    add_people(barium, 10)
    copy = barium.issuing.issue(doc.id, all_recipients=True).copies[3]
    # The same characters in a pasted leak are dropped the same way, and the copy still traces
    # (200 words: with invisible marks only after clauses, the default, a paste needs about 140).
    leak = "\x02\x03".join(excerpt_words(copy.text, 20, 200).split(" ", 3))
    result = barium.tracing.trace(leak)
    assert [a.recipient for a in result.accused] == [copy.recipient.name]


@pytest.mark.slow
def test_a_master_over_the_old_detector_cap_is_indexed_and_scans_keep_working(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    paragraphs = memo.read_text().split("\n\n")
    parts = [f"Section {i}. {paragraphs[i % len(paragraphs)]} Item {i} closes." for i in range(17_500)]
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join(parts))
    assert big.stat().st_size > 3_600_000  # the detector refused over 3,000,000 characters
    # Unmarked is enough here: what is under test is that the index takes it.
    barium.documents.add(big, title="Big", disabled_channels=frozenset(barium.ws.settings.channels))
    leak = "The report says: " + " ".join(parts[14_321:14_323])
    titles, skipped = scan_folder(barium, tmp_path / "press", leak)
    assert titles == ["Big"] and skipped == []


def test_a_master_over_its_cap_is_refused_with_its_size_and_the_setting(barium: Barium, tmp_path: Path) -> None:
    (barium.ws.home / "barium.toml").write_text("max_document_bytes = 1000\n")
    b = Barium.open(barium.ws.home)
    master = tmp_path / "plan.txt"
    master.write_text("word " * 300)
    with pytest.raises(
        InputTooLarge, match=r"plan\.txt: 1,500 bytes, over the 1,000-byte limit \(max_document_bytes\)"
    ):
        b.documents.add(master)
    with pytest.raises(InputTooLarge, match="max_document_bytes"):
        b.documents.add("word " * 300, title="Plan")
    b.close()


def test_a_master_without_words_is_refused(barium: Barium) -> None:
    with pytest.raises(InputError, match="no words"):
        barium.documents.add(" ... !!! --- ", title="Nothing")


def test_a_stored_version_the_detector_cannot_take_is_skipped_with_its_reason_not_fatal(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    # A workspace from before the one text check may hold such a master.
    barium.documents.add(memo, title="Release")
    barium.documents.add("Another document about harbours and their budgets.", title="Harbours")
    with barium.ws.db.session() as s:
        row = s.scalars(select(DocumentVersion).where(DocumentVersion.document_id == 2)).one()
        row.content = "\x00\x01 binary" * 50
    titles, skipped = scan_folder(barium, tmp_path / "press", excerpt_words(memo.read_text(), 10, 60))
    assert titles == ["Release"]
    assert [(s.where, "binary" in s.reason) for s in skipped] == [("document 2 version 1", True)]


def test_public_texts_are_checked_listed_and_removed(barium: Barium, memo: Path, tmp_path: Path) -> None:
    barium.documents.add(memo, title="Release")
    statement = excerpt_words(memo.read_text(), 0, 60)
    pid = barium.public.add(statement + "\x01", title="Press statement")
    (listed,) = barium.public.list()
    assert (listed.id, listed.title, listed.chars) == (pid, "Press statement", len(statement))
    story = "The ministry said in a statement: " + statement + " It gave no further details."
    assert scan_folder(barium, tmp_path / "press", story)[0] == []
    barium.public.remove(pid)
    assert barium.public.list() == []
    assert scan_folder(barium, tmp_path / "press", story)[0] == ["Release"]
    with pytest.raises(NotFound, match="barium public list"):
        barium.public.remove(pid)
    binary = tmp_path / "statement.txt"
    binary.write_bytes(statement.encode() * 2_000 + b"\x00")
    with pytest.raises(UnsupportedFormat, match="binary"):
        barium.public.add(binary)


def test_a_public_text_over_its_cap_is_refused(barium: Barium, tmp_path: Path) -> None:
    (barium.ws.home / "barium.toml").write_text("max_public_bytes = 100\n")
    b = Barium.open(barium.ws.home)
    path = tmp_path / "statement.txt"
    path.write_text("A statement. " * 10)
    with pytest.raises(InputTooLarge, match=r"statement\.txt: 130 bytes, over the 100-byte limit \(max_public_bytes\)"):
        b.public.add(path)
    with pytest.raises(InputTooLarge, match="max_public_bytes"):
        b.public.add("A statement. " * 10)
    b.close()


def test_a_recipients_csv_over_its_cap_is_refused_with_the_setting(barium: Barium, tmp_path: Path) -> None:
    (barium.ws.home / "barium.toml").write_text("max_csv_bytes = 50\n")
    b = Barium.open(barium.ws.home)
    staff = tmp_path / "staff.csv"
    staff.write_text("name,email\n" + "".join(f"P{i},p{i}@example.org\n" for i in range(5)))
    with pytest.raises(InputTooLarge, match=r"over the 50-byte limit \(max_csv_bytes\)"):
        b.recipients.import_csv(staff)
    b.close()
