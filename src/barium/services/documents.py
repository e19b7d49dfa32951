"""Registering masters and their versions."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barium.channels import LayoutChannel, Site, VariantsChannel, channel_map
from barium.channels.invisible import CLAUSE_GAPS, WORD_GAPS
from barium.errors import InputError, NotFound
from barium.formats.layout import lay_out, lay_out_word, layout_to_json
from barium.formats.master import Master, load_master
from barium.limits import Limits
from barium.marking import find_sites, sites_from_json, sites_to_json
from barium.services.info import DocumentInfo, SiteRow, SitesReport
from barium.services.prepare import prepare
from barium.services.unit import Context, UnitOfWork
from barium.store import Document, DocumentVersion, Recipient
from barium.text import Lines
from barium.tracing.reach import Reach, reach

# Author variants (and the canaries of author markup) carry q-ary positions: a version
# registered now records this in its code parameters, so its plan never changes.
QARY_CHANNELS = frozenset({"variants"})


# The invisible channel's rules each invisible_gaps setting switches off.
INVISIBLE_OFF = {
    "sentences": frozenset({WORD_GAPS, CLAUSE_GAPS}),
    "clauses": frozenset({WORD_GAPS}),
    "words": frozenset(),
}


class Documents:
    """Registering masters and their versions, and reading them back."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _build_version(
        self,
        master: Master,
        *,
        disabled_channels: frozenset[str],
        disabled_rules: frozenset[str],
    ) -> DocumentVersion:
        """A version, not yet stored or numbered: the CPU-bound part, run outside any transaction."""
        channels = channel_map()
        unknown = disabled_channels - set(channels)
        if unknown:
            raise InputError(f"unknown channel(s): {', '.join(sorted(unknown))}; known: {', '.join(channels)}")
        known_rules = {r for c in channels.values() for r in c.rules()}
        if disabled_rules - known_rules:
            raise InputError(f"unknown rule(s): {', '.join(sorted(disabled_rules - known_rules))}")
        settings = self.ctx.settings
        # Where invisible marks go, frozen with the version (its disabled rules), like any rule switched off.
        disabled_rules = disabled_rules | INVISIBLE_OFF[settings.invisible_gaps]
        enabled = [channels[n] for n in settings.channels if n in channels]
        parsed = master.parsed
        variants = VariantsChannel.name
        if parsed.variants and variants not in settings.channels and variants not in disabled_channels:
            raise InputError(
                f"the master has {len(parsed.variants)} author variants but the 'variants' channel is not in the "
                "channels setting; add it, or pass --disable-channel variants to issue the first wordings only"
            )
        sites = find_sites(parsed, enabled, disabled_channels=disabled_channels, disabled_rules=disabled_rules)
        layout = None
        if any(c.name == LayoutChannel.name for c in enabled) and LayoutChannel.name not in disabled_channels:
            layout, sites = _lay_out(master, sites, limits=self.ctx.limits)
        s = settings
        return DocumentVersion(
            format=master.format,
            filename=master.filename,
            # The clean master (variants at their first wording); the hash is of the
            # file as registered, markup included, so that re-registering it is a no-op.
            content=parsed.text,
            sha256=master.sha256,
            source=master.file,
            options=json.dumps(
                {
                    "disabled_channels": sorted(disabled_channels),
                    "disabled_rules": sorted(disabled_rules),
                }
            ),
            sites=sites_to_json(sites),
            layout=layout,
            code_params=json.dumps(
                {
                    "repetition": s.repetition,
                    "cutoff": s.bias_cutoff,
                    "uniform_share": s.uniform_share,
                    # Channels whose groups carry q-ary positions of their own (marking.plan).
                    "qary": sorted(QARY_CHANNELS),
                    "qary_uniform": True,
                }
            ),
        )

    def add(
        self,
        source: Path | str,
        *,
        title: str | None = None,
        fmt: str | None = None,
        disabled_channels: frozenset[str] = frozenset(),
        disabled_rules: frozenset[str] = frozenset(),
    ) -> DocumentInfo:
        """Register a new master; returns its id and version 1."""
        master = load_master(source, limits=self.ctx.limits, fmt=fmt)
        lines = master.text.strip().splitlines()
        name = Path(master.filename).stem if master.filename else ""
        title = (title or name or (lines[0] if lines else ""))[:500].strip()
        if not title:
            raise InputError("a document needs a title (--title)")
        built = self._build_version(master, disabled_channels=disabled_channels, disabled_rules=disabled_rules)
        with self.ctx.unit() as uow:
            document = Document(title=title)
            uow.session.add(document)
            uow.session.flush()
            version = _store_version(uow, document, built)
            return document_info(document, version, 1)

    def update(
        self,
        doc: int | str,
        source: Path | str,
        *,
        fmt: str | None = None,
        disabled_channels: frozenset[str] | None = None,
        disabled_rules: frozenset[str] | None = None,
    ) -> DocumentInfo:
        """A changed master becomes a new version; an unchanged one returns the latest."""
        master = load_master(source, limits=self.ctx.limits, fmt=fmt)
        with self.ctx.read() as session:
            document = find_document(session, doc)
            latest = document.versions[-1]
            options = json.loads(latest.options)
            dc = disabled_channels if disabled_channels is not None else frozenset(options["disabled_channels"])
            dr = disabled_rules if disabled_rules is not None else frozenset(options["disabled_rules"])
            same_options = dc == frozenset(options["disabled_channels"]) and dr == frozenset(options["disabled_rules"])
            if latest.sha256 == master.sha256 and same_options:
                return document_info(document, latest, len(document.versions))
            document_id = document.id
            if not master.filename:  # new text for a master registered from a file keeps its name
                master = replace(master, filename=latest.filename)
        built = self._build_version(master, disabled_channels=dc, disabled_rules=dr)
        with self.ctx.unit() as uow:
            document = find_document(uow.session, document_id)
            version = _store_version(uow, document, built)
            return document_info(document, version, version.version)  # versions are numbered 1..n

    def master_text(self, doc: int | str, *, version: int | None = None) -> str:
        """The clean master of a version: what the document says, unmarked."""
        with self.ctx.read() as session:
            return find_version(find_document(session, doc), version).content

    def list(self) -> list[DocumentInfo]:
        """Every document, by id, at its latest version."""
        with self.ctx.read() as session:
            docs = session.scalars(select(Document).order_by(Document.id)).all()
            return [document_info(d, d.versions[-1], len(d.versions)) for d in docs]

    def get(self, doc: int | str, *, version: int | None = None) -> DocumentInfo:
        """One document, at ``version`` (the latest by default)."""
        with self.ctx.read() as session:
            document = find_document(session, doc)
            return document_info(document, find_version(document, version), len(document.versions))

    def sites(self, doc: int | str, *, version: int | None = None) -> SitesReport:
        """Every site of a version with its forms, in text order, with line and column."""
        with self.ctx.read() as session:
            document = find_document(session, doc)
            v = find_version(document, version)
            info = document_info(document, v, len(document.versions))
        prepared = prepare(v, self.ctx.ws.key)
        text = prepared.master
        lines = Lines(text)
        rows = []
        channels = channel_map()
        for i, site in enumerate(prepared.plan.sites):
            line, column = lines.at(site.start)
            rows.append(
                SiteRow(
                    index=i,
                    channel=site.channel,
                    rule=site.rule,
                    paragraph=site.paragraph,
                    start=site.start,
                    end=site.end,
                    line=line,
                    column=column,
                    master=text[site.start : site.end],
                    forms=channels[site.channel].shown_forms(site),
                )
            )
        return SitesReport(
            document=info,
            sites=rows,
            words=len(prepared.index.tokens),
            per_channel=dict(Counter(r.channel for r in rows)),
            code_length=prepared.plan.length,
            slots=prepared.plan.slots,
        )

    def reach(self, doc: int | str, *, version: int | None = None, recipients: int | None = None) -> Reach:
        """How long a pasted or retyped quote of a version names its source among ``recipients``
        (default: the recipients there are, or 1,000 before any), at the workspace's eps: an
        estimate from the version's marks (:mod:`barium.tracing.reach`)."""
        with self.ctx.read() as session:
            v = find_version(find_document(session, doc), version)
            if recipients is None:
                recipients = (
                    session.scalar(select(func.count()).select_from(Recipient).where(Recipient.removed_at.is_(None)))
                    or 1000
                )
        if recipients < 1:
            raise InputError("an estimate needs at least one recipient")
        prepared = prepare(v, self.ctx.ws.key)
        s = self.ctx.settings
        return reach(
            prepared.plan,
            prepared.code,
            prepared.master,
            recipients=recipients,
            max_false_accusation=s.max_false_accusation,
            read_error=s.read_error,
            colluders=s.colluders,
        )


