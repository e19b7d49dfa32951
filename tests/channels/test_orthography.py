"""The orthography channel: its rules, its sites, reading forms back, canonicalization."""

from __future__ import annotations

import itertools
import random
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import barium.channels.orthography as orthography
from barium.channels.base import PROFILE_SWITCH, Channel, LeakEvidence, Site
from barium.channels.orthography import RULES, OrthographyChannel, canonicalize, fold
from barium.channels.orthography._engine import candidates, select
from barium.channels.orthography._rules import Rule
from barium.formats import parse
from barium.simulate import retype
from barium.text import tokenize

FIXTURES = Path(__file__).parent / "fixtures"
PARAGRAPHS = [p for p in (FIXTURES / "news.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
NEWS = "\n\n".join(PARAGRAPHS)
# Mechanics tests see every rule's sites, whatever NEWS's own style allows.
UNSTYLED = frozenset({PROFILE_SWITCH})
channel = OrthographyChannel()


def sites_of(rule: Rule, text: str) -> list[Site]:
    """The sites one rule finds on its own (no other rule competing for the words)."""
    doc = parse(text, "text")
    return select(doc.text, doc.regions, candidates(doc.text, [rule]), "orthography")


def render(master: str, sites: list[Site], chosen: list[int]) -> str:
    out = master
    for site, form in sorted(zip(sites, chosen, strict=True), key=lambda p: -p[0].start):
        out = out[: site.start] + site.forms[form] + out[site.end :]
    return out


def copy_offset(sites: list[Site], chosen: list[int], pos: int, *, left: bool) -> int:
    """Where master offset ``pos`` (outside every site) lands in the copy; an insertion
    exactly at ``pos`` falls after a left window edge and before a right one."""
    shift = sum(
        len(s.forms[f]) - (s.end - s.start)
        for s, f in zip(sites, chosen, strict=True)
        if s.end < pos or (s.end == pos and not (left and s.start == pos))
    )
    return pos + shift


_SCALE = {"m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12}
_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_NUMBER = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?: ?(m|bn|tn|million|billion|trillion)\b)?|\b(" + "|".join(_WORDS) + r")\b",
    re.IGNORECASE,
)


def values(text: str) -> list[float]:
    """Every number in the text, with its scale, in order."""
    out = []
    for m in _NUMBER.finditer(text):
        if m.group(3):
            out.append(float(_WORDS.index(m.group(3).lower()) + 2))
        else:
            out.append(float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1))
    return out


# -- the rule table ----------------------------------------------------------------


def test_the_table_has_at_least_a_hundred_rules_in_every_category() -> None:
    assert len(RULES) >= 100
    categories = {r.category for r in RULES}
    assert {
        "commas",
        "spelling",
        "compounds",
        "ise",
        "numbers",
        "contractions",
        "grammar",
        "abbreviations",
    } <= categories
    assert len({r.id for r in RULES}) == len(RULES)


def test_every_group_has_one_arity() -> None:
    arity: dict[str, set[int]] = defaultdict(set)
    for r in RULES:
        arity[r.group].add(r.arity)
    assert all(len(a) == 1 for a in arity.values())


def test_the_channel_satisfies_the_protocol_and_exports_what_it_documents() -> None:
    assert isinstance(channel, Channel)
    assert channel.name == "orthography" and channel.consistent
    assert channel.rules() == [*(r.id for r in RULES), PROFILE_SWITCH]
    public = {n for n in dir(orthography) if not n.startswith("_") and n not in {"annotations"}}
    public -= {"channel", "profile"}  # submodules
    assert set(orthography.__all__) == public


@pytest.mark.parametrize(
    ("rule", "example"), [(r, e) for r in RULES for e in r.examples], ids=lambda x: getattr(x, "id", "")
)
def test_every_example_has_a_site_of_its_rule(rule: Rule, example: str) -> None:
    sites = sites_of(rule, example)
    assert sites, f"{rule.id}: no site in {example!r}"
    for s in sites:
        assert s.rule == rule.group and len(s.forms) == rule.arity
        assert s.forms[s.master_form] == example[s.start : s.end]


@pytest.mark.parametrize(
    ("rule", "example"), [(r, e) for r in RULES for e in r.counter], ids=lambda x: getattr(x, "id", "")
)
def test_no_counter_example_has_a_site_of_its_rule(rule: Rule, example: str) -> None:
    found = [(example[s.start : s.end], s.forms) for s in sites_of(rule, example)]
    assert not found, f"{rule.id}: unexpected site in {example!r}: {found}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_fold_keeps_every_form_of_every_rule_apart(rule: Rule) -> None:
    for example in rule.examples:
        for s in sites_of(rule, example):
            folded = {fold(example[: s.start] + f + example[s.end :]) for f in s.forms}
            assert len(folded) == len(s.forms), (rule.id, s.forms)


def test_fold_erases_what_a_retype_or_another_channel_changes() -> None:
    assert fold("\u201cSo\u201d \u2013 he\u00a0said\u200b  it") == fold('"So"-he said it') == "'so'-he said it"
    assert fold("Towards") != fold("toward") and fold("e-mail") != fold("email")


# -- sites in real paragraphs ----------------------------------------------------


def test_sites_are_sorted_disjoint_inside_one_region_and_separated_by_a_free_word() -> None:
    doc = parse(NEWS, "text")
    sites = channel.find_sites(doc, disabled=UNSTYLED)
    assert len(sites) >= 60
    spans = [(t.start, t.end) for t in tokenize(NEWS)]
    for a, b in itertools.pairwise(sites):
        assert a.end <= b.start
        assert any(a.end <= x and y <= b.start for x, y in spans), (a, b)
    for s in sites:
        assert any(r.start <= s.start and s.end <= r.end and r.paragraph == s.paragraph for r in doc.regions)
        assert s.forms[s.master_form] == NEWS[s.start : s.end]
        assert len(set(s.forms)) == len(s.forms)


