"""Issuing marked copies.

Durability rule (FIELD.md section 5): a copy's issuance is committed to the
database (synchronously, see :mod:`barium.store.db`) before its bytes are
written anywhere, so a crash can leave a recorded copy that was never written,
but never a written copy that was not recorded. Copies are deterministic:
issuing again to the same recipient for the same version yields the same bytes.
A copy's code derives from identities minted once per version and per recipient
(never from integer ids, which a restored database hands out again).
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import os
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from barium.channels import InvisibleChannel, LayoutChannel
from barium.channels.layout import LINE_ENDS
from barium.channels.layout import LINE_RULE as LINE_SHIFT
from barium.channels.layout import WORD_RULE as WORD_SHIFT
from barium.errors import Conflict, InputError, IntegrityFailure, UnsupportedFormat
from barium.files import TEMP_PREFIX, atomic_write, spreadsheet_safe
from barium.formats.layout import layout_from_json, render_layout, shift_copy
from barium.formats.master import Replacements, copy_bytes
from barium.formats.office import docx_to_pdf, office_program
from barium.formats.pdf.stamp import stamp_pages, stampable
from barium.formats.typeset import typeset_pdf
from barium.services.documents import document_info, find_document, find_version
from barium.services.info import DocumentInfo, IssuedCopy, IssuedRecord, IssueReport, RecipientInfo
from barium.services.prepare import prepare
from barium.services.recipients import find_recipient, recipient_info
from barium.services.unit import Context
from barium.store import DocumentVersion, Issuance, Recipient
from barium.store.models import utcnow
from barium.tracing import PreparedVersion

BATCH = 50
MANIFEST = "manifest.csv"
RETRIES = 3
DISTINCT_POSITIONS = 64
Progress = Callable[[int, int], None]


def _slug(name: str) -> str:
    """A file-name part from a name: ASCII letters, digits and single hyphens only, at most 60.

    No name can reach a path separator, ``..``, a NUL or a control character
    through it; accents are dropped ("José" -> "jose"), other scripts give
    ``recipient`` (the file name carries the recipient's id anyway).
    """
    ascii_ = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:60].strip("-") or "recipient"


class Issuing:
    """Issuing marked copies, and the record of who received which."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def issue(
        self,
        doc: int | str,
        *,
        to: list[str] | None = None,
        all_recipients: bool = False,
        version: int | None = None,
        out: Path | None = None,
        output: str | None = None,
        stamp: str | None = None,
        progress: Progress | None = None,
    ) -> IssueReport:
        """Issue one marked copy per recipient; with ``out``, write the files and append to manifest.csv.

        ``output`` is the copies' file format: the master's own by default, or ``"pdf"``
        (text and Markdown masters, typeset by :mod:`barium.formats.typeset`). One
        recipient's copies of a version in any format carry the same code.

        ``stamp`` (PDF copies) is printed at the head of
        every page of each copy, ``{n}`` replaced by the recipient's number and
        ``{name}`` by their name: a visible deterrent, on top of the marks.

        Refused, with nothing written, when a copy's code is one already issued to
        someone else or recorded in the folder's manifest: that happens only when
        the database lost rows (a restore from a backup), and handing the copy out
        would let a leak of one person's copy accuse another.
        """
        if not all_recipients and not to:
            raise InputError("name the recipients (--to NAME) or pass --all")
        if out is not None and out.exists() and not out.is_dir():
            raise InputError(f"{out} exists and is not a folder")
        with self.ctx.read() as session:
            document = find_document(session, doc)
            v = find_version(document, version)
            info = document_info(document, v, len(document.versions))
            if all_recipients:
                people = list(
                    session.scalars(select(Recipient).where(Recipient.removed_at.is_(None)).order_by(Recipient.id))
                )
            else:
                people = []
                for ref in to or []:
                    person = find_recipient(session, ref)
                    if person not in people:
                        people.append(person)
            if not people:
                raise InputError("there are no recipients; add some with `barium recipients add` or `import`")
            holders = [(recipient_info(p), p.uid) for p in people]
            # Copies the database already records as theirs: their manifest rows are
            # theirs too, whatever name (before a rename) the manifest shows.
            recorded = set(
                session.execute(select(Issuance.recipient_id, Issuance.sha256).where(Issuance.version_id == v.id))
            )
            suffix = Path(v.filename).suffix if v.filename else (".md" if v.format == "markdown" else ".txt")
            master_file = v.source  # deferred: loaded here, inside the read
            breaks = layout_from_json(v.layout)
        if output is not None and output != info.format:
            if output != "pdf":
                raise UnsupportedFormat(
                    f"copies of a {info.format} master can be written as {info.format} or pdf, not {output}"
                )
            if info.format == "docx":
                office_program()  # refused now, before any copy is recorded, if LibreOffice is missing
            suffix = ".pdf"
        if stamp is not None:
            _check_stamp(stamp, pdf=suffix == ".pdf", word=master_file is not None, holders=[r for r, _ in holders])
        prepared = prepare(v, self.ctx.ws.key)
        manifest = Manifest(out / MANIFEST) if out is not None else None
        if out is not None:
            # Only now that the document and recipients are known to exist.
            _make_folder(out)
            for stale in out.glob(f"{TEMP_PREFIX}*"):  # half-written by a run that was killed
                stale.unlink(missing_ok=True)

        master_words = len(prepared.index.tokens)
        # With this many code positions two recipients share a codeword by chance with
        # negligible probability, so a shared one means a reused identity (a restore):
        # refused. A shorter code cannot give every recipient a copy of their own; its
        # copies are issued, and the report counts those identical to another's.
        strict = prepared.code.length >= DISTINCT_POSITIONS
        copies: list[IssuedCopy] = []
        changed = 0.0
        for start in range(0, len(holders), BATCH):
            batch = holders[start : start + BATCH]
            made: list[_Made] = []
            printed: list[_Printed] = []  # Word copies to be PDFs: what LibreOffice prints, then the rest
            for r, uid in batch:
                chosen = prepared.plan.forms_for(prepared.code.codeword(uid))
                text = prepared.plan.render_forms(prepared.master, chosen)
                if suffix == ".pdf" and master_file is None:
                    shown = _stamp_for(stamp, r) if stamp else ""
                    data = (
                        typeset_pdf(text, fmt=info.format, stamp=shown)
                        if breaks is None
                        else render_layout(
                            prepared.master,
                            info.format,
                            breaks,
                            _replacements(prepared, chosen),
                            _shifts(prepared, chosen),
                            _line_shifts(prepared, chosen),
                            stamp=shown,
                        )
                    )
                elif suffix == ".pdf":
                    printing = _printed(prepared, chosen)
                    printed.append(printing)
                    data = copy_bytes(info.format, master_file, printing.text, printing.replacements)
                else:
                    data = copy_bytes(info.format, master_file, text, _replacements(prepared, chosen))
                name = f"{_slug(r.name)}-{r.id}-d{info.id}v{info.version}{suffix}" if out is not None else ""
                made.append(
                    _Made(r, text, data, hashlib.sha256(data).hexdigest(), prepared.code.fingerprint(uid), name)
                )
                changed += _visible_change(prepared, chosen)
            if suffix == ".pdf" and master_file is not None:
                # Word copies, laid out by LibreOffice: one program start for the batch.
                # Then each copy's words moved in its PDF (formats.layout.word).
                pdfs = [
                    shift_copy(pdf, p.text, p.moves, p.marks, p.lines)
                    for pdf, p in zip(docx_to_pdf([m.data for m in made], limits=self.ctx.limits), printed, strict=True)
                ]
                if stamp:
                    pdfs = [stamp_pages(pdf, _stamp_for(stamp, m.recipient)) for pdf, m in zip(pdfs, made, strict=True)]
                made = [
                    replace(m, data=pdf, sha256=hashlib.sha256(pdf).hexdigest())
                    for m, pdf in zip(made, pdfs, strict=True)
                ]
            if manifest is not None and strict:
                manifest.refuse_collisions([m for m in made if (m.recipient.id, m.sha256) not in recorded])
            moments = self._record(info, made, strict=strict)
            for m in made:
                if out is not None:
                    atomic_write(out / m.file, m.data)
                copies.append(IssuedCopy(m.recipient, m.text, m.sha256, m.file or None, m.data))
            if manifest is not None:
                manifest.append(info, made, moments)
            if progress:
                progress(len(copies), len(holders))
        shared = Counter(c.sha256 for c in copies)
        return IssueReport(
            info,
            copies,
            str(manifest.path) if manifest else None,
            master_words,
            changed / max(1, len(copies)),
            identical_copies=sum(n for n in shared.values() if n > 1),
        )

    def _record(self, info: DocumentInfo, made: list[_Made], *, strict: bool) -> list[datetime]:
        """Commit the issuance rows of a batch (durably, before any byte is written).

        Refuses if a stored copy would differ (another key) or if a copy's code is
        already another recipient's. A batch that lost a race with another process
        issuing the same copies is read again: their rows are then the record.
        """
        for attempt in range(RETRIES):
            try:
                return self._record_once(info, made, strict=strict)
            except IntegrityFailure:
                raise
            except Conflict:
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _record_once(self, info: DocumentInfo, made: list[_Made], *, strict: bool) -> list[datetime]:
        version_id = info.version_id
        with self.ctx.unit() as uow:
            session = uow.session
            rows = list(session.scalars(select(Issuance).where(Issuance.version_id == version_id)))
            mine = {i.recipient_id: i for i in rows}
            owners = {i.fingerprint: i.recipient_id for i in rows if i.fingerprint}
            owners.update({i.sha256: i.recipient_id for i in rows})
            moments: list[datetime] = []
            for m in made:
                for mark in (m.fingerprint, m.sha256):
                    owner = owners.get(mark)
                    if strict and owner is not None and owner != m.recipient.id:
                        raise IntegrityFailure(
                            f"the copy for {m.recipient.name} would carry the code of a copy already issued to "
                            f"recipient {owner}; the database may have been restored from an older backup. "
                            "Nothing was written."
                        )
                prior = mine.get(m.recipient.id)
                # Copies are deterministic: a second issue hands out the same bytes again.
                action = "copy.issue" if prior is None else "copy.reissue"
                if prior is None:
                    prior = Issuance(
                        version_id=version_id,
                        recipient_id=m.recipient.id,
                        sha256=m.sha256,
                        fingerprint=m.fingerprint,
                        file=m.file,
                        issued_at=utcnow(),
                    )
                    session.add(prior)
                elif not _same_copy(prior, m):
                    raise IntegrityFailure(
                        f"the copy for {m.recipient.name} differs from the one issued before; "
                        "was the workspace key replaced? Nothing was written."
                    )
                else:
                    prior.fingerprint = prior.fingerprint or m.fingerprint
                    if prior.sha256 == m.sha256:
                        # The same bytes under a new name. Another format (a PDF of a text copy)
                        # keeps the record of the first: its file and sha256 go together, and the
                        # new copy's are in the audit log (copy.reissue) and the manifest.
                        prior.file = m.file or prior.file
                owners[m.fingerprint] = owners[m.sha256] = m.recipient.id
                moments.append(prior.issued_at)
                uow.record(
                    action,
                    f"document {info.id}",
                    version=info.version,
                    recipient=m.recipient.id,
                    name=m.recipient.name,
                    sha256=m.sha256,
                    file=m.file or None,
                )
            return moments

    def issued(self, doc: int | str, *, version: int | None = None) -> list[IssuedRecord]:
        """Who received which version of a document, when, and the sha256 of their copy."""
        with self.ctx.read() as session:
            document = find_document(session, doc)
            query = (
                select(Issuance, Recipient, DocumentVersion)
                .join(Recipient, Issuance.recipient_id == Recipient.id)
                .join(DocumentVersion, Issuance.version_id == DocumentVersion.id)
                .where(DocumentVersion.document_id == document.id)
                .order_by(DocumentVersion.version, Issuance.issued_at, Issuance.id)
            )
            if version is not None:
                query = query.where(DocumentVersion.id == find_version(document, version).id)
            return [
                IssuedRecord(
                    recipient=r.name,
                    email=r.email,
                    version=v.version,
                    file=i.file or None,
                    sha256=i.sha256,
                    issued_at=i.issued_at,
                    removed=r.removed_at is not None,
                )
                for i, r, v in session.execute(query)
            ]


