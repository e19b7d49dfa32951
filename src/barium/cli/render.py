"""Rich rendering of results. No logic: every number comes from the result objects."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from barium.report.words import format_bound
from barium.tracing import WEAK_THRESHOLD, Accusation, TraceResult
from barium.tracing.marks import form_shown

TESTS = (
    "Tests: single = one leaker (likelihood ratio); interleave-c = c colluders mixing their copies "
    "(likelihood ratio); tardos = symmetric Tardos score, robust to any collusion."
)


def people_table(title: str, people: list[Accusation], leaks: int = 1) -> Table:
    """Recipients with their evidence; traced jointly, each leak's share of the score."""
    heads = ["recipient", "email", "score (test)", "false-accusation bound"]
    heads += [f"leak {n + 1}" for n in range(leaks)] if leaks > 1 else []
    table = Table(*heads, title=title, title_justify="left")
    for a in people:
        # Names and e-mails are user text: shown literally, never read as Rich markup.
        row: list[str | Text] = [
            Text(a.recipient),
            Text(a.email or ""),
            f"{a.score:.2f} ({a.test})",
            format_bound(a.false_accusation_bound),
        ]
        if leaks > 1:
            row += ["-" if x is None else f"{x:.2f}" for x in a.per_leak]
        table.add_row(*row)
    return table


def leaks_table(r: TraceResult) -> Table:
    """The leaks of a joint trace: what each is, and what it showed."""
    table = Table(
        "#", "file", "sha256", "document", "words aligned", "code positions", title="Leaks", title_justify="left"
    )
    for n, leak in enumerate(r.leaks, 1):
        document = f"{leak.document.id} {leak.document.title!r} v{leak.document.version}" if leak.document else "none"
        table.add_row(
            str(n),
            Text(leak.source),
            leak.sha256[:16],
            Text(document),
            str(leak.aligned_words),
            str(leak.positions_read),
        )
    return table


MARKS_SHOWN = 40  # marks listed unless every one is asked for


def marks_table(r: TraceResult, limit: int | None) -> Table:
    """Every mark read (or the first ``limit``): where, what the master, the leak and
    each listed person's copy say. A person's form that is the leak's is marked =."""
    people = list(r.marks[0].copies) if r.marks else []
    joint = len(r.leaks) > 1
    heads = ["#", "leak at", "master at", "channel: rule", "master", "leak", *people]
    table = Table(*heads, title="Marks read", title_justify="left")
    for n, m in enumerate(r.marks[:limit], 1):
        where = "-" if m.leak_at is None else f"{m.leak_at[0]}:{m.leak_at[1]}"
        row: list[str | Text] = [
            str(n),
            f"{m.leak + 1}@{where}" if joint else where,
            f"{m.master_at[0]}:{m.master_at[1]}",
            f"{m.channel}: {m.rule}" + (" (by content)" if m.by_content else ""),
            Text(form_shown(m.master_says)),
            # Read by content: what the reporter wrote, around the words it was read from.
            Text(f"{form_shown(m.leak_says)}\n{m.leak_context}" if m.by_content else form_shown(m.leak_says)),
        ]
        for name in people:
            form = m.copies[name]
            row.append(Text("no copy" if form is None else f"{'= ' if form == m.leak_says else ''}{form_shown(form)}"))
        table.add_row(*row)
    return table


def render_trace(console: Console, r: TraceResult, *, all_marks: bool = False) -> None:
    colour = {"identified": "bold red", "inconclusive": "bold yellow", "no_match": "bold green"}[r.verdict]
    verdict = Text.assemble("Verdict: ", (r.verdict, colour))
    if r.weak:
        verdict.append_text(
            Text.assemble(
                " (",
                ("weak", "bold"),
                f": threshold {r.max_false_accusation:g}, above {WEAK_THRESHOLD:g}, asked for with --weak)",
            )
        )
    console.print(verdict)
    if r.document is None:
        console.print(f"The text matches no registered document ({r.aligned_words} words aligned).")
        return
    joint = len(r.leaks) > 1
    if joint:
        console.print(leaks_table(r))
    else:
        console.print(Text(f"Document: {r.document.id} {r.document.title!r}, version {r.document.version}"))
    channels = ", ".join(f"{k} {v}" for k, v in r.channels.items() if v) or "none"
    console.print(
        f"Evidence{f' of all {len(r.leaks)} leaks' if joint else ''}: {r.aligned_words} words aligned, "
        f"{r.sites_read} mark sites read ({channels}), "
        f"{r.positions_read} code positions, {r.recipients_scored} recipients scored"
    )
    if r.accused:
        console.print(people_table("Identified", r.accused, len(r.leaks)))
        console.print(
            "Each bound is a rigorous upper limit on the probability that an innocent recipient "
            f"would score as high (threshold {r.max_false_accusation:g}). {TESTS}"
        )
    elif r.candidates:
        title = "Leading candidates (not accused: evidence short of the threshold)"
        console.print(people_table(title, r.candidates, len(r.leaks)))
        console.print(f"Listed: bounds at most {r.max_candidate_bound:g}. {TESTS}")
    if not r.accused and r.recipients_scored:
        limit = f"{max(r.max_candidate_bound, r.max_false_accusation):g}"
        if r.candidates:
            console.print(f"The {r.equally_consistent} other recipients scored each have a bound above {limit}.")
        else:
            console.print(
                f"No candidate: every bound is above {limit}, so the evidence is equally consistent with each of "
                f"the {r.equally_consistent} recipients scored and no one is named."
            )
    if joint and r.candidates:
        console.print(
            "Traced jointly: each recipient is scored on the leaks of the documents they hold a copy of "
            "('-': not scored on that leak), and the bound covers all of it. Accused means: a source of at "
            "least one of these leaks."
        )
    if r.marks and r.candidates:
        console.print(marks_table(r, None if all_marks else MARKS_SHOWN))
        more = len(r.marks) - MARKS_SHOWN
        if not all_marks and more > 0:
            console.print(f"{more} more marks read: --all-marks lists every one (--json carries them all).")
        console.print(
            "leak at / master at: line:column of the text between the aligned words around the mark, and of the "
            "mark in the master; '= ' marks a copy that shows what the leak shows."
        )
    for note in r.notes:
        console.print(Text(f"note: {note}", style="dim"))
