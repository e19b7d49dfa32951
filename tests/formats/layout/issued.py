"""A workspace with one master issued as PDF copies to a few people, and what each copy holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from barium.services import Barium
from barium.services.prepare import prepare
from barium.store import DocumentVersion, Recipient
from barium.tracing import PreparedVersion
from tests.conftest import add_people


@dataclass
class Issued:
    b: Barium
    version: PreparedVersion
    layout: str | None  # the version's stored layout record
    copies: dict[str, Path]
    texts: dict[str, str]
    truth: dict[str, list[int]]  # each holder's forms, site by site


def issue_pdfs(root: Path, master: Path | str, *, title: str, people: int) -> Issued:
    """``master`` registered in a new workspace under ``root`` and issued as PDF to ``people``."""
    b = Barium.init(root / "ws")
    doc = b.documents.add(master, title=title)
    add_people(b, people)
    report = b.issuing.issue(doc.id, all_recipients=True, out=root / "copies", output="pdf")
    with b.ctx.read() as session:
        v = session.query(DocumentVersion).one()
        version = prepare(v, b.ctx.ws.key)
        uids = {r.name: r.uid for r in session.query(Recipient)}
        layout = v.layout
    copies = {c.recipient.name: root / "copies" / str(c.file) for c in report.copies}
    texts = {c.recipient.name: c.text for c in report.copies}
    truth = {name: version.plan.forms_for(version.code.codeword(uid)) for name, uid in uids.items()}
    return Issued(b, version, layout, copies, texts, truth)
