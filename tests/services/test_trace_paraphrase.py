"""Tracing a report written in the reporter's own words, by its content canaries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from barium.formats.canaries import split_list
from barium.services import Barium, IssuedCopy
from barium.services.prepare import prepare
from barium.store import DocumentVersion
from tests.conftest import add_people

PEOPLE = 30
MEMO = """# Operation Harbour Light

The regional enforcement unit will carry out coordinated raids on addresses linked to the smuggling
network. Raids will take place in {{order: Leeds, Hull, Bradford and York}} on the morning of 14 March.

About {{37~5}} officers will be deployed, supported by {{24~5}} unmarked vans painted
{{white|grey|navy|maroon|silver|black|green|yellow}}. Teams will gather for a briefing at
{{the Crown hotel|the Station hotel|the Mercure hotel|the Grand hotel|the Regent hotel|the Swan hotel|the Bull hotel|the Angel hotel}}
the evening before.

A total of {{1,200~100}} leaflets will be handed to residents after the raids. Search dogs from
{{order: Durham, Cleveland, Cumbria and Northumbria}} forces will join the teams.

The operation has the code word {{KESTREL|OSPREY|MERLIN|HARRIER|BUZZARD|FALCON|HOBBY|KITE}}. Intelligence
suggests around {{60~5}} people are involved, with warehouses in {{order: Goole, Selby, Thorne and Wakefield}}.
Seized goods will be held at {{the Ripon depot|the Malton depot|the Thirsk depot|the Howden depot|the Settle depot|the Brigg depot|the Pickering depot|the Otley depot}}.
"""
DECOY = (
    "Police in Kent have arrested eleven people in raids on a cigarette smuggling ring, the force said on "
    "Tuesday. Officers searched homes and a lock-up in Dover and seized thousands of packets of tobacco. "
    "Detectives said the ring had operated for two years and the investigation was continuing."
)


def report(shown: dict[str, str]) -> str:
    """A reporter's own account of a copy, naming what it shows (by the master's form)."""

    def items(master: str) -> str:
        shape = split_list(shown[master])
        assert shape is not None
        return ", then ".join(shape.items)

    return (
        "Police are preparing dawn raids against a smuggling gang, according to a confidential plan "
        f"seen by this newspaper. Teams will strike in {items('Leeds, Hull, Bradford and York')}. "
        f"Some {shown['37']} officers are to take part, travelling in {shown['24']} "
        f"{shown['white']} vans, and they will be briefed at {shown['the Crown hotel'].replace('the ', 'the ')}.\n\n"
        f"Residents will get {shown['1,200']} leaflets. Dog handlers will come from "
        f"{items('Durham, Cleveland, Cumbria and Northumbria')}. The raids are code-named "
        f"{shown['KESTREL'].title()}. Detectives believe {shown['60']} people are involved, with stock kept "
        f"in {items('Goole, Selby, Thorne and Wakefield')}; seized goods go to {shown['the Ripon depot']}.\n"
    )


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Barium, int, list[IssuedCopy]]]:
    b = Barium.init(tmp_path_factory.mktemp("paraphrase") / "ws")
    add_people(b, PEOPLE)
    doc = b.documents.add(MEMO, title="Harbour Light", fmt="markdown")
    copies = b.issuing.issue(doc.id, all_recipients=True).copies
    yield b, doc.id, copies
    b.close()


def shown_by(b: Barium, doc_id: int, copy: IssuedCopy) -> dict[str, str]:
    """What ``copy`` shows at each canary, by the master's form."""
    with b.ws.db.session() as s:
        version = s.query(DocumentVersion).filter_by(document_id=doc_id).one()
        pv = prepare(version, b.ws.key)
    forms = pv.plan.forms_for(pv.code.codeword(copy.recipient.uid))
    return {site.forms[0]: site.forms[forms[i]] for i, site in enumerate(pv.plan.sites) if site.channel == "variants"}


@pytest.mark.parametrize("who", [3, 17])
def test_a_paraphrased_report_names_its_source_with_the_document_given(
    issued: tuple[Barium, int, list[IssuedCopy]], who: int
) -> None:
    b, doc_id, copies = issued
    r = b.tracing.trace(report(shown_by(b, doc_id, copies[who])), doc=doc_id)
    assert [a.recipient for a in r.accused] == [copies[who].recipient.name]
    assert r.aligned_words == 0
    assert r.sites_read >= 10 and all(m.by_content for m in r.marks)
    assert any("read by content" in n for n in r.notes)
    # What a lawyer sees: the reporter's words the canary was read from.
    assert all(m.leak_context and m.leak_at is not None for m in r.marks)


def test_paraphrase_search_links_the_report_to_its_document(issued: tuple[Barium, int, list[IssuedCopy]]) -> None:
    b, doc_id, copies = issued
    r = b.tracing.trace(report(shown_by(b, doc_id, copies[9])))
    assert r.document is not None and r.document.id == doc_id
    assert [a.recipient for a in r.accused] == [copies[9].recipient.name]


def test_an_article_that_is_no_leak_accuses_no_one(issued: tuple[Barium, int, list[IssuedCopy]]) -> None:
    b, doc_id, _ = issued
    for doc in (None, doc_id):
        r = b.tracing.trace(DECOY, doc=doc)
        assert r.accused == []


def test_a_report_that_restates_little_is_inconclusive(issued: tuple[Barium, int, list[IssuedCopy]]) -> None:
    b, doc_id, copies = issued
    shown = shown_by(b, doc_id, copies[5])
    text = f"A smuggling gang faces raids; some {shown['37']} officers will take part, in {shown['white']} vans."
    r = b.tracing.trace(text, doc=doc_id)
    assert r.verdict == "inconclusive" and r.accused == []
    assert r.sites_read == 2


def test_a_scan_alerts_on_a_report_that_restates_the_document_and_not_on_the_same_topic(
    issued: tuple[Barium, int, list[IssuedCopy]], tmp_path: Path
) -> None:
    b, doc_id, copies = issued
    (tmp_path / "report.txt").write_text(report(shown_by(b, doc_id, copies[12])))
    (tmp_path / "decoy.txt").write_text(DECOY)
    found = b.watching.scan([tmp_path])
    # Restated; or, when the copy's details happen to be the master's own, some sentence of the
    # report is the master's almost word for word, and the passage is found as such.
    assert [m.document.id for m in found] == [doc_id] and found[0].kind in ("restated", "near_verbatim")
    (alert,) = found
    assert alert.source.endswith("report.txt")
    assert alert.trace["verdict"] == "identified"
    assert [a["recipient"] for a in alert.trace["accused"]] == [copies[12].recipient.name]