@dataclass(frozen=True, slots=True)
class _Made:
    recipient: RecipientInfo
    text: str
    data: bytes  # the file's bytes: the text's, or the edited master file's
    sha256: str
    fingerprint: str
    file: str  # empty when no folder was given


def _same_copy(prior: Issuance, made: _Made) -> bool:
    """Whether ``made`` is the copy ``prior`` records. The code, not the bytes, says so: a PDF
    of a copy is the same copy in another format. Rows from before fingerprints: the bytes."""
    if prior.fingerprint:
        return prior.fingerprint == made.fingerprint
    return prior.sha256 == made.sha256


def _make_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise InputError(f"cannot write into {out}: permission denied")


class Manifest:
    """The folder's distribution record: one row per copy handed out, appended, never rewritten away.

    Every cell goes through :func:`barium.files.spreadsheet_safe`, since names are
    the user's and a spreadsheet would run a cell that starts with ``=``.
    """

    HEADER = ("recipient", "email", "document", "version", "file", "sha256", "issued_at")

    def __init__(self, path: Path) -> None:
        self.path = path

    def _rows(self) -> list[dict[str, str]]:
        if not self.path.is_file():
            return []
        try:
            text = self.path.read_text("utf-8")
            return [dict(row) for row in csv.DictReader(io.StringIO(text))]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise IntegrityFailure(
                f"{self.path} cannot be read ({exc}); it is the record of the copies already in this folder. "
                "Repair or move it away; nothing was written."
            ) from None

    def refuse_collisions(self, made: list[_Made]) -> None:
        """Refuse a copy byte-identical to one the manifest records for someone else."""
        owners = {row.get("sha256", ""): (row.get("recipient", ""), row.get("email", "")) for row in self._rows()}
        for m in made:
            owner = owners.get(m.sha256)
            mine = (spreadsheet_safe(m.recipient.name), spreadsheet_safe(m.recipient.email or ""))
            if owner is not None and owner != mine:
                raise IntegrityFailure(
                    f"the copy for {m.recipient.name} is identical to the copy {self.path.name} records for "
                    f"{owner[0]}; the database may have been restored from an older backup. Nothing was written."
                )

    def append(self, info: DocumentInfo, made: list[_Made], moments: list[datetime]) -> None:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        old = self.path.read_text("utf-8") if self.path.is_file() else ""
        if old and not old.startswith(",".join(self.HEADER)):
            # A manifest of an older release: keep every row under the current header.
            writer.writerow(self.HEADER)
            for row in self._rows():
                writer.writerow([row.get(h, "") for h in self.HEADER])
            old = ""
        elif not old:
            writer.writerow(self.HEADER)
        for m, moment in zip(made, moments, strict=True):
            cells = [m.recipient.name, m.recipient.email or "", info.title, str(info.version), m.file, m.sha256]
            writer.writerow([spreadsheet_safe(c) for c in cells] + [moment.isoformat()])
        atomic_write(self.path, (old + buf.getvalue()).encode())


