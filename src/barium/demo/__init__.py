"""`barium demo`: the whole story on built-in sample documents.

Three fictional documents (an enforcement operation plan, an embargoed
statistics release and a board memo written in Word) go to 32 fictional
officials, the memo also as PDF. Five leaks then turn up: a newspaper story that
retypes part of one official's copy of the plan, a blog post that pastes the
release's summary and figures (250 words) from another official's copy, a press
piece that quotes the unmarked master, the Word file of one official's copy of
the memo, posted as it was, and a phone photo of the first page of another's PDF
copy of the memo. Barium traces each.

The story is data (:class:`DemoReport`); the CLI renders it. Nothing here
prints, so the demo never depends on the command line that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from barium.limits import Limits
from barium.services import Barium
from barium.services.info import IssueReport
from barium.simulate import embed, excerpt_words, html_paste, retype
from barium.tracing import TraceResult

__all__ = ["DemoLeak", "DemoReport", "run_demo"]

NEWS_BEFORE = (
    "EXCLUSIVE: Raids on drug smuggling ring planned for next week\n\n"
    "By our home affairs correspondent\n\n"
    "Officials are preparing a series of surprise inspections at freight depots across the "
    "country, according to a confidential plan seen by this newspaper. The document, which "
    "was circulated to a small group of officials, says:"
)
NEWS_AFTER = (
    "The Directorate declined to comment. A spokesperson said it did not discuss "
    "operational matters. Opposition politicians called for an inquiry into how the "
    "plan came to be in circulation."
)
LEAK_WORDS = 850  # with the plan's author variants and house style in its own style: most of the plan
# The release's summary and its payroll, vacancies and earnings sections, pasted as plain text.
# With invisible marks only after clauses and sentences (invisible_gaps = "clauses", the default),
# a paste needs about 140 words to name its source on their own; 250 leave a wide margin.
BLOG_START, BLOG_WORDS = 30, 250
BLOG_BEFORE = "Jobs figures leak? Here is what we have been sent ahead of Wednesday's release:"
BLOG_AFTER = "If this is right, the Bank will have to rethink its next move. More when we have it."
MASTER_BEFORE = "In a statement published after the inspections, the Directorate said:"
PHOTOGRAPHED = "Kemi Adeyemi"  # whose PDF copy's first page is photographed


def _sample(name: str) -> Path:
    return Path(str(resources.files("barium.demo").joinpath("samples", name)))


@dataclass(frozen=True, slots=True)
class DemoLeak:
    """One text that turned up, who really leaked it, and what the trace said."""

    label: str
    true_source: str | None
    result: TraceResult

    @property
    def accused(self) -> list[str]:
        return [a.recipient for a in self.result.accused]

    @property
    def innocent_accused(self) -> bool:
        return any(name != self.true_source for name in self.accused)

    def to_dict(self) -> dict[str, Any]:
        return {
            "leak": self.label,
            "true_source": self.true_source,
            "verdict": self.result.verdict,
            "accused": self.accused,
            "bound": self.result.accused[0].false_accusation_bound if self.result.accused else None,
            "innocent_accused": self.innocent_accused,
        }


@dataclass(frozen=True, slots=True)
class DemoReport:
    workspace: Path
    plan_sites: int
    stats_sites: int
    plan_variants: int
    recipients: int
    copies: int
    copies_folder: Path
    words_changed_share: float
    leaks: list[DemoLeak]
    memo_sites: int = 0
    memo_variants: int = 0
    # What named the memo's author and organisation in the Word file, and is in no copy.
    memo_scrubbed: tuple[str, ...] = ()
    case: DemoCase | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": str(self.workspace),
            "leaks": [leak.to_dict() for leak in self.leaks],
            "case": None if self.case is None else self.case.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class DemoCase:
    """The case the newspaper story became: its steps, its finding and its evidence report."""

    id: int
    title: str
    steps: list[str]
    status: str
    accused: list[str]
    report: Path
    report_sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "steps": self.steps,
            "status": self.status,
            "accused": self.accused,
            "report": str(self.report),
            "report_sha256": self.report_sha256,
        }


def run_demo(home: Path, *, reports: Path | None = None) -> DemoReport:
    """Run the whole story in a new workspace at ``home`` (which must not hold one); the
    case's evidence report is written into ``reports`` (default: ``home``)."""
    with Barium.init(home) as b:
        plan = b.documents.add(_sample("operation-harbour-light.md"), title="Operation Harbour Light")
        stats = b.documents.add(_sample("statistics-release.txt"), title="Labour market statistics, November")
        people = b.recipients.import_csv(_sample("recipients.csv"))
        out = home / "copies"
        r1 = b.issuing.issue(plan.id, all_recipients=True, out=out / "plan")
        r2 = b.issuing.issue(stats.id, all_recipients=True, out=out / "stats")
        memo = b.documents.add(_sample("board-memo.docx"), title="Board memorandum: Hollow Ridge")
        r3 = b.issuing.issue(memo.id, all_recipients=True, out=out / "memo")
        posted = next(c for c in r3.copies if c.recipient.name == "Grace Liddell")
        assert posted.file is not None
        by_name = {c.recipient.name: c for c in r1.copies}
        stat_copies = {c.recipient.name: c for c in r2.copies}
        texts = [
            (
                f"Newspaper story retyping {LEAK_WORDS} words of the plan",
                "Elena Rossi",
                embed(
                    retype(excerpt_words(by_name["Elena Rossi"].text, 40, LEAK_WORDS)),
                    before=NEWS_BEFORE,
                    after=NEWS_AFTER,
                ),
            ),
            (
                f"Blog post pasting {BLOG_WORDS} words of the release through a web page",
                "Connor Walsh",
                embed(
                    html_paste(excerpt_words(stat_copies["Connor Walsh"].text, BLOG_START, BLOG_WORDS)),
                    before=BLOG_BEFORE,
                    after=BLOG_AFTER,
                ),
            ),
            (
                "Press piece quoting the unmarked master",
                None,
                embed(excerpt_words(b.documents.master_text(plan.id), 150, 200), before=MASTER_BEFORE, after=""),
            ),
        ]
        leaks = [DemoLeak(label, truth, b.tracing.trace(text)) for label, truth, text in texts]
        leaks.append(
            DemoLeak(
                "The Word file of the board memo, posted by a news site",
                "Grace Liddell",
                b.tracing.trace(out / "memo" / posted.file),
            )
        )
        r4 = b.issuing.issue(memo.id, all_recipients=True, out=out / "memo-pdf", output="pdf")
        photo = out / "photo-of-page-1.jpg"
        photo.write_bytes(_photograph(out / "memo-pdf", r4, PHOTOGRAPHED, limits=b.ctx.limits))
        leaks.append(
            DemoLeak(
                "A phone photo of page 1 of the memo's PDF copy, posted online", PHOTOGRAPHED, b.tracing.trace(photo)
            )
        )
        case = _investigate(b, plan.id, texts[0][2], reports or home)
        return DemoReport(
            workspace=home,
            plan_sites=plan.sites,
            stats_sites=stats.sites,
            plan_variants=plan.channels.get("variants", 0),
            recipients=len(people),
            copies=len(r1.copies) + len(r2.copies) + len(r3.copies) + len(r4.copies),
            copies_folder=out,
            words_changed_share=r1.words_changed_share,
            leaks=leaks,
            memo_sites=memo.sites,
            memo_variants=memo.channels.get("variants", 0),
            memo_scrubbed=_scrubbed(_sample("board-memo.docx").read_bytes(), posted.data),
            case=case,
        )


