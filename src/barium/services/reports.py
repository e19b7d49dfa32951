"""The evidence report of a case: gathered here from the case file, the distribution
record and the audit log, rendered as HTML or PDF (:mod:`barium.report`), written,
and its SHA-256 recorded in the audit log."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from barium import __version__
from barium.cases.history import event_line
from barium.cases.media import ALERT_RECORD, DOCX, HTML
from barium.errors import InputError
from barium.files import atomic_write
from barium.report.model import Citation, Handling, LeakItem, MarkRow, Person, Report, Score, Step, split_context
from barium.report.words import odds_in_words
from barium.services.audit import AuditLog
from barium.services.cases import CaseFile, Cases, CaseTraceInfo, EventInfo
from barium.services.issuing import Issuing
from barium.services.tracing import LeakBytes
from barium.services.unit import Context
from barium.text import is_invisible
from barium.tracing import BOUND_FLOOR
from barium.tracing.marks import form_shown

__all__ = ["ReportInfo", "Reports"]

MARKS_SHOWN = 300  # marks laid out in the report; the stored trace keeps them all
EXCERPT = 700  # characters of each leak's text shown
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass(frozen=True, slots=True)
class ReportInfo:
    path: Path
    format: str
    sha256: str
    names: bool  # whether the report names anyone
    audit_seq: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "sha256": self.sha256,
            "names": self.names,
            "audit_seq": self.audit_seq,
        }


class Reports:
    def __init__(self, ctx: Context, cases: Cases, issuing: Issuing, audit: AuditLog) -> None:
        self.ctx = ctx
        self.cases = cases
        self.issuing = issuing
        self.audit = audit

    def write(self, case_id: int, out: Path) -> ReportInfo:
        """Write the case's evidence report to ``out`` (``.html`` or ``.pdf``) and record its hash."""
        fmt = FORMATS.get(out.suffix.lower())
        if fmt is None:
            raise InputError(f"{out.name}: a report is written as .html or .pdf")
        if not out.parent.is_dir():
            raise InputError(f"the folder {out.parent} does not exist")
        report = self.build(case_id)
        from barium.report.plot import score_plot

        plot = score_plot(report.scores, threshold=report.threshold)
        if fmt == "html":
            from barium.report.html import render_html

            data = render_html(report, plot_png=plot).encode("utf-8")
        else:
            from barium.report.pdf import render_pdf

            data = render_pdf(report, plot_png=plot)
        atomic_write(out, data)
        digest = hashlib.sha256(data).hexdigest()
        seq = self.cases.record_report(case_id, sha256=digest, fmt=fmt, file=str(out), names=report.names)
        return ReportInfo(out, fmt, digest, report.names, seq)

    def build(self, case_id: int) -> Report:
        f = self.cases.get(case_id)
        trace = f.latest_trace
        result: dict[str, Any] = trace.result if trace else {}
        verdict = trace.verdict if trace else "not traced"
        names = trace is not None and verdict == "identified" and not trace.withheld
        accused_rows = result.get("accused", []) if names else []
        eps = float(result.get("max_false_accusation", self.ctx.settings.max_false_accusation))
        scored = int(result.get("recipients_scored", 0))
        report = Report(
            title=f"Evidence report: case {f.case.id}, {f.case.title}",
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
            barium_version=__version__,
            key_fingerprint=self.ctx.ws.key_fingerprint,
            case=f.case.to_dict(),
            history=[_step(e) for e in f.events],
            leaks=self._leaks(f, result),
            names=names,
            verdict=verdict,
            summary=_summary(trace, accused_rows, scored, eps),
            bound_method=_method(result, eps, scored),
            accused=[_person(p) for p in accused_rows],
            threshold=eps,
            recipients_scored=scored,
            trace_inputs=trace.inputs if trace else {},
            notes=list(result.get("notes", [])) if names else [],
        )
        lead = accused_rows[0]["recipient"] if accused_rows else None
        marks = result.get("marks", [])
        report.marks = [_mark(n, m, lead) for n, m in enumerate(marks[:MARKS_SHOWN], 1)]
        report.marks_total = len(marks)
        accused_names = {p["recipient"] for p in accused_rows}
        report.scores = [
            Score(
                s["recipient"] if names and s["recipient"] in accused_names else "",
                -math.log10(max(float(s["false_accusation_bound"]), BOUND_FLOOR)),
                float(s["false_accusation_bound"]) <= eps,
            )
            for s in result.get("scores", [])
        ]
        self._distribution(report, f, result)
        ids = {s["recipient"]: s["recipient_id"] for s in result.get("scores", []) if s.get("recipient_id") is not None}
        if names:
            report.handling = self._handling({p["recipient"]: ids.get(p["recipient"]) for p in accused_rows})
        self._cite(report, f, trace)
        return report

    def _leaks(self, f: CaseFile, result: dict[str, Any]) -> list[LeakItem]:
        shown = {leak["sha256"]: leak for leak in result.get("leaks", [])}
        out = []
        for x in f.evidence:
            read = shown.get(x.sha256)
            out.append(
                LeakItem(
                    x.id,
                    x.filename,
                    x.origin,
                    x.media_type,
                    x.size,
                    x.sha256,
                    x.received_at.isoformat(timespec="seconds"),
                    x.attached_by,
                    x.intact,
                    self._excerpt(f.case.id, x.id, x.media_type, x.filename),
                    None if read is None else int(read["aligned_words"]),
                    None if read is None else int(read["positions_read"]),
                )
            )
        return out

    def _excerpt(self, case_id: int, evidence_id: int, kind: str, name: str) -> str:
        """The start of the item's text. Pictures and PDFs are not read again (OCR takes
        seconds a page): the marks below quote their text as read when traced."""
        if kind not in ("text/plain", HTML, DOCX, ALERT_RECORD):
            return f"({kind}: its text as read when traced is quoted with each mark below)"
        data = self.cases.evidence_bytes(case_id, evidence_id)
        if kind == ALERT_RECORD:
            return data.decode("utf-8", "replace")[:EXCERPT]
        try:
            if kind == HTML:
                from barium.watch.pages import visible_text

                text = visible_text(data)
            else:
                text = self.cases.tracing.read_leak(LeakBytes(name, data))
        except InputError as exc:
            return f"(could not be read: {exc.message})"
        text = " ".join(text.split())
        if len(text) <= EXCERPT:
            return text
        return text[:EXCERPT] + f" [... the first {EXCERPT} of {len(text):,} characters; the whole item is in custody]"

    def _distribution(self, report: Report, f: CaseFile, result: dict[str, Any]) -> None:
        doc = (result.get("document") or {}).get("id") or f.case.document_id
        if doc is None:
            report.distribution_summary = "The case names no document, so no distribution record applies."
            return
        records = self.issuing.issued(doc)
        if not records:
            report.distribution_summary = "No copies of the document were issued."
            return
        versions = sorted({r.version for r in records})
        first, last = min(r.issued_at for r in records), max(r.issued_at for r in records)
        which = f"version{'s' if len(versions) > 1 else ''} {', '.join(map(str, versions))}"
        when = (
            f"at {first:%Y-%m-%d %H:%M} UTC"
            if f"{first:%Y%m%d%H%M}" == f"{last:%Y%m%d%H%M}"
            else f"between {first:%Y-%m-%d %H:%M} and {last:%Y-%m-%d %H:%M} UTC"
        )
        report.distribution_summary = (
            f"{len(records):,} copies of document {doc} ({which}) were issued {when}, each marked for its recipient."
        )
        if report.names:
            report.distribution = [
                {
                    "recipient": r.recipient + (f" <{r.email}>" if r.email else ""),
                    "version": str(r.version),
                    "issued_at": r.issued_at.isoformat(timespec="seconds"),
                    "sha256": r.sha256,
                }
                for r in records
            ]
        else:
            report.distribution_summary += " The recipients are not listed: this report names no one."

    def _handling(self, accused: dict[str, int | None]) -> list[Handling]:
        """Everyone other than the recipient who issued, re-derived or exported each accused's copy."""
        return [
            Handling(name, f"{e.actor_kind}:{e.actor}", e.action, e.at.isoformat(timespec="seconds"), e.seq)
            for name, rid in accused.items()
            if rid is not None
            for e in self.audit.about_recipient(rid, action="copy.")
        ]

    def _cite(self, report: Report, f: CaseFile, trace: CaseTraceInfo | None) -> None:
        seqs = sorted(
            {e.audit_seq for e in f.events if e.audit_seq is not None} | {h.audit_seq for h in report.handling}
        )
        if not seqs:
            return
        point = self.audit.latest_checkpoint()
        if point is None or point.size <= seqs[-1]:
            point = self.audit.checkpoint()
        proofs = self.audit.prove_all(seqs, checkpoint=point)
        records = self.audit.records(seqs)
        report.citations = [
            Citation(
                p.seq,
                records[p.seq].at.isoformat(timespec="seconds"),
                f"{records[p.seq].actor_kind}:{records[p.seq].actor}",
                records[p.seq].action,
                records[p.seq].subject,
                p.leaf,
                p.entry,
                p.path,
                p.valid,
            )
            for p in proofs
        ]
        report.checkpoint = point.to_dict()
        report.checkpoint_note = point.note().decode()


