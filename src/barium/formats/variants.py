"""Author variants ("barium meal"): alternatives the author writes into the master.

Syntax, inside ordinary prose of a text or Markdown master::

    The raid is {{planned for|scheduled for|set for}} 6 June.

``{{first|second|...}}`` offers two to eight alternatives on one line. The first
is what the master says; each recipient's copy shows one of them, chosen by the
fingerprint code, so the author approves every wording a copy can show. Content
canaries, ``{{order: Leeds, Hull and York}}`` and ``{{37~2}}``, expand into
variants too (:mod:`barium.formats.canaries`). An
alternative may be empty (``{{very |}}``) but no two may read the same after a
retype. Markup in code, URLs or other protected Markdown is left as it is, and
``\\{{`` is a literal ``{{``.

Variants survive everything but paraphrase (FIELD.md section 2): they are the one
layer dense enough to name a leaker from a short retyped quote.
"""

from __future__ import annotations

import bisect
import itertools
import re

from barium.errors import InputError
from barium.formats.base import ParsedDocument, Region, Variant
from barium.formats.canaries import expand
from barium.text.fold import retype_key

__all__ = ["MAX_FORMS", "MAX_FORM_CHARS", "Variant", "extract_variants", "format_variant"]

MAX_FORMS = 8
MAX_FORM_CHARS = 400
# No braces, pipes or line breaks (any that str.splitlines knows) inside an
# alternative keeps the syntax unambiguous.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ALT = rf"[^{{}}|{_BREAKS}]*"
_WORDISH = re.compile(r"[^\W_]")
_BRACES = re.compile(r"(?<!\\)\{\{")
MARKUP = re.compile(rf"(?<!\\)\{{\{{({_ALT}(?:\|{_ALT})*)\}}\}}")


def format_variant(forms: tuple[str, ...] | list[str]) -> str:
    """The markup for ``forms`` (the first being the master's wording)."""
    if not 2 <= len(forms) <= MAX_FORMS:
        raise InputError(f"a variant needs 2 to {MAX_FORMS} alternatives, got {len(forms)}")
    for form in forms:
        if any(ch in form for ch in "{}|" + _BREAKS):
            raise InputError(f"an alternative cannot contain braces, '|' or a line break: {form!r}")
    return "{{" + "|".join(forms) + "}}"


def extract_variants(doc: ParsedDocument) -> ParsedDocument:
    """Replace every variant in ``doc``'s editable regions by its first alternative.

    Returns the clean master with regions shifted to match and the variants
    recorded; a master without markup comes back unchanged.
    """
    found: list[tuple[re.Match[str], Region]] = []
    for region in doc.regions:
        matches = list(MARKUP.finditer(doc.text, region.start, region.end))
        _refuse_strays(doc.text, region, matches)
        found.extend((m, region) for m in matches)
    if not found:
        return doc

    pieces: list[str] = []
    variants: list[Variant] = []
    # (source offset, shift) breakpoints: past a markup, clean = source - shift.
    breaks: list[tuple[int, int]] = []
    pos = shift = 0
    for m, region in found:
        forms = tuple(m.group(1).split("|"))
        if len(forms) == 1:  # a content canary: {{order: A, B and C}} or {{37~2}}
            forms = expand(forms[0], _where(doc.text, m.start(), m.end()))
        elif len(forms) > MAX_FORMS:
            raise InputError(
                f"{_where(doc.text, m.start(), m.end())} has {len(forms)} alternatives; at most {MAX_FORMS}"
            )
        _check(forms, doc.text, m.start(), m.end())
        pieces.append(doc.text[pos : m.start()])
        start = m.start() - shift
        pieces.append(forms[0])
        if not forms[0] and variants and variants[-1].start == variants[-1].end == start:
            raise InputError(
                f"{_where(doc.text, m.start(), m.end())}: two insertions at one place; merge them into one"
            )
        variants.append(Variant(start, start + len(forms[0]), forms, region.paragraph))
        shift += len(m.group(0)) - len(forms[0])
        breaks.append((m.end(), shift))
        pos = m.end()
    pieces.append(doc.text[pos:])

    ends = [at for at, _ in breaks]

    def clean(offset: int) -> int:
        # Region edges never fall inside a markup, so the last markup ending at or
        # before the offset gives its shift.
        i = bisect.bisect_right(ends, offset)
        return offset - (breaks[i - 1][1] if i else 0)

    regions = tuple(Region(clean(r.start), clean(r.end), r.paragraph) for r in doc.regions)
    text = "".join(pieces)
    _refuse_ambiguous_runs(text, variants)
    return ParsedDocument(text=text, format=doc.format, regions=regions, variants=tuple(variants))