def _investigate(b: Barium, plan: int, story: str, reports: Path) -> DemoCase:
    """The seed case's procedure on the newspaper story: a case opened, the story attached,
    traced, referred to professional responsibility, which refers it to the inspector
    general, closed with a finding, and the evidence report written."""
    title = "Leak of the Operation Harbour Light plan to the national press"
    case = b.cases.open(title, doc=plan)
    b.cases.attach(case.id, text=story)
    _, result = b.cases.trace(case.id)
    b.cases.refer(
        case.id,
        to="professional-responsibility",
        note="Details of the plan appeared in a national newspaper; referred in accordance with normal procedures.",
    )
    b.cases.refer(case.id, to="inspector-general", note="Referred on by professional responsibility.")
    finding = "substantiated" if result.accused else "inconclusive"
    closed = b.cases.close(
        case.id, finding=finding, note="The marks in the published story match one recipient's copy."
    )
    reports.mkdir(parents=True, exist_ok=True)
    written = b.reports.write(case.id, reports / f"case-{case.id}-evidence-report.pdf")
    steps = [e.kind for e in b.cases.get(case.id).events]
    return DemoCase(
        case.id, title, steps, closed.status, [a.recipient for a in result.accused], written.path, written.sha256
    )


# Identifying metadata the sample memo carries, as Word writes it.
_IDENTIFYING = ("Margaret Okafor", "Hollow Ridge Water plc", "fileserver")


def _scrubbed(master: bytes, copy: bytes) -> tuple[str, ...]:
    """Which of the sample's identifying strings the master file holds and the copy does not."""
    import zipfile
    from io import BytesIO

    def parts(data: bytes) -> bytes:
        with zipfile.ZipFile(BytesIO(data)) as z:
            return b"".join(z.read(n) for n in z.namelist())

    before, after = parts(master), parts(copy)
    return tuple(s for s in _IDENTIFYING if s.encode() in before and s.encode() not in after)


def _photograph(folder: Path, report: IssueReport, name: str, *, limits: Limits) -> bytes:
    """A phone photo (:func:`barium.simulate.pages.photograph`) of page 1 of ``name``'s PDF
    copy, rendered at 200 dpi by poppler."""
    import random

    from barium.formats.pdf import pdf_info
    from barium.formats.pdf.raster import render_page
    from barium.simulate.pages import photograph

    copy = next(c for c in report.copies if c.recipient.name == name)
    assert copy.file is not None
    path = folder / copy.file
    size = pdf_info(path, limits=limits, name=copy.file).sizes[0]
    return photograph(render_page(path, 1, size, limits=limits, name=copy.file, dpi=200), random.Random(1))
