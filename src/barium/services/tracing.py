"""Tracing a leak: which document it comes from, and whose copy."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from barium.channels import LeakEvidence, channel_map
from barium.errors import InputError
from barium.formats.leak import read_leak_evidence
from barium.services.detection import Detection
from barium.services.documents import find_document
from barium.services.prepare import prepare
from barium.services.unit import Context
from barium.store import Document, DocumentVersion, Issuance, Recipient
from barium.text import tokenize
from barium.tracing import (
    WEAK_THRESHOLD,
    Accusation,
    DocumentRef,
    PreparedVersion,
    TraceResult,
    VersionReading,
    align_and_read,
    score_version,
)

# A leak read at this many positions, none of which any recorded copy matches at
# this rate, comes from a copy the database does not know (the holder of a copy
# agrees on nearly all; an innocent on about half to two thirds).
UNRECORDED_POSITIONS = 100
UNRECORDED_AGREEMENT = 0.8
MIN_RUN = 5  # words in a row that count as evidence of a common source
CANDIDATES = 5
# Beyond this many versions, the detection index picks which ones to align against.
DIRECT_ALIGN_LIMIT = 20


class Tracing:
    """Tracing a leak: which document it comes from, and whose copy.

    The database is read in two short read transactions (the versions, then who
    holds copies of the versions the leak matches); preparing, aligning and scoring,
    the CPU-bound part, runs outside both.
    """

    def __init__(self, ctx: Context, detection: Detection) -> None:
        self.ctx = ctx
        self.detection = detection

    def read_leak(self, source: Path | str) -> str:
        """The text of a leak given as a path or as text, through the one text check."""
        return self.read_evidence(source).text

    def read_evidence(self, source: Path | str) -> LeakEvidence:
        """What a leak given as a path or as text shows: its text, through the one text
        check, and its words' boxes when it came as a PDF or a picture."""
        limits = self.ctx.limits
        if isinstance(source, Path):
            return read_leak_evidence(source, limits=limits)
        if not source.strip():
            raise InputError("leak: the text is empty")
        # Text, not bytes: nothing is binary here; stray control characters are dropped.
        return LeakEvidence(limits.check_text(source, "leak", name="leak"))

    def trace(
        self,
        source: Path | str,
        *,
        doc: int | str | None = None,
        max_false_accusation: float | None = None,
        weak: bool = False,
    ) -> TraceResult:
        """Align the leak to every registered version (or those of ``doc``), read the
        marks that survived and name the recipients the evidence bounds.

        A ``max_false_accusation`` above :data:`WEAK_THRESHOLD` is refused unless
        ``weak`` is true; the result then says that its verdict is weak.
        """
        s = self.ctx.settings
        eps = max_false_accusation if max_false_accusation is not None else s.max_false_accusation
        if not 0 < eps < 1:
            raise InputError(f"the false-accusation threshold must lie between 0 and 1 (got {eps:g})")
        if eps > WEAK_THRESHOLD and not weak:
            raise InputError(
                f"a false-accusation threshold of {eps:g} is above {WEAK_THRESHOLD:g}: such a verdict is weak "
                "evidence; ask for it explicitly (barium trace --weak)"
            )
        evidence = self.read_evidence(source)
        leak = evidence.text
        leak_tokens = tokenize(leak)
        channels = channel_map()

        with self.ctx.read() as session:
            if doc is not None:
                versions = list(find_document(session, doc).versions)
            else:
                versions = list(session.scalars(select(DocumentVersion).order_by(DocumentVersion.id)))
            titles = {d.id: d.title for d in session.scalars(select(Document))}
        if doc is None and len(versions) > DIRECT_ALIGN_LIMIT:
            # Aligning against thousands of masters is slow; the mark-blind
            # detection index names the versions the leak shares passages with.
            keys = {m.key for m in self.detection.index().search(leak)}
            versions = [v for v in versions if f"{v.document_id}:{v.version}" in keys]
        prepared: dict[int, tuple[DocumentVersion, PreparedVersion]] = {
            v.id: (v, prepare(v, self.ctx.ws.key)) for v in versions
        }
        readings: list[tuple[int, VersionReading]] = []
        for _vid, (_v, pv) in prepared.items():
            reading = align_and_read(pv, evidence, leak_tokens, channels, min_passage=s.min_evidence_words)
            readings.append((reading.alignment.evidence_words(MIN_RUN), reading))
        readings.sort(key=lambda x: -x[0])
        best_words = readings[0][0] if readings else 0
        if best_words < s.min_evidence_words:
            aligned = readings[0][1].alignment.aligned_words if readings else 0
            return TraceResult(
                "no_match",
                None,
                [],
                [],
                aligned,
                0,
                0,
                {},
                max_false_accusation=eps,
                max_candidate_bound=s.max_candidate_bound,
            )
        # Every version the leak matches about as well as the best is a suspect
        # source: score all their recipients under one union bound.
        kept = [r for w, r in readings if w >= max(s.min_evidence_words, best_words // 2)]
        # Codewords derive from each recipient's code identity (uid), never their row id.
        issued: dict[int, list[tuple[str, int, str, str | None]]] = {}
        with self.ctx.read() as session:
            for r in kept:
                rows = session.execute(
                    select(Recipient.uid, Recipient.id, Recipient.name, Recipient.email)
                    .join(Issuance, Issuance.recipient_id == Recipient.id)
                    .where(Issuance.version_id == r.version_id)
                    .order_by(Recipient.id)
                ).all()
                issued[r.version_id] = [(str(u), int(a), str(b), c) for u, a, b, c in rows]
        refs = {
            r.version_id: DocumentRef(
                prepared[r.version_id][0].document_id,
                titles[prepared[r.version_id][0].document_id],
                prepared[r.version_id][0].version,
            )
            for r in kept
        }
        union = sum(len(v) for v in issued.values())
        listed = max(eps, s.max_candidate_bound)
        people: list[Accusation] = []
        for r in kept:
            who = {uid: (rid, name, email) for uid, rid, name, email in issued[r.version_id]}
            scored = score_version(
                prepared[r.version_id][1],
                r,
                list(who),
                colluders=s.colluders,
                read_error=s.read_error,
                union=union,
                eps=listed,  # every recipient at or below the listing bound is returned
            )
            for e in scored:
                if e.bound <= listed:
                    rid, name, email = who[str(e.recipient)]
                    people.append(Accusation(name, email, e.score, e.bound, e.test, rid, refs[r.version_id]))
        people.sort(key=lambda a: (a.false_accusation_bound, -a.score))
        accused = [a for a in people if a.false_accusation_bound <= eps]
        lead = _deciding_reading(kept, people, refs, best_words)
        document = refs[lead.version_id]
        notes: list[str] = []
        if union == 0:
            notes.append("no copies of this document have been issued, so no one can be accused")
        if len(lead.observation) == 0:
            notes.append("no marks survived in this text: it matches the unmarked master, or its marks were stripped")
        lead_plan = prepared[lead.version_id][1].plan
        like_master = len(lead.readings) >= 3 and all(
            lead_plan.sites[i].master_form == f for i, f in lead.readings.items()
        )
        if like_master:
            notes.append(
                f"all {len(lead.readings)} marks read show the master's own forms: the text may come from "
                "the unmarked master (or a copy of it), not from any recipient's copy"
            )
        # Only when no one is listed: the check scores every recorded copy once more.
        agreement = (
            _best_agreement(prepared[lead.version_id][1], lead, [u for u, *_ in issued[lead.version_id]])
            if issued[lead.version_id] and not people and not like_master and not lead.observation.ambiguous
            else 1.0
        )
        if len(lead.observation) >= UNRECORDED_POSITIONS and agreement < UNRECORDED_AGREEMENT:
            notes.append(
                f"{len(lead.observation)} code positions were read, enough to name the holder of any recorded "
                f"copy, yet no recorded copy agrees with more than {agreement:.0%} of them: the "
                "text may come from a copy the database does not record (issued before the database was restored "
                "from a backup, or from another workspace), or from several copies mixed"
            )
        if lead.observation.ambiguous:
            # A position shows both symbols when two copies were mixed, or when OCR misread
            # one of its marks: in a picture the second is the likelier.
            why = (
                "marks misread in the picture, or copies mixed (collusion)"
                if any(w.ink for w in evidence.words)
                else "copies were mixed (collusion)"
            )
            notes.append(f"{lead.observation.ambiguous} code positions showed both symbols: {why}")
        return TraceResult(
            verdict="identified" if accused else "inconclusive",
            document=document,
            accused=accused,
            candidates=people[:CANDIDATES],
            equally_consistent=union - len(people),
            max_candidate_bound=s.max_candidate_bound,
            aligned_words=lead.alignment.aligned_words,
            sites_read=lead.sites_read,
            positions_read=len(lead.observation),
            channels=lead.channels,
            ambiguous_positions=lead.observation.ambiguous,
            recipients_scored=union,
            max_false_accusation=eps,
            notes=notes,
        )


def _deciding_reading(
    kept: list[VersionReading],
    people: list[Accusation],
    refs: dict[int, DocumentRef],
    best_words: int,
) -> VersionReading:
    """The version the report is about: the one whose evidence decided.

    That is the version of the strongest listed recipient (the accused, when there
    is one). With no one listed, among the versions the leak aligns with best, the
    one that read the most code positions (then the newest): a leak that two
    versions share is reported with the richest evidence, not the oldest.
    """
    if people:
        return next(r for r in kept if refs[r.version_id] == people[0].document)
    tied = [r for r in kept if r.alignment.evidence_words(MIN_RUN) == best_words]
    return max(tied, key=lambda r: (len(r.observation), r.sites_read, refs[r.version_id].version))


def _best_agreement(version: PreparedVersion, reading: VersionReading, holders: list[str]) -> float:
    """The largest share of read positions on which one recorded copy shows the leak's symbol."""
    obs = reading.observation
    if len(obs) == 0 or not holders:
        return 0.0
    words = version.code.codewords(holders, obs.positions)
    return float((words == obs.symbols[None, :]).mean(axis=1).max())