MAX_RUN_COMBINATIONS = 4096
# Characters of combined wording that checking side-by-side variants may build,
# over the whole master: each run costs its combinations times its length, which a
# hostile master could otherwise multiply without limit (docs/limits.md).
MAX_RUN_WORK = 20_000_000


def _refuse_ambiguous_runs(text: str, variants: list[Variant]) -> None:
    """Variants with no word between them are read as one: every combination of
    their alternatives must still read differently (``{{at the|at}} {{harbour|the
    harbour}}`` gives "at the harbour" twice), or the copies could not be told apart."""
    run: list[Variant] = []
    work = 0
    for v in [*variants, None]:
        if v is not None and run and not _WORDISH.search(text, run[-1].end, v.start):
            run.append(v)
            continue
        if len(run) > 1:
            work += _check_run(text, run, budget=MAX_RUN_WORK - work)
        run = [v] if v is not None else []


def _check_run(text: str, run: list[Variant], *, budget: int) -> int:
    """Refuse ambiguous combinations of ``run``; returns the work it took."""
    count = 1
    for v in run:
        count *= len(v.forms)
    if count > MAX_RUN_COMBINATIONS:
        raise InputError(
            f"{_where(text, run[0].start, run[-1].end)}: {len(run)} variants side by side make {count:,} combinations; put words between them"
        )
    work = count * (run[-1].end - run[0].start + sum(max(len(f) for f in v.forms) for v in run))
    if work > budget:
        raise InputError(
            f"{_where(text, run[0].start, run[-1].end)}: too many variants side by side with no word between them "
            f"(over {MAX_RUN_WORK:,} characters of combinations to check in this master); put words between them"
        )
    seen: set[str] = set()
    for combo in itertools.product(*(v.forms for v in run)):
        parts = []
        for k, (v, form) in enumerate(zip(run, combo, strict=True)):
            parts.append(form)
            if k + 1 < len(run):
                parts.append(text[v.end : run[k + 1].start])
        key = retype_key("".join(parts))
        if key in seen:
            raise InputError(
                f"{_where(text, run[0].start, run[-1].end)}: neighbouring variants combine into the same words ({key!r}) in two ways; "
                "put a word between them or merge them into one"
            )
        seen.add(key)
    return work


def _refuse_strays(text: str, region: Region, matches: list[re.Match[str]]) -> None:
    """A ``{{`` in prose that is not part of a complete variant is a typo
    (or an alternative holding a link, code or a URL, which cut it in two): every
    copy would show the raw markup, so the document is refused."""
    # Alternatives hold no braces, so a complete variant's only "{{" is its first.
    starts = {m.start() for m in matches}
    for stray in _BRACES.finditer(text, region.start, region.end):
        if stray.start() not in starts:
            raise InputError(
                f"{_where(text, stray.start(), region.end)}: an incomplete variant. Write {{{{first|second}}}} on one "
                "line; an alternative cannot hold braces, '|', code, links or URLs. A literal '{{' is written '\\{{'"
            )


def _where(source: str, at: int, end: int) -> str:
    # Counting lines is linear in the document: only done for a message.
    markup = source[at:end]
    shown = markup if len(markup) <= 60 else markup[:57] + "..."
    return f"line {source.count(chr(10), 0, at) + 1}: {shown!r}"


def _check(forms: tuple[str, ...], source: str, at: int, end: int) -> None:
    if any(len(f) > MAX_FORM_CHARS for f in forms):
        raise InputError(f"{_where(source, at, end)}: an alternative is longer than {MAX_FORM_CHARS} characters")
    # Two alternatives are distinct when a retyped copy still tells them apart.
    keys = [retype_key(f) for f in forms]
    if len(set(keys)) < len(keys):
        raise InputError(
            f"{_where(source, at, end)}: two alternatives read the same once retyped; make every one distinct"
        )
