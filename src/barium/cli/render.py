"""Rich rendering of results. No logic: every number comes from the result objects."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from barium.tracing import BOUND_FLOOR, WEAK_THRESHOLD, Accusation, TraceResult

TESTS = (
    "Tests: single = one leaker (likelihood ratio); interleave-c = c colluders mixing their copies "
    "(likelihood ratio); tardos = symmetric Tardos score, robust to any collusion."
)


def format_bound(x: float) -> str:
    """A false-accusation bound for people: never ``0``, which would read as certainty."""
    if x < BOUND_FLOOR:
        return f"< {BOUND_FLOOR:g}"
    return f"{x:.1e}" if x < 0.01 else f"{x:.3f}"


def people_table(title: str, people: list[Accusation]) -> Table:
    table = Table(
        "recipient",
        "email",
        "score (test)",
        "false-accusation bound",
        title=title,
        title_justify="left",
    )
    for a in people:
        # Names and e-mails are user text: shown literally, never read as Rich markup.
        table.add_row(
            Text(a.recipient), Text(a.email or ""), f"{a.score:.2f} ({a.test})", format_bound(a.false_accusation_bound)
        )
    return table


def render_trace(console: Console, r: TraceResult) -> None:
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
    console.print(Text(f"Document: {r.document.id} {r.document.title!r}, version {r.document.version}"))
    channels = ", ".join(f"{k} {v}" for k, v in r.channels.items() if v) or "none"
    console.print(
        f"Evidence: {r.aligned_words} words aligned, {r.sites_read} mark sites read ({channels}), "
        f"{r.positions_read} code positions, {r.recipients_scored} recipients scored"
    )
    if r.accused:
        console.print(people_table("Identified", r.accused))
        console.print(
            "Each bound is a rigorous upper limit on the probability that an innocent recipient "
            f"would score as high (threshold {r.max_false_accusation:g}). {TESTS}"
        )
    elif r.candidates:
        console.print(people_table("Leading candidates (not accused: evidence short of the threshold)", r.candidates))
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
    for note in r.notes:
        console.print(Text(f"note: {note}", style="dim"))
