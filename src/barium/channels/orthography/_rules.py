"""The rule model: one meaning-preserving alternation, loaded from the packaged TOML.

A rule is a regular expression with a named group ``site`` whose text is one of the
rule's *forms*. Most rules list their forms as sets of words (``towards`` /
``toward``, ``e-mail`` / ``email``) and let the loader build the pattern; others
(commas, numbers) give the pattern themselves. Form ``i`` means the same style at
every site of a rule, which is what lets a paragraph keep one style.

The data lives in ``rules/*.toml`` so that an editor can review every alternation,
its contexts and its examples without reading Python.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from barium.errors import ConfigError

# Rule files in the order their rules run (and canonicalize): numbers first, because
# other rules look at numbers in their contexts and must see one stable shape.
RULE_FILES = (
    "numbers.toml",
    "abbreviations.toml",
    "commas.toml",
    "grammar.toml",
    "contractions.toml",
    "variants.toml",
    "spelling.toml",
    "compounds.toml",
    "ise.toml",
)
KINDS = ("text", "thousands", "number-words", "day-month")
# What a form says about a document's style (barium.channels.orthography.profile):
# a spelling variety, a register, "house" (a style of its own: dates, numbers,
# abbreviations, shown only where the master itself writes it), or nothing ("any").
STYLES = ("any", "uk", "us", "informal", "house")
# How far one style of a rule reaches in a copy: its paragraph, or the whole document
# (where mixing would be visible: "organise" beside "organize", "19 November" beside
# "November 8").
SCOPES = ("paragraph", "document")
CASES = ("lower", "exact")
# -ise / -ize inflections generated for every stem of an ``ise`` family.
ISE_ENDINGS = ("e", "ed", "es", "ing", "ation", "ations", "er", "ers")
APOSTROPHES = "'\u2019"


@dataclass(frozen=True, slots=True)
class Rule:
    """One alternation: where it applies, its forms, and which of them may be detected."""

    id: str
    category: str
    group: str
    kind: str
    regex: re.Pattern[str]
    canon_regex: re.Pattern[str]
    sets: tuple[tuple[str, ...], ...]
    arity: int
    detect: frozenset[int]
    canonical: int
    case: str
    sentence_start: bool
    mid_sentence: bool
    no_comma_before: bool
    before: re.Pattern[str] | None
    not_before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    generated: bool
    examples: tuple[str, ...]
    counter: tuple[str, ...]
    style: tuple[str, ...] = ()  # per form, one of STYLES
    scope: str = "paragraph"
    lookup: dict[str, tuple[int, int]] = field(default_factory=dict)


def key(form: str) -> str:
    """How a form is looked up: case and apostrophe glyph do not matter."""
    return form.replace("\u2019", "'").casefold()


def _word_pattern(sets: tuple[tuple[str, ...], ...], case: str) -> re.Pattern[str]:
    forms = sorted({f for s in sets for f in s if f}, key=len, reverse=True)
    alts = "|".join(re.escape(f).replace("'", f"[{APOSTROPHES}]") for f in forms)
    flags = 0 if case == "exact" else re.IGNORECASE
    # Word edges: a hyphen or a full stop glued to the match makes it part of a longer token.
    return re.compile(rf"(?<![\w\-.])(?P<site>{alts})(?![\w\-]|\.\w)", flags)


def _context(spec: Any, *, tail: bool) -> re.Pattern[str] | None:
    if spec is None:
        return None
    # ``before`` patterns must end where the match starts; ``after`` patterns start at its end.
    return re.compile(rf"(?:{spec})\Z" if tail else str(spec))


def _sets(raw: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    if "ise" in raw:
        stems = raw["ise"] if isinstance(raw["ise"], list) else [raw["ise"]]
        return tuple((f"{s}is{e}", f"{s}iz{e}") for s in stems for e in ISE_ENDINGS)
    if "forms" in raw:
        base: list[list[str]] = [list(raw["forms"])]
    else:
        base = [list(s) for s in raw.get("sets", [])]
    suffixes = raw.get("suffixes", [""])
    return tuple(tuple(f + suf for f in s) for suf in suffixes for s in base)


def build_rule(raw: dict[str, Any]) -> Rule:
    """Validate one ``[[rule]]`` table and compile it."""
    rid = str(raw.get("id", "?"))
    try:
        kind = raw.get("kind", "text")
        case = raw.get("case", "lower")
        if kind not in KINDS or case not in CASES:
            raise ValueError(f"unknown kind {kind!r} or case {case!r}")
        sets = _sets(raw) if kind == "text" else tuple(tuple(s) for s in raw.get("sets", [("", "")]))
        arity = len(sets[0]) if sets else 0
        if arity < 2 or any(len(s) != arity for s in sets):
            raise ValueError("every form set needs the same number (>= 2) of forms")
        if "pattern" in raw:
            regex = re.compile(raw["pattern"], re.IGNORECASE if raw.get("ignore_case") else 0)
        else:
            regex = _word_pattern(sets, case)
        canon_regex = re.compile(raw["canon_pattern"]) if "canon_pattern" in raw else regex
        if "site" not in regex.groupindex or "site" not in canon_regex.groupindex:
            raise ValueError("pattern needs a (?P<site>...) group")
        detect = frozenset(raw.get("detect", range(arity)))
        canonical = int(raw.get("canonical", 0))
        if not detect <= set(range(arity)) or not 0 <= canonical < arity:
            raise ValueError("detect/canonical out of range")
        lookup: dict[str, tuple[int, int]] = {}
        for i, s in enumerate(sets):
            for j, f in enumerate(s):
                lookup.setdefault(key(f), (i, j))
        if kind == "text" and len({key(f) for s in sets for f in s}) != sum(len(s) for s in sets):
            raise ValueError("a form appears twice (forms must differ beyond case)")
        style = tuple(str(x) for x in raw.get("style", ["any"] * arity))
        scope = str(raw.get("scope", "paragraph"))
        if len(style) != arity or not set(style) <= set(STYLES) or scope not in SCOPES:
            raise ValueError(f"style needs one of {STYLES} per form, scope one of {SCOPES}")
        examples = tuple(raw.get("examples", ()))
        if not examples:
            raise ValueError("every rule needs at least one example")
        return Rule(
            id=rid,
            category=str(raw["category"]),
            group=str(raw.get("group", rid)),
            kind=kind,
            regex=regex,
            canon_regex=canon_regex,
            sets=sets,
            arity=arity,
            detect=detect,
            canonical=canonical,
            case=case,
            sentence_start=bool(raw.get("sentence_start", False)),
            mid_sentence=bool(raw.get("mid_sentence", False)),
            no_comma_before=bool(raw.get("no_comma_before", False)),
            before=_context(raw.get("before"), tail=True),
            not_before=_context(raw.get("not_before"), tail=True),
            after=_context(raw.get("after"), tail=False),
            not_after=_context(raw.get("not_after"), tail=False),
            generated="pattern" not in raw and kind == "text",
            examples=examples,
            counter=tuple(raw.get("counter", ())),
            style=style,
            scope=scope,
            lookup=lookup,
        )
    except (KeyError, ValueError, TypeError, re.error) as exc:
        raise ConfigError(f"orthography rule {rid!r}: {exc}") from exc


def load_rules() -> tuple[Rule, ...]:
    """Every packaged rule, in file order; ids and groups checked for consistency."""
    base = resources.files("barium.channels.orthography") / "rules"
    rules: list[Rule] = []
    for name in RULE_FILES:
        data = tomllib.loads((base / name).read_text(encoding="utf-8"))
        # A file's [defaults] (a style, a scope) apply to each of its rules unless it says otherwise.
        defaults = data.get("defaults", {})
        rules.extend(build_rule({**defaults, **raw}) for raw in data.get("rule", []))
    seen: set[str] = set()
    arity: dict[str, int] = {}
    scope: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            raise ConfigError(f"orthography rule {r.id!r} defined twice")
        seen.add(r.id)
        if arity.setdefault(r.group, r.arity) != r.arity:
            raise ConfigError(f"orthography group {r.group!r} mixes rules of different arity")
        if scope.setdefault(r.group, r.scope) != r.scope:
            raise ConfigError(f"orthography group {r.group!r} mixes rules of different scope")
    return tuple(rules)