def _replacements(prepared: PreparedVersion, chosen: list[int]) -> Replacements:
    """The sites whose text in this copy is not the master's, as text replacements."""
    return [
        (site.start, site.end, site.forms[form])
        for site, form in zip(prepared.plan.sites, chosen, strict=True)
        if site.forms[form] != site.forms[site.master_form]
    ]


def _shifts(prepared: PreparedVersion, chosen: list[int]) -> dict[int, tuple[int, float]]:
    """Every word-shift site of the version: start -> (end, points this copy moves it)."""
    return {
        site.start: (site.end, LayoutChannel.shift(site, form))
        for site, form in zip(prepared.plan.sites, chosen, strict=True)
        if site.channel == LayoutChannel.name and site.rule == WORD_SHIFT
    }


def _line_shifts(prepared: PreparedVersion, chosen: list[int]) -> dict[int, float]:
    """Every line-shift site of the version: where its line starts -> points this copy moves it down."""
    return {
        site.start: LayoutChannel.shift(site, form)
        for site, form in zip(prepared.plan.sites, chosen, strict=True)
        if site.channel == LayoutChannel.name and site.rule == LINE_SHIFT
    }


@dataclass(frozen=True, slots=True)
class _Printed:
    """A Word master's PDF copy in two steps: the text LibreOffice prints (the copy's,
    every invisible mark site empty) with the edits of the master file that give it, then
    what :func:`~barium.formats.layout.shift_copy` adds to LibreOffice's PDF, offsets
    in that text: the word shifts (where each word starts, points right), the line
    shifts (where each line's first word starts and its last word ends, points down)
    and the invisible marks (where each goes, its characters)."""

    text: str
    replacements: Replacements
    moves: list[tuple[int, float]]
    lines: list[tuple[int, int, float]]
    marks: list[tuple[int, str]]


