"""Reading sites back from a leak: every reading is the form the copy showed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from barium.channels import channel_map
from barium.services import Barium
from barium.services.documents import find_document, find_version
from barium.services.prepare import prepare
from barium.simulate import retype
from barium.text import strip_invisible, tokenize
from barium.tracing import align_and_read
from barium.tracing.read import _passages
from tests.conftest import add_people
from tests.formats.pages import bbc

PLACES = [
    "harbour",
    "depot",
    "station",
    "airfield",
    "market",
    "bridge",
    "quay",
    "warehouse",
    "garage",
    "yard",
    "pier",
    "dock",
]
TIMES = [
    "dawn",
    "noon",
    "dusk",
    "midnight",
    "morning",
    "evening",
    "first-light",
    "sunrise",
    "sunset",
    "lunchtime",
    "teatime",
    "nightfall",
]
# Variants side by side (no aligned word between them), next to house-style sites; every
# paragraph worded differently so that alignment is not the thing under test.
DENSE = "\n\n".join(
    f"Unit {i} will {{{{quickly|swiftly}}}} {{{{move|go|head|travel}}}} to the {PLACES[i]} towards {TIMES[i]}, "
    f"and the {{{{officers|staff}}}} {{{{from|of}}}} the {PLACES[i - 1]} will not wait for {TIMES[i - 1]}, "
    f"although it's {{{{early|soon}}}}; they'll cover 5 per cent of the {PLACES[i - 2]} route on "
    f"{{{{Monday|Tuesday}}}} before the {TIMES[i - 2]} shift."
    for i in range(12)
)


def test_neighbouring_sites_are_read_and_read_right(barium: Barium) -> None:
    add_people(barium, 24)
    info = barium.documents.add(DENSE, title="Dense", disabled_channels=frozenset({"invisible", "typography"}))
    copies = barium.issuing.issue(info.id, all_recipients=True).copies
    with barium.ws.db.session() as session:
        version = prepare(find_version(find_document(session, info.id), None), barium.ws.key)
    variant_sites = [i for i, s in enumerate(version.plan.sites) if s.channel == "variants"]
    for copy in copies:
        truth = version.plan.forms_for(version.code.codeword(copy.recipient.uid))
        leak = retype(copy.text)
        reading = align_and_read(version, leak, tokenize(leak), channel_map(), min_passage=8)
        assert all(truth[s] == form for s, form in reading.readings.items())
        # Adjacent variants leave no aligned word between them: read together, nearly all of
        # them (a run of several marked words can misalign; that costs readings, not truth).
        assert len([s for s in variant_sites if s in reading.readings]) >= 0.8 * len(variant_sites)


STATEMENT = "Ministers welcomed news of the operation, but warned that the figures would be revised again."
REPORTER = "Business groups welcomed news of the operation but warned of more job losses this winter."


def test_the_reporters_own_words_around_a_quote_are_not_read_as_marks(barium: Barium, memo: Path) -> None:
    add_people(barium, 24)
    info = barium.documents.add(memo.read_text() + f"\nStatement\n\n{STATEMENT}\n", title="Release")
    copies = barium.issuing.issue(info.id, all_recipients=True).copies
    with barium.ws.db.session() as session:
        version = prepare(find_version(find_document(session, info.id), None), barium.ws.key)
    (but,) = [i for i, s in enumerate(version.plan.sites) if s.rule == "comma-but"]
    copy = copies[5]
    paragraphs = copy.text.split("\n\n")
    vacancies = next(p for p in paragraphs if strip_invisible(p).startswith("The largest increase"))
    statement = next(p for p in paragraphs if strip_invisible(p).startswith("Ministers"))
    # A quote of another paragraph, inside the reporter's sentence that shares seven words
    # with the master's: the comma the reporter left out is not the copy's mark.
    around = retype(f"{REPORTER} The figures show:\n\n{vacancies}")
    reading = align_and_read(version, around, tokenize(around), channel_map(), min_passage=8)
    assert reading.readings and but not in reading.readings
    # Quoted, the same sentence is read, and read right.
    quoted = retype(f"The figures show:\n\n{vacancies}\n\n{statement}")
    reading = align_and_read(version, quoted, tokenize(quoted), channel_map(), min_passage=8)
    truth = version.plan.forms_for(version.code.codeword(copy.recipient.uid))
    assert reading.readings[but] == truth[but]


def test_a_stray_phrase_aligned_elsewhere_neither_cuts_nor_joins_the_passage_around_it() -> None:
    # Master words 0..19 quoted in order, but words 8-9 (a site's own words, say) aligned
    # to a repeat of them a few words on in the leak, and words 30-34 to a chance phrase.
    m2l = np.full(40, -1, dtype=np.int64)
    m2l[0:8] = np.arange(100, 108)
    m2l[8:10] = [112, 113]
    m2l[10:13] = [109, 110, 111]
    m2l[13:20] = np.arange(114, 121)
    m2l[30:35] = np.arange(10, 15)
    passage = _passages(m2l, gap=6, min_words=8)
    assert len({int(passage[j]) for j in (*range(0, 8), *range(10, 20))}) == 1 and passage[0] >= 0
    assert (passage[30:35] == -1).all()


def test_an_article_quoting_phrases_is_read_for_what_a_quote_keeps(barium: Barium, memo: Path) -> None:
    # The publication sets its own spacing, quotation marks and number style: in an
    # article that quotes the copy in a phrase, those marks are not read as the copy's.
    # The same passage leaked alone is read in full.
    add_people(barium, 24)
    info = barium.documents.add(memo.read_text(), title="Release")
    copy = barium.issuing.issue(info.id, all_recipients=True).copies[3]
    with barium.ws.db.session() as session:
        version = prepare(find_version(find_document(session, info.id), None), barium.ws.key)
    channels = channel_map()
    vacancies = next(p for p in copy.text.split("\n\n") if strip_invisible(p).startswith("The estimated number"))
    phrase = " ".join(vacancies.split(" ")[:30])  # two sentences, and the spacing between them

    def publisher_set(text: str) -> list[int]:
        reading = align_and_read(version, text, tokenize(text), channels, min_passage=8)
        assert reading.alignment.aligned_words >= 25  # the phrase is found either way
        sites = version.plan.sites
        return [s for s in reading.readings if channels[sites[s].channel].set_by_publisher(sites[s])]

    assert publisher_set(phrase)
    article = f"{bbc('business', 1)}\nThe document says: {phrase}\n\n{bbc('business', 2)}"
    assert publisher_set(article) == []
