"""Tracing a leak: which document it comes from, and whose copy."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from barium import __version__
from barium.channels import LeakEvidence, channel_map
from barium.channels.variants import VariantsChannel
from barium.codes import Block, Observation, decode_blocks, score_of
from barium.detect.topics import document_terms, link, specific_terms
from barium.errors import InputError
from barium.formats.leak import read_leak_bytes, read_leak_evidence
from barium.services.detection import Detection
from barium.services.documents import find_document
from barium.services.prepare import prepare
from barium.services.unit import Context
from barium.store import Document, DocumentVersion, Issuance, Recipient
from barium.text import Token, tokenize
from barium.tracing import (
    WEAK_THRESHOLD,
    Accusation,
    DocumentRef,
    LeakReport,
    MarkRead,
    PreparedVersion,
    ScoreRow,
    TraceResult,
    VersionReading,
    align_and_read,
    marks_read,
    read_by_content,
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


@dataclass(frozen=True, slots=True)
class LeakBytes:
    """A leak held as bytes (evidence in a case's custody), with the name it came under."""

    name: str
    data: bytes


LeakSource = Path | str | LeakBytes


class Tracing:
    """Tracing a leak: which document it comes from, and whose copy.

    The database is read in two short read transactions (the versions, then who
    holds copies of the versions the leak matches); preparing, aligning and scoring,
    the CPU-bound part, runs outside both.
    """

    def __init__(self, ctx: Context, detection: Detection) -> None:
        self.ctx = ctx
        self.detection = detection

    def read_leak(self, source: LeakSource) -> str:
        """The text of a leak given as a path, as bytes or as text, through the one text check."""
        return self.read_evidence(source).text

    def read_evidence(self, source: LeakSource) -> LeakEvidence:
        """What a leak given as a path, as bytes or as text shows: its text, through the one
        text check, and its words' boxes when it came as a PDF or a picture."""
        limits = self.ctx.limits
        if isinstance(source, Path):
            return read_leak_evidence(source, limits=limits)
        if isinstance(source, LeakBytes):
            return read_leak_bytes(source.data, name=source.name, limits=limits)
        if not source.strip():
            raise InputError("leak: the text is empty")
        # Text, not bytes: nothing is binary here; stray control characters are dropped.
        return LeakEvidence(limits.check_text(source, "leak", name="leak"))

    def trace(
        self,
        source: LeakSource,
        *,
        doc: int | str | None = None,
        max_false_accusation: float | None = None,
        weak: bool = False,
        record: bool = True,
    ) -> TraceResult:
        """Align the leak to every registered version (or those of ``doc``), read the
        marks that survived and name the recipients the evidence bounds.

        A ``max_false_accusation`` above :data:`WEAK_THRESHOLD` is refused unless
        ``weak`` is true; the result then says that its verdict is weak. A trace uses the
        workspace key: ``record`` puts it in the audit log (``trace.run``), as the CLI
        and the API do; the watcher and cases record their traces with what they store.
        """
        return self.trace_joint([source], doc=doc, max_false_accusation=max_false_accusation, weak=weak, record=record)

    def trace_joint(
        self,
        sources: Sequence[LeakSource],
        *,
        doc: int | str | None = None,
        max_false_accusation: float | None = None,
        weak: bool = False,
        all_scores: bool = False,
        record: bool = True,
    ) -> TraceResult:
        """Trace several leaks believed to share a source, on all their evidence together.

        Each leak is aligned and read on its own. Every version any leak matches is a
        block of evidence (several leaks of one version merged, each code position
        counted once); a recipient is scored on the blocks of the versions they hold
        copies of, and bounded over exactly those positions, under one union bound over
        every recipient scored (:func:`barium.codes.decode_blocks`). A recipient who
        holds a copy of only one of the documents is scored on that one's leaks alone.
        Accused means: a source of at least one of the leaks. ``all_scores``: the result
        also holds every recipient's score and bound (``TraceResult.scores``).
        """
        result = self._trace_joint(
            sources, doc=doc, max_false_accusation=max_false_accusation, weak=weak, all_scores=all_scores
        )
        if record:
            with self.ctx.unit() as uow:
                # Recipient ids, not names: the audit log is read more widely than a trace.
                uow.record(
                    "trace.run",
                    "document " + str(result.document.id) if result.document else "no document",
                    leaks=[leak.sha256 for leak in result.leaks],
                    verdict=result.verdict,
                    accused=[a.recipient_id for a in result.accused],
                    max_false_accusation=result.max_false_accusation,
                )
        return result

    def _trace_joint(
        self,
        sources: Sequence[LeakSource],
        *,
        doc: int | str | None,
        max_false_accusation: float | None,
        weak: bool,
        all_scores: bool,
    ) -> TraceResult:
        s = self.ctx.settings
        eps = max_false_accusation if max_false_accusation is not None else s.max_false_accusation
        if not 0 < eps < 1:
            raise InputError(f"the false-accusation threshold must lie between 0 and 1 (got {eps:g})")
        if eps > WEAK_THRESHOLD and not weak:
            raise InputError(
                f"a false-accusation threshold of {eps:g} is above {WEAK_THRESHOLD:g}: such a verdict is weak "
                "evidence; ask for it explicitly (barium trace --weak)"
            )
        if not sources:
            raise InputError("trace: no leak given")
        cap = self.ctx.limits.joint_leaks
        if len(sources) > cap:
            raise InputError(f"trace: {len(sources)} leaks given, over the {cap} one trace takes together")
        leaks = [self._leak(source) for source in sources]
        with self.ctx.read() as session:
            if doc is not None:
                versions = list(find_document(session, doc).versions)
            else:
                versions = list(session.scalars(select(DocumentVersion).order_by(DocumentVersion.id)))
            titles = {d.id: d.title for d in session.scalars(select(Document))}
        prepared: dict[int, tuple[DocumentVersion, PreparedVersion]] = {}
        for leak in leaks:
            self._match(leak, versions, prepared, narrow=doc is None)
        matched = [leak for leak in leaks if leak.kept]
        if not matched:
            return TraceResult(
                "no_match",
                None,
                [],
                [],
                max(leak.aligned for leak in leaks),
                0,
                0,
                {},
                max_false_accusation=eps,
                max_candidate_bound=s.max_candidate_bound,
                leaks=[leak.report(None, None) for leak in leaks],
            )
        version_ids = sorted({r.version_id for leak in matched for r in leak.kept})
        # Codewords derive from each recipient's code identity (uid), never their row id.
        holders: dict[int, frozenset[str]] = {}
        people_rows: dict[str, tuple[int, str, str | None]] = {}
        with self.ctx.read() as session:
            for vid in version_ids:
                rows = session.execute(
                    select(Recipient.uid, Recipient.id, Recipient.name, Recipient.email)
                    .join(Issuance, Issuance.recipient_id == Recipient.id)
                    .where(Issuance.version_id == vid)
                    .order_by(Recipient.id)
                ).all()
                holders[vid] = frozenset(str(u) for u, *_ in rows)
                people_rows.update({str(u): (int(a), str(b), c) for u, a, b, c in rows})
        refs = {
            vid: DocumentRef(
                prepared[vid][0].document_id, titles[prepared[vid][0].document_id], prepared[vid][0].version
            )
            for vid in version_ids
        }
        blocks = [
            Block(
                prepared[vid][1].code,
                Observation.merge([r.observation for leak in matched for r in leak.kept if r.version_id == vid]),
                holders[vid],
            )
            for vid in version_ids
        ]
        scored_uids = sorted(people_rows, key=lambda u: people_rows[u][0])
        union = len(scored_uids)
        listed = max(eps, s.max_candidate_bound)
        evidence = decode_blocks(
            blocks,
            scored_uids,
            colluders=s.colluders,
            read_error=s.read_error,
            union=union,
            eps=eps,
            listed=listed,  # every recipient at or below the listing bound is returned
            top=max(union, 1) if all_scores else 5,
        )
        scores = (
            [
                ScoreRow(people_rows[e.recipient][0], people_rows[e.recipient][1], e.score, e.test, e.bound)
                for e in evidence
            ]
            if all_scores
            else []
        )
        people: list[Accusation] = []
        for e in evidence:
            if e.bound > listed:
                continue
            rid, name, email = people_rows[e.recipient]
            # Reported with the version whose evidence weighed most for them.
            _, vid = max((part, vid) for part, vid in zip(e.parts, version_ids, strict=True) if part is not None)
            per_leak = tuple(self._leak_part(leak, prepared, holders, e.recipient, e.test) for leak in leaks)
            people.append(Accusation(name, email, e.score, e.bound, e.test, rid, refs[vid], per_leak))
        people.sort(key=lambda a: (a.false_accusation_bound, -a.score))
        accused = [a for a in people if a.false_accusation_bound <= eps]
        leads = {id(leak): _deciding_reading(leak.kept, people, refs, leak.best_words) for leak in matched}
        notes: list[str] = []
        if union == 0:
            notes.append("no copies of this document have been issued, so no one can be accused")
        for n, leak in enumerate(leaks, 1):
            prefix = f"leak {n} ({leak.source}): " if len(leaks) > 1 else ""
            if not leak.kept:
                notes.append(f"{prefix}the text matches no registered document ({leak.aligned} words aligned)")
                continue
            lead = leads[id(leak)]
            pv = prepared[lead.version_id][1]
            if leak.by_content:
                variants = sum(1 for site in pv.plan.sites if site.channel == VariantsChannel.name)
                notes.append(
                    f"{prefix}no passage matches a registered document word for word; the text restates "
                    f"{refs[lead.version_id].title!r} in other words and was read by content: "
                    f"{len(lead.by_content)} of its {variants} author variants and content canaries found"
                )
            notes.extend(prefix + note for note in _notes(pv, lead, leak.evidence, holders[lead.version_id], people))
        lead_person = people[0] if people else None
        reports = [
            leak.report(
                refs[leads[id(leak)].version_id] if leak.kept else None,
                leads.get(id(leak)),
                lead_person.per_leak[n] if lead_person else None,
                tuple((refs[r.version_id], r.alignment.aligned_words) for r in leak.kept),
            )
            for n, leak in enumerate(leaks)
        ]
        uid_of = {rid: uid for uid, (rid, _, _) in people_rows.items()}
        marks = _marks(leaks, leads, prepared, holders, people[:CANDIDATES], uid_of)
        lead = leads[id(matched[0])] if lead_person is None else _lead_of(matched, leads, lead_person, refs)
        # One leak: its deciding version's counts. Several: sums over the leaks.
        counted = [leads[id(leak)] for leak in matched] if len(leaks) > 1 else [lead]
        channels: Counter[str] = Counter()
        for r in counted:
            channels.update(r.channels)
        return TraceResult(
            verdict="identified" if accused else "inconclusive",
            document=refs[lead.version_id],
            accused=accused,
            candidates=people[:CANDIDATES],
            equally_consistent=union - len(people),
            max_candidate_bound=s.max_candidate_bound,
            aligned_words=sum(r.alignment.aligned_words for r in counted),
            sites_read=sum(r.sites_read for r in counted),
            positions_read=sum(len(r.observation) for r in counted),
            channels={name: channels.get(name, 0) for name in lead.channels},
            ambiguous_positions=sum(r.observation.ambiguous for r in counted),
            recipients_scored=union,
            max_false_accusation=eps,
            notes=notes,
            leaks=reports,
            marks=marks,
            scores=scores,
            key_fingerprint=self.ctx.ws.key_fingerprint,
            barium_version=__version__,
            traced_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def _leak(self, source: LeakSource) -> _Leak:
        """A leak read (text, word boxes) with its name and the SHA-256 of its bytes."""
        evidence = self.read_evidence(source)
        if isinstance(source, LeakBytes):
            return _Leak(source.name, hashlib.sha256(source.data).hexdigest(), evidence, tokenize(evidence.text))
        if isinstance(source, Path):
            digest = hashlib.sha256()
            with source.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            return _Leak(str(source), digest.hexdigest(), evidence, tokenize(evidence.text))
        return _Leak("text", hashlib.sha256(source.encode()).hexdigest(), evidence, tokenize(evidence.text))

    def _match(
        self,
        leak: _Leak,
        versions: list[DocumentVersion],
        prepared: dict[int, tuple[DocumentVersion, PreparedVersion]],
        *,
        narrow: bool,
    ) -> None:
        """Align the leak to the versions and keep those it matches about as well as the best."""
        s = self.ctx.settings
        candidates = versions
        if narrow and len(versions) > DIRECT_ALIGN_LIMIT:
            # Aligning against thousands of masters is slow; the mark-blind
            # detection index names the versions the leak shares passages with.
            keys = {m.key for m in self.detection.index().search(leak.evidence.text)}
            candidates = [v for v in versions if f"{v.document_id}:{v.version}" in keys]
        readings: list[tuple[int, VersionReading]] = []
        channels = channel_map()
        for v in candidates:
            if v.id not in prepared:
                prepared[v.id] = (v, prepare(v, self.ctx.ws.key))
            pv = prepared[v.id][1]
            reading = align_and_read(pv, leak.evidence, leak.tokens, channels, min_passage=s.min_evidence_words)
            readings.append((reading.alignment.evidence_words(MIN_RUN), reading))
        readings.sort(key=lambda x: -x[0])
        leak.best_words = readings[0][0] if readings else 0
        leak.aligned = readings[0][1].alignment.aligned_words if readings else 0
        if leak.best_words >= s.min_evidence_words:
            # Every version the leak matches about as well as the best is a suspect
            # source: their recipients are all scored, under one union bound.
            floor = max(s.min_evidence_words, leak.best_words // 2)
            leak.kept = [r for w, r in readings if w >= floor]
            return
        # Nothing aligns: a report in the reporter's own words. The versions it
        # paraphrases (or those of the document named) are read by content alone.
        linked = versions if not narrow else self._paraphrased(leak, versions)
        for v in linked:
            if v.id not in prepared:
                prepared[v.id] = (v, prepare(v, self.ctx.ws.key))
        leak.kept = [read_by_content(prepared[v.id][1], leak.evidence.text, leak.tokens, channels) for v in linked]
        leak.by_content = bool(linked)

    def _paraphrased(self, leak: _Leak, versions: list[DocumentVersion]) -> list[DocumentVersion]:
        """The versions of every document the leak restates: it names many of their
        specifics, and they are most of what it names (:mod:`barium.detect.topics`)."""
        terms = specific_terms(leak.evidence.text)
        return [v for v in versions if link(terms, document_terms(v.sha256, v.content)).linked()]

    def _leak_part(
        self,
        leak: _Leak,
        prepared: dict[int, tuple[DocumentVersion, PreparedVersion]],
        holders: dict[int, frozenset[str]],
        uid: str,
        test: str,
    ) -> float | None:
        """What this leak alone scores for ``uid`` under ``test`` (None: not scored on it)."""
        s = self.ctx.settings
        held = [r for r in leak.kept if uid in holders[r.version_id]]
        if not held:
            return None
        return sum(
            score_of(
                prepared[r.version_id][1].code,
                r.observation,
                uid,
                test=test,
                colluders=s.colluders,
                read_error=s.read_error,
            )
            for r in held
        )


@dataclass(slots=True)
class _Leak:
    """One leak of a trace, as it is read and matched."""

    source: str
    sha256: str
    evidence: LeakEvidence
    tokens: list[Token]
    kept: list[VersionReading] = field(default_factory=list)
    best_words: int = 0
    aligned: int = 0
    by_content: bool = False  # read by what it says (a paraphrase), not by alignment

    def report(
        self,
        document: DocumentRef | None,
        lead: VersionReading | None,
        contribution: float | None = None,
        versions: tuple[tuple[DocumentRef, int], ...] = (),
    ) -> LeakReport:
        return LeakReport(
            self.source,
            self.sha256,
            document,
            lead.alignment.aligned_words if lead else self.aligned,
            lead.sites_read if lead else 0,
            len(lead.observation) if lead else 0,
            contribution,
            versions,
        )


def _marks(
    leaks: list[_Leak],
    leads: dict[int, VersionReading],
    prepared: dict[int, tuple[DocumentVersion, PreparedVersion]],
    holders: dict[int, frozenset[str]],
    shown: list[Accusation],
    uid_of: dict[int, str],
) -> list[MarkRead]:
    """Every mark each matched leak's deciding version read, with what ``shown``'s copies
    say there (namesakes told apart by e-mail; None for someone without a copy)."""
    names = [a.recipient for a in shown]
    label = {
        a.recipient_id: a.recipient if names.count(a.recipient) == 1 else f"{a.recipient} <{a.email}>" for a in shown
    }
    channels = channel_map()
    marks: list[MarkRead] = []
    for n, leak in enumerate(leaks):
        if not leak.kept:
            continue
        r = leads[id(leak)]
        who = {
            label[a.recipient_id]: uid_of[a.recipient_id] if uid_of[a.recipient_id] in holders[r.version_id] else None
            for a in shown
        }
        pv = prepared[r.version_id][1]
        marks += marks_read(pv, r, leak.evidence.text, leak.tokens, channels, who, leak_number=n)
    return marks


def _lead_of(
    matched: list[_Leak], leads: dict[int, VersionReading], person: Accusation, refs: dict[int, DocumentRef]
) -> VersionReading:
    """The reading the report is about: the leading person's document, in the first leak of it."""
    for leak in matched:
        r = leads[id(leak)]
        if refs[r.version_id] == person.document:
            return r
    return leads[id(matched[0])]


def _notes(
    pv: PreparedVersion,
    lead: VersionReading,
    evidence: LeakEvidence,
    holders: frozenset[str],
    people: list[Accusation],
) -> list[str]:
    """What an investigator should know about one leak's evidence."""
    notes: list[str] = []
    if len(lead.observation) == 0:
        notes.append("no marks survived in this text: it matches the unmarked master, or its marks were stripped")
    like_master = len(lead.readings) >= 3 and all(pv.plan.sites[i].master_form == f for i, f in lead.readings.items())
    if like_master:
        notes.append(
            f"all {len(lead.readings)} marks read show the master's own forms: the text may come from "
            "the unmarked master (or a copy of it), not from any recipient's copy"
        )
    # Only when no one is listed: the check scores every recorded copy once more.
    agreement = (
        _best_agreement(pv, lead, holders)
        if holders and not people and not like_master and not lead.observation.ambiguous
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
    return notes


def _deciding_reading(
    kept: list[VersionReading],
    people: list[Accusation],
    refs: dict[int, DocumentRef],
    best_words: int,
) -> VersionReading:
    """The version the report is about: the one whose evidence decided.

    That is the version of the strongest listed recipient (the accused, when there
    is one), if the leak matched it. Otherwise, among the versions the leak aligns with best, the
    one that read the most code positions (then the newest): a leak that two
    versions share is reported with the richest evidence, not the oldest.
    """
    for r in kept if people else ():
        if refs[r.version_id] == people[0].document:
            return r
    tied = [r for r in kept if r.alignment.evidence_words(MIN_RUN) == best_words]
    return max(tied, key=lambda r: (len(r.observation), r.sites_read, refs[r.version_id].version))


def _best_agreement(version: PreparedVersion, reading: VersionReading, holders: frozenset[str]) -> float:
    """The largest share of read positions on which one recorded copy shows the leak's symbol."""
    obs = reading.observation
    if len(obs) == 0 or not holders:
        return 0.0
    words = version.code.codewords(sorted(holders), obs.positions)
    return float((words == obs.symbols[None, :]).mean(axis=1).max())