def _printed(prepared: PreparedVersion, chosen: list[int]) -> _Printed:
    sites = prepared.plan.sites
    # Every invisible site printed empty (the master's own zero-width characters there
    # too: LibreOffice would drop some), its copy's characters then written as a mark.
    empty = [
        site.forms.index("") if site.channel == InvisibleChannel.name and "" in site.forms else form
        for site, form in zip(sites, chosen, strict=True)
    ]
    changes: list[tuple[int, int]] = []  # (master offset, printed less master after it)
    moves: list[tuple[int, float]] = []
    marks: list[tuple[int, str]] = []
    lines: list[tuple[int, int, float]] = []
    delta = 0
    for site, form, printed in zip(sites, chosen, empty, strict=True):  # sites in master order
        if site.channel == LayoutChannel.name and site.rule == WORD_SHIFT:
            moves.append((site.start + delta, LayoutChannel.shift(site, form)))
            continue
        if site.channel == LayoutChannel.name and site.rule == LINE_SHIFT:
            assert site.locator is not None
            last = int(site.locator.address[LINE_ENDS + 4])  # where the line's last word ends
            lines.append((site.start + delta, last, LayoutChannel.shift(site, form)))
            continue
        if printed != form and site.forms[form]:
            marks.append((site.start + delta, site.forms[form]))
        if site.forms[printed] != site.forms[site.master_form]:
            delta += len(site.forms[printed]) - (site.end - site.start)
            changes.append((site.end, delta))
    # A line's last word may lie past later changes: its end moves by all before it.
    ats = [a for a, _ in changes]
    lines = [
        (first, last + (changes[i - 1][1] if (i := bisect.bisect_right(ats, last)) else 0), dy)
        for first, last, dy in lines
    ]
    return _Printed(
        prepared.plan.render_forms(prepared.master, empty), _replacements(prepared, empty), moves, lines, marks
    )


