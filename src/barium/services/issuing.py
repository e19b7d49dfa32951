"""Issuing marked copies.

Durability rule (FIELD.md section 5): a copy's issuance is committed to the
database before its bytes are written anywhere, so a crash can leave a recorded
copy that was never written, but never a written copy that was not recorded.
Copies are deterministic: issuing again to the same recipient for the same
version yields the same bytes.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import re
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from barium.errors import BariumError, InputError
from barium.files import TEMP_PREFIX, atomic_write
from barium.services.documents import document_info, find_document, find_version
from barium.services.info import IssuedCopy, IssueReport, RecipientInfo
from barium.services.prepare import prepare
from barium.services.recipients import find_recipient, recipient_info
from barium.store import Issuance, Recipient
from barium.tracing import PreparedVersion
from barium.workspace import Workspace

BATCH = 50
Progress = Callable[[int, int], None]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "recipient"


class IssuingService:
    ws: Workspace

    def issue(
        self,
        doc: int | str,
        *,
        to: list[str] | None = None,
        all_recipients: bool = False,
        version: int | None = None,
        out: Path | None = None,
        progress: Progress | None = None,
    ) -> IssueReport:
        """Issue one marked copy per recipient; with ``out``, write files and manifest.csv."""
        if not all_recipients and not to:
            raise InputError("name the recipients (--to NAME) or pass --all")
        if out is not None:
            if out.exists() and not out.is_dir():
                raise InputError(f"{out} exists and is not a folder")
            out.mkdir(parents=True, exist_ok=True)
            for stale in out.glob(f"{TEMP_PREFIX}*"):  # half-written by a run that was killed
                stale.unlink(missing_ok=True)
        with self.ws.db.session() as session:
            document = find_document(session, doc)
            v = find_version(document, version)
            info = document_info(document, v, len(document.versions))
            if all_recipients:
                people = list(session.scalars(select(Recipient).order_by(Recipient.id)))
            else:
                people = []
                for ref in to or []:
                    person = find_recipient(session, ref)
                    if person not in people:
                        people.append(person)
            if not people:
                raise InputError("there are no recipients; add some with `barium recipients add` or `import`")
            recipients = [recipient_info(p) for p in people]
            prepared = prepare(v, self.ws.key)
            suffix = Path(v.filename).suffix if v.filename else (".md" if v.format == "markdown" else ".txt")
            version_id = v.id

        master_words = len(prepared.index.tokens)
        copies: list[IssuedCopy] = []
        changed = 0.0
        for start in range(0, len(recipients), BATCH):
            batch = recipients[start : start + BATCH]
            made: list[tuple[RecipientInfo, str, str]] = []
            for r in batch:
                codeword = prepared.code.codeword(r.id)
                text = prepared.plan.render(prepared.master, codeword)
                made.append((r, text, hashlib.sha256(text.encode()).hexdigest()))
                changed += _visible_change(prepared, prepared.plan.forms_for(codeword))
            self._record(version_id, made)
            for r, text, digest in made:
                name = None
                if out is not None:
                    name = f"{_slug(r.name)}-{r.id}{suffix}"
                    atomic_write(out / name, text.encode())
                copies.append(IssuedCopy(r, text, digest, name))
            if progress:
                progress(len(copies), len(recipients))

        manifest = None
        if out is not None:
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(["recipient", "email", "file", "sha256"])
            for c in copies:
                writer.writerow([c.recipient.name, c.recipient.email or "", c.file, c.sha256])
            atomic_write(out / "manifest.csv", buf.getvalue().encode())
            manifest = str(out / "manifest.csv")
        return IssueReport(info, copies, manifest, master_words, changed / max(1, len(copies)))

    def _record(self, version_id: int, made: list[tuple[RecipientInfo, str, str]]) -> None:
        """Commit the issuance rows of a batch; refuse if a stored copy would differ."""
        with self.ws.db.session() as session:
            existing = {
                i.recipient_id: i
                for i in session.scalars(
                    select(Issuance).where(
                        Issuance.version_id == version_id,
                        Issuance.recipient_id.in_([r.id for r, _, _ in made]),
                    )
                )
            }
            for r, _, digest in made:
                prior = existing.get(r.id)
                if prior is None:
                    session.add(Issuance(version_id=version_id, recipient_id=r.id, sha256=digest))
                elif prior.sha256 != digest:
                    raise BariumError(
                        f"the copy for {r.name} differs from the one issued before; "
                        "was the workspace key replaced? Nothing was written."
                    )


def _visible_change(prepared: PreparedVersion, chosen: list[int]) -> float:
    """Share of master words that read differently in the copy (invisible marks excluded)."""
    tokens = prepared.index.tokens
    starts = [t.start for t in tokens]
    touched: set[int] = set()
    for site, form in zip(prepared.plan.sites, chosen, strict=True):
        if form == site.master_form or site.channel == "invisible":
            continue
        i = max(0, bisect.bisect_right(starts, site.start) - 1)
        while i < len(tokens) and tokens[i].start < max(site.end, site.start + 1):
            if tokens[i].end > site.start:
                touched.add(i)
            i += 1
    return len(touched) / max(1, len(tokens))