def find_document(session: Session, doc: int | str) -> Document:
    """Find a document by id, or by exact (case-insensitive) title."""
    ref = str(doc).strip()
    found: Document | None = None
    if ref.isdecimal():
        found = session.get(Document, int(ref))
    if found is None:
        matches = session.scalars(select(Document).where(func.lower(Document.title) == ref.lower())).all()
        if len(matches) > 1:
            raise InputError(f"several documents are titled {ref!r}; use the id")
        found = matches[0] if matches else None
    if found is None:
        raise NotFound(f"no document {ref!r}; `barium doc list` shows them")
    return found


def find_version(document: Document, number: int | None) -> DocumentVersion:
    if number is None:
        return document.versions[-1]
    for v in document.versions:
        if v.version == number:
            return v
    raise NotFound(f"document {document.id} has no version {number} (latest is {document.versions[-1].version})")


def document_info(document: Document, version: DocumentVersion, count: int) -> DocumentInfo:
    sites = sites_from_json(version.sites)
    per_channel = Counter(site.channel for site in sites)
    return DocumentInfo(
        id=document.id,
        title=document.title,
        version=version.version,
        version_id=version.id,
        format=version.format,
        sites=len(sites),
        created_at=version.created_at,
        versions=count,
        channels={name: per_channel[name] for name in channel_map() if per_channel[name]},
    )