def _visible_change(prepared: PreparedVersion, chosen: list[int]) -> float:
    """Share of master words that read differently in the copy (invisible marks excluded)."""
    tokens = prepared.index.tokens
    starts = [t.start for t in tokens]
    touched: set[int] = set()
    for site, form in zip(prepared.plan.sites, chosen, strict=True):
        if site.forms[form] == site.forms[site.master_form] or site.channel == "invisible":
            continue
        i = max(0, bisect.bisect_right(starts, site.start) - 1)
        while i < len(tokens) and tokens[i].start < max(site.end, site.start + 1):
            if tokens[i].end > site.start:
                touched.add(i)
            i += 1
    return len(touched) / max(1, len(tokens))


STAMP_CHARS = 200


def _stamp_for(stamp: str, r: RecipientInfo) -> str:
    """The stamp as one recipient's copy shows it."""
    return stamp.format_map({"n": r.id, "name": r.name})


def _check_stamp(stamp: str, *, pdf: bool, word: bool, holders: list[RecipientInfo]) -> None:
    """Refuse, before any copy is made, a stamp that cannot be printed as asked."""
    if not pdf:
        raise InputError("--stamp prints on PDF copies (--format pdf)")
    if not stamp.strip() or len(stamp) > STAMP_CHARS or any(ch in stamp for ch in "\n\r\t"):
        raise InputError(f"the stamp must be one line of 1 to {STAMP_CHARS} characters")
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(stamp)]
    except ValueError as exc:
        raise InputError(
            f"the stamp {stamp!r} may use {{n}} and {{name}} only ({{{{ and }}}} for braces): {exc}"
        ) from None
    if any(name is not None and (name not in ("n", "name") or spec or conversion) for name, spec, conversion in fields):
        raise InputError(f"the stamp {stamp!r} may use {{n}} and {{name}} only, as they are ({{{{ and }}}} for braces)")
    if word:
        # Drawn in Helvetica over LibreOffice's pages (formats.pdf.stamp): Latin text only.
        for r in holders:
            shown = _stamp_for(stamp, r)
            if not stampable(shown):
                raise InputError(
                    f"the stamp for {r.name} ({shown!r}) holds characters a Word copy's stamp cannot show "
                    "(it is set in Helvetica: cp1252 text only)"
                )
