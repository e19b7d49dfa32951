"""Every mark a trace read, laid out for a lawyer: where it is in the leak and in the
master, what the master says there, what the leak says, and what each candidate's
copy says. Nothing here scores: the scores come from the code; this is their basis."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from barium.channels.base import Channel
from barium.codes import Holder
from barium.text import Lines, Token
from barium.text.invisible import is_invisible
from barium.tracing.evidence import PreparedVersion, VersionReading

CONTEXT = 30  # characters of text shown on each side of a mark
MAX_SHOWN = 3  # forms spelled out in ``leak_says`` when the leak fits several


@dataclass(frozen=True, slots=True)
class MarkRead:
    """One mark read from a leak.

    ``copies`` maps each person shown (the accused and the leading candidates, by
    name) to what their copy shows at this site, or None when they hold no copy of
    this version. Forms are shown as an author reads them (``barium sites``).
    """

    leak: int  # which leak of the trace (0 for a single leak)
    site: int
    channel: str
    rule: str
    positions: tuple[int, ...]  # code positions the site carries
    master_at: tuple[int, int]  # line, column in the master
    master_context: str  # the master around the site, on one line
    master_says: str
    leak_at: tuple[int, int] | None  # line, column in the leak's text (None: not placed)
    leak_context: str
    leak_says: str
    copies: dict[str, str | None]
    # Found by what the leak says (a content canary restated in a reporter's words),
    # not between words aligned to the master: ``leak_context`` shows the words found.
    by_content: bool = False
    # Every form the leak fits, when it fits several (a list named in part); a copy
    # agrees when it shows one of them.
    leak_fits: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "leak": self.leak,
            "site": self.site,
            "channel": self.channel,
            "rule": self.rule,
            "code_positions": list(self.positions),
            "master": {"line": self.master_at[0], "column": self.master_at[1], "context": self.master_context},
            "master_says": self.master_says,
            "in_leak": None
            if self.leak_at is None
            else {"line": self.leak_at[0], "column": self.leak_at[1], "context": self.leak_context},
            "leak_says": self.leak_says,
            "leak_fits": list(self.leak_fits),
            "read_by": "content" if self.by_content else "alignment",
            "copies": dict(self.copies),
        }


def marks_read(
    version: PreparedVersion,
    reading: VersionReading,
    leak: str,
    leak_tokens: Sequence[Token],
    channels: Mapping[str, Channel],
    people: Mapping[str, Holder | None],
    *,
    leak_number: int = 0,
) -> list[MarkRead]:
    """Every site ``reading`` read, in master order, with what ``people``'s copies show
    (name -> code identity; None for someone who holds no copy of this version)."""
    plan, master = version.plan, version.master
    forms = {name: None if uid is None else plan.forms_for(version.code.codeword(uid)) for name, uid in people.items()}
    master_lines, leak_lines = Lines(master), Lines(leak)
    m2l = reading.alignment.master_to_leak
    tokens = version.index.tokens
    out: list[MarkRead] = []
    for s in sorted({*reading.readings, *reading.partial}):
        site = plan.sites[s]
        read = reading.partial.get(s) or (reading.readings[s],)
        shown = channels[site.channel].shown_forms(site)
        found = reading.by_content.get(s)
        span = found or _leak_span(m2l, version.anchors.left[s], version.anchors.right[s], leak_tokens, len(tokens))
        out.append(
            MarkRead(
                leak=leak_number,
                site=s,
                channel=site.channel,
                rule=site.rule,
                positions=plan.positions_of(s),
                master_at=master_lines.at(site.start),
                master_context=_context(master, site.start, site.end),
                master_says=shown[site.master_form],
                leak_at=None if span is None else leak_lines.at(span[0]),
                leak_context="" if span is None else _context(leak, *span),
                leak_says=" or ".join(shown[f] for f in read[:MAX_SHOWN])
                + (f" (or {len(read) - MAX_SHOWN} more)" if len(read) > MAX_SHOWN else ""),
                leak_fits=tuple(shown[f] for f in read) if len(read) > 1 else (),
                copies={name: None if f is None else shown[f[s]] for name, f in forms.items()},
                by_content=found is not None,
            )
        )
    return out


def _leak_span(m2l: np.ndarray, left: int, right: int, leak_tokens: Sequence[Token], n: int) -> tuple[int, int] | None:
    """The leak's text between the aligned words nearest the site on either side."""
    lo, hi = left, right
    while lo >= 0 and m2l[lo] < 0:
        lo -= 1
    while 0 <= hi < n and m2l[hi] < 0:
        hi += 1
    if lo < 0 or hi < 0 or hi >= n or m2l[hi] <= m2l[lo]:
        return None
    return leak_tokens[int(m2l[lo])].end, leak_tokens[int(m2l[hi])].start


def _context(text: str, start: int, end: int) -> str:
    """The text around [start, end) on one line, the span itself in brackets."""
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return " ".join(f"{before}[{text[start:end]}]{after}".split())


def form_shown(form: str) -> str:
    """A form as a reader can check it: an omitted word says so, spacing is counted,
    and invisible characters and typographic punctuation carry their code points."""
    if not form:
        return "(nothing)"
    if not form.strip() or form.isspace():
        return " + ".join(f"{len(list(g))} x {_char(c)}" for c, g in itertools.groupby(form))
    special = [c for c in form.strip() if is_invisible(c) or (ord(c) > 127 and not c.isalnum())]
    text = "".join(c for c in form.strip() if not is_invisible(c))
    codes = " ".join(_char(c) for c in special)
    return (f"{text} ({codes})" if text else codes) if special else text


def _char(c: str) -> str:
    return "space" if c == " " else f"U+{ord(c):04X}"
