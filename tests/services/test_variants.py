"""Author variants end to end: registered, issued, read back after a retype."""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barium.errors import InputError
from barium.services import Barium
from barium.simulate import retype
from tests.conftest import add_people
from tests.services.test_trace import WORDS, random_document

PLACES = ["harbour", "depot", "station", "airfield", "market", "bridge", "quay", "warehouse", "garage", "yard"]


def plan(paragraphs: int = 10) -> str:
    rng = random.Random(7)
    out = []
    for i in range(paragraphs):
        a, b, c = rng.sample(PLACES, 3)
        out.append(
            f"Team {i + 1} {{{{will meet|is due to meet|plans to meet|is set to meet}}}} at the {a} "
            f"{{{{at dawn|at first light}}}} and the {{{{officers|staff}}}} from the {b} will bring radios, "
            f"maps and keys for unit {i + 1}. Nobody at the {c} {{{{should|must}}}} discuss route {i + 1} "
            f"with anyone outside the unit before the operation begins."
        )
    return "\n\n".join(out) + "\n"


def test_the_master_is_stored_clean_and_the_sites_are_the_authors(barium: Barium) -> None:
    info = barium.documents.add(plan(), title="Plan")
    assert info.channels["variants"] == 40
    report = barium.documents.sites(info.id)
    variants = [r for r in report.sites if r.channel == "variants"]
    assert len(variants) == 40
    assert variants[0].forms[:2] == ("will meet", "is due to meet")
    assert "{{" not in barium.documents.master_text(info.id)


def test_copies_show_only_approved_wordings(barium: Barium) -> None:
    add_people(barium, 20)
    info = barium.documents.add(plan(), title="Plan")
    copies = barium.issuing.issue(info.id, all_recipients=True).copies
    pattern = re.compile(
        r"Team \d+ (will meet|is due to meet|plans to meet|is set to meet) at the \w+ (at dawn|at first light) "
        r"and the (officers|staff) from the \w+ will bring"
    )
    for copy in copies:
        visible = retype(copy.text)
        assert len(pattern.findall(visible)) == 10
    assert len({retype(c.text) for c in copies}) == 20


def test_a_retyped_copy_names_its_recipient_and_no_one_else(barium: Barium) -> None:
    add_people(barium, 40)
    info = barium.documents.add(plan(24), title="Plan", disabled_channels=frozenset({"invisible", "typography"}))
    copies = barium.issuing.issue(info.id, all_recipients=True).copies
    for copy in copies[:6]:
        result = barium.tracing.trace(retype(copy.text))
        assert result.channels["variants"] >= 30
        assert [a.recipient for a in result.accused] == [copy.recipient.name]


def test_the_master_itself_accuses_no_one(barium: Barium) -> None:
    add_people(barium, 40)
    info = barium.documents.add(plan(), title="Plan")
    result = barium.tracing.trace(retype(barium.documents.master_text(info.id)))
    assert result.accused == []


def test_changing_an_alternative_makes_a_new_version(barium: Barium, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(plan())
    info = barium.documents.add(path)
    assert barium.documents.update(info.id, path).version == 1
    path.write_text(plan().replace("{{officers|staff}}", "{{officers|personnel}}", 1))
    assert barium.documents.update(info.id, path).version == 2


def test_bad_markup_is_refused_and_nothing_is_stored(barium: Barium) -> None:
    with pytest.raises(InputError, match="line 4"):
        barium.documents.add("Fine.\n\nAlso fine.\nThe {{plan|plan}} works.\n", title="Bad")
    assert barium.documents.list() == []


@given(seed=st.integers(0, 10_000))
@settings(max_examples=10)
def test_a_retyped_copy_of_a_random_document_with_variants_names_its_recipient(seed: int) -> None:
    rng = random.Random(seed)
    words = random_document(rng, rng.randint(5, 8)).split(" ")
    pool = sorted({w for w in WORDS if w.isalpha() and w.islower()})
    for i in range(3, len(words), 7):
        if words[i].isalpha() and words[i].islower():
            others = rng.sample([w for w in pool if w != words[i]], rng.choice([1, 3, 7]))
            words[i] = "{{" + "|".join([words[i], *others]) + "}}"
    # A workspace per example: hypothesis replays an example, and tmp_path is shared by all of them.
    with tempfile.TemporaryDirectory() as home, Barium.init(Path(home) / "ws") as b:
        doc = b.documents.add(" ".join(words), title=f"Doc {seed}", disabled_channels=frozenset({"invisible"}))
        add_people(b, 40)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
        leaker = copies[rng.randrange(len(copies))]
        result = b.tracing.trace(retype(leaker.text))
        assert result.channels["variants"] > 0
        # Codes come from random uids, so one seed's evidence varies from run to run. A short
        # document (under 30 positions) can fall just short of the threshold: then the verdict is
        # inconclusive with the leaker leading, never anyone else named.
        assert [a.recipient for a in result.accused] in ([leaker.recipient.name], [])
        if result.candidates:
            assert result.candidates[0].recipient == leaker.recipient.name
        if result.positions_read >= 40:
            assert result.verdict == "identified"


GUARDED = (
    "The repair cost {{barely|no}} more than £5m and will take {{about|two or}} three years. "
    "She said 'safe', then {{'sure'|'certain'}}, and 'ready' towards the end.\n\n"
    "A second paragraph goes towards the sea, and 'yes' it is more than 5 people.\n"
)


def test_house_style_never_rewords_around_a_variant_or_mixes_a_paragraph(barium: Barium) -> None:
    add_people(barium, 48)
    info = barium.documents.add(GUARDED, title="Guarded")
    copies = [retype(c.text) for c in barium.issuing.issue(info.id, all_recipients=True).copies]
    for text in copies:
        assert "no over" not in text and "two or 3" not in text
        first = text.split(" A second paragraph")[0]
        assert not ("'" in first and '"' in first), first
        assert not ("towards" in first and "toward " in first), first
    # House style still marks the paragraph without variants.
    assert len({c.split(" A second paragraph")[1] for c in copies}) > 1


def test_variants_with_the_channel_switched_off_in_settings_are_refused(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "barium.toml").write_text('channels = ["orthography", "punctuation"]\n')
    with Barium.init(tmp_path / "ws") as b:
        with pytest.raises(InputError, match="'variants' channel"):
            b.documents.add(plan(), title="Plan")
        info = b.documents.add(plan(), title="Plan", disabled_channels=frozenset({"variants"}))
        assert "variants" not in info.channels