def _store_version(uow: UnitOfWork, document: Document, version: DocumentVersion) -> DocumentVersion:
    """Number, store and record a built version. The document's row is locked first
    (PostgreSQL; SQLite's write transaction already excludes other writers), so two
    writers never both take "latest + 1"."""
    session = uow.session
    if document.id is not None:
        session.execute(select(Document.id).where(Document.id == document.id).with_for_update())
    number = (
        session.scalar(select(func.max(DocumentVersion.version)).where(DocumentVersion.document_id == document.id)) or 0
    ) + 1
    version.document_id = document.id
    version.version = number
    session.add(version)
    session.flush()
    uow.record(
        "document.add" if number == 1 else "document.update",
        f"document {document.id}",
        title=document.title,
        version=number,
        sha256=version.sha256,
        format=version.format,
        filename=version.filename,
    )
    return version


def _lay_out(master: Master, sites: list[Site], *, limits: Limits) -> tuple[str | None, list[Site]]:
    """The stored layout of a master's PDF copies and the site list with its word
    shifts: typst's fixed lines for a text or Markdown master, LibreOffice's own for a
    Word master."""
    if master.format in ("text", "markdown"):
        laid = lay_out(master.text, master.format, sites, limits=limits)
        typesetter = "typst"
    elif master.format == "docx" and master.file is not None:
        laid = lay_out_word(master.file, master.text, sites, limits=limits)
        typesetter = "libreoffice"
    else:
        return None, sites
    if laid is None:
        return None, sites
    layout, kept = laid
    return layout_to_json(layout.breaks, typesetter=typesetter), sorted(
        [*kept, *layout.sites], key=lambda x: (x.start, x.end)
    )