def _step(e: EventInfo) -> Step:
    return Step(
        e.at.isoformat(timespec="seconds"),
        e.actor,
        event_line(e.kind, e.from_state, e.to_state, e.details),
        e.note,
        e.audit_seq,
    )


def _bound_text(bound: float) -> str:
    return f"below {BOUND_FLOOR:g}" if bound <= BOUND_FLOOR else f"{bound:.2g}"


def _person(p: dict[str, Any]) -> Person:
    bound = float(p["false_accusation_bound"])
    return Person(
        p["recipient"], p.get("email") or "", float(p["score"]), p["test"], _bound_text(bound), odds_in_words(bound)
    )


def _summary(trace: CaseTraceInfo | None, accused: list[dict[str, Any]], scored: int, eps: float) -> str:
    if trace is None:
        return "The case has not been traced: the evidence does not name anyone, and this report lists no names."
    if trace.verdict == "identified" and trace.withheld:
        n = len(trace.result.get("accused", []))
        return (
            f"The trace names {n} recipient(s), but under the two-person rule the names stay withheld until a "
            "second user approves (barium case approve); this report lists no names."
        )
    if trace.verdict == "identified":
        who = ", ".join(p["recipient"] for p in accused)
        bound = max(float(p["false_accusation_bound"]) for p in accused)
        return (
            f"The evidence names {who}. The chance that any of the {max(scored - 1, 0):,} other recipients "
            f"would match the leaked material this well by chance is below {odds_in_words(bound)} "
            f"(a false-accusation bound of {_bound_text(bound)}, against a threshold of {eps:g})."
        )
    if trace.verdict == "no_match":
        return "The leaked material matches no registered document: the evidence does not name anyone, and this report lists no names."
    return (
        f"The evidence does not name anyone. No recipient's copy matches the leaked material well enough for the "
        f"chance of a false accusation to be below {eps:g} ({odds_in_words(eps)}); this report therefore lists no "
        f"names. {scored:,} recipients were scored."
    )


