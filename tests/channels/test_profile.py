"""A master's style decides which alternations its copies may show."""

from __future__ import annotations

from barium.channels.base import PROFILE_SWITCH, WHOLE_DOCUMENT
from barium.channels.orthography import OrthographyChannel, read_profile
from barium.channels.orthography._engine import candidates
from barium.channels.orthography.channel import rules_table
from barium.formats.load import parse_text

BRITISH_MEMO = """The programme will move towards a decision on 19 November. The committee does not
expect the centre to organise the review before then, and Dr Patel will chair it.

Afterwards the colour of the report will be agreed. Staff do not need to act, and the
defence team will recognise the findings by email. A further 40% of the budget is held back.
"""
AMERICAN_NOTE = """We don't think the center can organize the review. It's moving toward a decision
on November 19, and Dr. Patel won't chair it. The color of the report is gray. We do not agree, and
they don't either.

Afterward we'll agree the defense position. They're holding back 40 percent of the budget.
"""
channel = OrthographyChannel()


def forms_shown(text: str, *, disabled: frozenset[str] = frozenset()) -> set[str]:
    return {f for s in channel.find_sites(parse_text(text), disabled=disabled) for f in s.forms}


def test_the_profile_reads_variety_and_register_from_the_master() -> None:
    rules = rules_table()
    uk = read_profile(BRITISH_MEMO, candidates(BRITISH_MEMO, rules))
    us = read_profile(AMERICAN_NOTE, candidates(AMERICAN_NOTE, rules))
    assert (uk.variety, uk.informal) == ("uk", False)
    assert (us.variety, us.informal) == ("us", True)


def test_a_british_formal_memo_shows_no_american_form_and_no_contraction() -> None:
    shown = forms_shown(BRITISH_MEMO)
    assert not shown & {"toward", "afterward", "November 19", "Dr.", " percent", "don't", "doesn't", "organize"}
    # Dates, numbers and abbreviations keep the master's own style: "40%" stays "40%".
    assert not shown & {" per cent", "November 19"}
    # Without the profile, every form of every rule is fair game.
    assert {"toward", "don't"} <= forms_shown(BRITISH_MEMO, disabled=frozenset({PROFILE_SWITCH}))


def test_an_american_informal_note_may_contract_but_shows_no_british_form() -> None:
    shown = forms_shown(AMERICAN_NOTE)
    assert not shown & {"towards", "afterwards", "19 November", " per cent"}
    # It writes "don't" more than "do not": a copy may contract the stray "do not", never the reverse.
    sites = [s for s in channel.find_sites(parse_text(AMERICAN_NOTE)) if "don't" in s.forms]
    assert sites and all(s.forms[s.master_form] == "do not" for s in sites)


def test_rules_whose_mixing_shows_keep_one_form_in_the_whole_document() -> None:
    sites = channel.find_sites(parse_text(BRITISH_MEMO))
    by_rule = {s.rule: s.paragraph for s in sites}
    assert by_rule.get("e-mail") == WHOLE_DOCUMENT  # no copy writes "email" here and "e-mail" there
    # Optional commas stay per paragraph: one more or fewer is no visible style.
    assert all(s.paragraph != WHOLE_DOCUMENT for s in sites if s.rule.startswith("comma"))
