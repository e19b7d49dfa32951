"""Bad input gets a clear error and changes nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from barium.errors import (
    Conflict,
    InputError,
    InputTooLarge,
    NotFound,
    UnsupportedFormat,
    WorkspaceError,
)
from barium.services import Barium
from barium.store import Document, DocumentVersion, Issuance, Recipient


def counts(b: Barium) -> tuple[int, ...]:
    with b.ws.db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) or 0 for t in (Document, DocumentVersion, Recipient, Issuance)
        )


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UnsupportedFormat),
        ("empty.txt", b"", InputError),
        ("latin1.txt", "Caf\u00e9 cr\u00e8me".encode("latin-1"), InputError),
        ("report.pdf", b"%PDF-1.4", UnsupportedFormat),
    ],
)
def test_unusable_documents_are_refused_and_nothing_is_stored(
    barium: Barium, tmp_path: Path, name: str, data: bytes, error: type[Exception]
) -> None:
    before = counts(barium)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error):
        barium.documents.add(path)
    assert counts(barium) == before


def test_a_50_mb_document_is_refused_without_being_read(barium: Barium, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(b"word " * (10 * 1024 * 1024))
    before = counts(barium)
    with pytest.raises(InputTooLarge):
        barium.documents.add(path)
    with pytest.raises(InputTooLarge):
        barium.tracing.trace(path)
    assert counts(barium) == before


def test_unknown_ids_are_not_found(barium: Barium, memo: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        barium.issuing.issue(99, all_recipients=True)
    with pytest.raises(NotFound):
        barium.documents.sites("no such title")
    doc = barium.documents.add(memo, title="Release")
    with pytest.raises(NotFound):
        barium.issuing.issue(doc.id, to=["Nobody Atall"])
    with pytest.raises(NotFound):
        barium.documents.get(doc.id, version=7)
    with pytest.raises(NotFound):
        barium.documents.add(tmp_path / "missing.md")


def test_duplicate_recipients_are_refused_all_or_nothing(barium: Barium, tmp_path: Path) -> None:
    barium.recipients.add("Jane Roe", email="jane@example.org")
    with pytest.raises(Conflict):
        barium.recipients.add("jane  roe")
    with pytest.raises(Conflict):
        barium.recipients.add("Other Person", email="JANE@example.org")
    csv = tmp_path / "staff.csv"
    csv.write_text("name,email,office\nA One,a@example.org,X\nB Two,b@example.org,Y\nA One,,Z\n")
    before = counts(barium)
    with pytest.raises(Conflict, match="duplicate"):
        barium.recipients.import_csv(csv)
    assert counts(barium) == before
    csv.write_text("email\nx@example.org\n")
    with pytest.raises(InputError, match="name"):
        barium.recipients.import_csv(csv)
    csv.write_text("name,email\nA One,not-an-address\n")
    with pytest.raises(InputError, match="e-mail"):
        barium.recipients.import_csv(csv)
    assert counts(barium) == before


def test_a_good_import_keeps_extra_columns(barium: Barium, tmp_path: Path) -> None:
    csv = tmp_path / "staff.csv"
    csv.write_text("name,email,office\nA One,a@example.org,Leeds\n\nB Two,,York\n")
    people = barium.recipients.import_csv(csv)
    assert [(p.name, p.email, p.extra) for p in people] == [
        ("A One", "a@example.org", {"office": "Leeds"}),
        ("B Two", None, {"office": "York"}),
    ]


def test_issuing_needs_recipients_and_a_folder(barium: Barium, memo: Path, tmp_path: Path) -> None:
    doc = barium.documents.add(memo, title="Release")
    with pytest.raises(InputError, match="no recipients"):
        barium.issuing.issue(doc.id, all_recipients=True)
    barium.recipients.add("Jane Roe")
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        barium.issuing.issue(doc.id, all_recipients=True, out=afile)
    assert counts(barium)[3] == 0


def test_a_workspace_is_needed_and_never_overwritten(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="barium init"):
        Barium.open(tmp_path / "nothing")
    Barium.init(tmp_path / "ws").close()
    with pytest.raises(Conflict):
        Barium.init(tmp_path / "ws")
    key = tmp_path / "ws" / "secret.key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_a_replaced_key_is_refused_before_it_can_mislead_a_trace(tmp_path: Path) -> None:
    Barium.init(tmp_path / "ws").close()
    key = tmp_path / "ws" / "secret.key"
    key.write_text("ab" * 32 + "\n")
    with pytest.raises(WorkspaceError, match="does not match"):
        Barium.open(tmp_path / "ws")


def test_init_against_a_database_that_has_a_workspace_is_refused(tmp_path: Path) -> None:
    Barium.init(tmp_path / "a").close()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "barium.toml").write_text(f'database_url = "sqlite:///{tmp_path / "a" / "barium.db"}"\n')
    with pytest.raises(Conflict, match="copy that"):
        Barium.init(tmp_path / "b")
    assert not (tmp_path / "b" / "secret.key").exists()
