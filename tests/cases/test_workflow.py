"""Every move of a case along the referral chain, allowed and refused."""

from __future__ import annotations

import pytest

from barium.cases import CLOSED, OPEN, Workflow
from barium.errors import ConfigError, Conflict, InputError
from barium.settings import load_settings

SEED = Workflow(
    ("professional-responsibility", "inspector-general"), ("substantiated", "unsubstantiated", "inconclusive")
)
PR, IG = "referred:professional-responsibility", "referred:inspector-general"


def test_the_default_chain_is_the_seed_cases() -> None:
    assert Workflow.from_settings(load_settings(None, environ={})) == SEED
    assert SEED.states == (OPEN, PR, IG, CLOSED)
    assert SEED.describe(IG) == "referred to inspector-general"


def test_a_case_moves_forward_one_step_at_a_time_and_closes_from_any_step() -> None:
    assert SEED.refer(OPEN, "professional-responsibility") == PR
    assert SEED.refer(PR, "inspector-general") == IG
    for state in (OPEN, PR, IG):
        assert SEED.close(state, "inconclusive") == CLOSED


@pytest.mark.parametrize(
    ("state", "to", "why"),
    [
        (OPEN, "inspector-general", "goes to professional-responsibility next"),
        (PR, "professional-responsibility", "already referred"),
        (IG, "professional-responsibility", "only move forward"),
        (IG, "inspector-general", "already referred"),
        (CLOSED, "inspector-general", "closed"),
        ("referred:old-step", "inspector-general", "no longer name"),
    ],
)
def test_refused_referrals_say_why(state: str, to: str, why: str) -> None:
    with pytest.raises(Conflict, match=why):
        SEED.refer(state, to)


def test_an_unknown_step_or_finding_is_a_usage_error_listing_the_known_ones() -> None:
    with pytest.raises(InputError, match="professional-responsibility, inspector-general"):
        SEED.refer(OPEN, "police")
    with pytest.raises(InputError, match="substantiated, unsubstantiated, inconclusive"):
        SEED.close(OPEN, "guilty")
    with pytest.raises(Conflict, match="already closed"):
        SEED.close(CLOSED, "substantiated")


def test_skipping_a_step_needs_the_setting() -> None:
    skipping = Workflow(SEED.referrals, SEED.findings, may_skip=True)
    assert skipping.refer(OPEN, "inspector-general") == IG
    with pytest.raises(Conflict):
        skipping.refer(IG, "professional-responsibility")


def test_an_organisation_names_its_own_chain_and_bad_names_are_refused() -> None:
    own = load_settings(
        None, environ={"BARIUM_CASE_REFERRALS": "legal, board", "BARIUM_CASE_FINDINGS": "upheld,dismissed"}
    )
    flow = Workflow.from_settings(own)
    assert flow.states == (OPEN, "referred:legal", "referred:board", CLOSED)
    assert flow.refer(OPEN, "legal") == "referred:legal"
    with pytest.raises(ConfigError, match="lower case"):
        load_settings(None, environ={"BARIUM_CASE_REFERRALS": "Legal Team"})
    with pytest.raises(ConfigError, match="twice"):
        load_settings(None, environ={"BARIUM_CASE_REFERRALS": "legal,legal"})
    with pytest.raises(ConfigError, match="no case could be closed"):
        load_settings(None, environ={"BARIUM_CASE_FINDINGS": ""})
    none = Workflow((), SEED.findings)
    assert none.states == (OPEN, CLOSED)
    with pytest.raises(InputError, match="none"):
        none.refer(OPEN, "legal")