def test_a_form_index_means_the_same_style_at_every_site_of_a_rule() -> None:
    styles: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for s in channel.find_sites(parse(NEWS, "text"), disabled=UNSTYLED):
        styles[s.rule].add(s.forms)
    assert ("towards", "toward") in {f for f in styles["ward-s"]}
    assert styles["percent"] == {("%", " per cent", " percent")}
    assert all(len({len(f) for f in forms}) == 1 for forms in styles.values())


def test_capitalised_words_mid_sentence_are_names_and_stay() -> None:
    text = "The World Trade Organisation and the Despite Trust met. Organisers said so."
    found = {text[s.start : s.end] for s in channel.find_sites(parse(text, "text"), disabled=UNSTYLED)}
    assert "Organisation" not in found and "Despite" not in found
    assert "Organisers" in found


@given(st.integers(0, 2**32 - 1))
def test_copies_read_back_keep_their_numbers_and_canonicalize_like_the_master(seed: int) -> None:
    rng = random.Random(seed)
    master = NEWS
    sites = channel.find_sites(parse(master, "text"))
    chosen = [rng.randrange(s.arity) for s in sites]
    copy = render(master, sites, chosen)
    retyped_ok = 0
    tokens = tokenize(master)
    for site, form in zip(sites, chosen, strict=True):
        lo = max((t for t in tokens if t.end <= site.start), key=lambda t: t.end, default=None)
        hi = min((t for t in tokens if t.start >= site.end), key=lambda t: t.start, default=None)
        if lo is None or hi is None:
            continue
        window = (lo.end, hi.start)
        leak = copy[
            copy_offset(sites, chosen, window[0], left=True) : copy_offset(sites, chosen, window[1], left=False)
        ]
        for shown in (leak, retype(leak)):
            assert channel.read(site, master, window, LeakEvidence(shown), (0, len(shown))) == form, (site, shown)
        retyped_ok += 1
    assert retyped_ok >= len(sites) - 1
    assert values(copy) == values(master)
    assert canonicalize(copy) == canonicalize(master)


@given(st.integers(0, 2**32 - 1), st.integers(0, len(PARAGRAPHS) - 1))
def test_canonicalize_agrees_on_any_copy_of_any_paragraph(seed: int, index: int) -> None:
    rng = random.Random(seed)
    master = PARAGRAPHS[index]
    sites = channel.find_sites(parse(master, "text"))
    copy = render(master, sites, [rng.randrange(s.arity) for s in sites])
    assert canonicalize(copy) == canonicalize(master)
    assert canonicalize(canonicalize(master)) == canonicalize(master)


def test_canonicalize_maps_every_form_to_one() -> None:
    assert canonicalize("She walked toward the e-mail kiosk.") == canonicalize("She walked towards the email kiosk.")
    assert canonicalize("It rose 5 per cent to $3 billion.") == canonicalize("It rose 5% to $3bn.")


# -- regions and switches --------------------------------------------------------


def test_markdown_code_urls_and_link_targets_are_never_sites() -> None:
    text = (FIXTURES / "briefing.md").read_text(encoding="utf-8")
    doc = parse(text, "markdown")
    sites = channel.find_sites(doc)
    assert sites
    for s in sites:
        assert any(r.start <= s.start and s.end <= r.end for r in doc.regions)
    touched = {text[s.start : s.end] for s in sites}
    assert "e-mail" in touched  # in prose
    code = text.index("`towards`")
    fence = text.index("```python")
    url = text.index("https://example.org/towards-email")
    target = text.index("(https://example.org/online-e-mail)")
    for s in sites:
        assert not code <= s.start < code + 9
        assert not fence <= s.start < text.index("```", fence + 3)
        assert not url <= s.start < url + 33
        assert not target <= s.start < target + 37


def test_disabled_rules_groups_and_categories_find_nothing() -> None:
    doc = parse(NEWS, "text")
    everything = channel.find_sites(doc, disabled=UNSTYLED)
    assert any(s.rule == "percent" for s in everything)
    assert not any(s.rule == "percent" for s in channel.find_sites(doc, disabled=UNSTYLED | {"percent"}))
    assert not any(s.rule.startswith("comma") for s in channel.find_sites(doc, disabled=frozenset({"commas"})))
    assert channel.find_sites(doc, disabled=frozenset(channel.rules())) == []


def test_the_rule_catalogue_in_docs_is_current() -> None:
    from pathlib import Path

    from barium.channels.orthography.catalogue import rules_markdown

    doc = Path(__file__).parents[2] / "docs" / "rules.md"
    assert doc.read_text() == rules_markdown(), (
        "regenerate: python -m barium.channels.orthography.catalogue > docs/rules.md"
    )


def test_a_publisher_sets_house_style_and_commas_but_not_grammar() -> None:
    # An article's quote keeps the copy's wording ("said he"), not its house style
    # ("£5m", "TV", one form in the whole copy) or its optional commas: the publication
    # sets those, so only the first is read from a quote there.
    text = "The contract is worth £5m a year. He appeared on TV. Meanwhile, the unions met. He said he would resign.\n"
    channel = OrthographyChannel()
    by_rule = {s.rule: channel.set_by_publisher(s) for s in channel.find_sites(parse(text, "text"))}
    assert by_rule == {"scale-abbrev": True, "television": True, "comma-intro-meanwhile": True, "that-say": False}