def _method(result: dict[str, Any], eps: float, scored: int) -> str:
    positions = int(result.get("positions_read", 0))
    return (
        "Every recipient's copy carries its own codeword, derived from the organisation's secret key: a choice "
        "of form (a spelling, a punctuation mark, an invisible character, a wording or a detail) at each marked "
        f"place. From the leaked material Barium read {positions:,} code positions. At each, every recipient's "
        "copy either agrees with the leak or not, and a recipient's score adds up what each agreement and each "
        "disagreement weighs: an agreement on a form few copies show weighs more than one most copies share. "
        "A leak that keeps the master's own form at a place is evidence too: the copies that changed it there "
        "disagree. The score is computed by a few tests, each suited to one way of leaking: 'single' for one "
        "source's copy, 'interleave' and 'tardos' for copies of several people mixed together. For an innocent "
        "recipient the leak is independent of their codeword, so their score under a test is a sum of "
        "independent terms; Barium bounds the chance that such a sum reaches the score observed with an exact "
        f"Chernoff bound, multiplied by the {scored:,} recipients scored and divided among the tests (half of "
        "the threshold to the single-source test, the rest shared by the others): a union bound. The result, "
        "the false-accusation bound, is a rigorous upper limit on the chance that any innocent recipient would "
        f"match this well; a recipient is named only when it is at most {eps:g} ({odds_in_words(eps)}). "
        "It assumes that the leaker did not know the secret key. Whoever holds the key or handled a copy could "
        "have made that copy leak to frame its recipient: section 7 lists everyone other than the recipient "
        "who handled the accused's copy."
    )


def _mark(n: int, m: dict[str, Any], lead: str | None) -> MarkRow:
    leak_at = m.get("in_leak")
    copy = None if lead is None else m.get("copies", {}).get(lead)
    fits = m.get("leak_fits") or [m["leak_says"]]
    master = split_context(m["master"]["context"])
    return MarkRow(
        n=n,
        leak=int(m["leak"]) + 1,
        channel=m["channel"],
        rule=m.get("rule", ""),
        leak_at="not placed"
        if leak_at is None
        else f"leak {int(m['leak']) + 1}, line {leak_at['line']}, col {leak_at['column']}",
        master_at=f"master line {m['master']['line']}, col {m['master']['column']}",
        master_says=form_shown(m["master_says"]),
        leak_says=" or ".join(form_shown(f) for f in fits[:3]) if m.get("leak_fits") else form_shown(m["leak_says"]),
        copy_says=None if copy is None else form_shown(copy),
        agrees=None if copy is None else copy in fits,
        leak_context=_visible(split_context("" if leak_at is None else leak_at["context"])),
        master_context=_visible(master),
        copy_context=None if copy is None else _visible((master[0], copy, master[2])),
        by_content=m.get("read_by") == "content",
    )


def _visible(parts: tuple[str, str, str]) -> tuple[str, str, str]:
    """A context cut at whole words, whose mark, when invisible (a zero-width character, a
    space), is named in brackets instead."""
    before, mark, after = parts
    if " " in before.strip():
        before = before[before.index(" ") :]  # the first word was cut: drop it
    if " " in after.strip():
        after = after[: after.rindex(" ") + 1]  # and the last
    shown = mark if mark.strip() and not all(is_invisible(c) for c in mark.strip()) else f" [{form_shown(mark)}] "
    return before, shown, after
