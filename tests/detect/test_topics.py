"""Linking a report in the reporter's own words to the document it restates."""

from __future__ import annotations

from barium.detect.topics import link, specific_terms

MEMO = (
    "Operation Kestrel. The regional unit will raid addresses in Goole, Selby and Wakefield on 14 March. "
    "Teams from Durham and Cleveland will brief at the Crown Hotel in Leeds. Around 1,200 leaflets will be "
    "printed by Harwood Print, and the Humber Port Authority has been told in confidence."
)
REPORT = (
    "Police are planning raids in Goole, Selby and Wakefield next month, a plan seen by the Gazette shows. "
    "Officers from Durham and Cleveland will meet at the Crown Hotel beforehand, and 1,200 leaflets are being "
    "printed by Harwood Print. The Humber Port Authority has been briefed, according to the document."
)
SAME_TOPIC = (
    "Police in Kent raided homes in Dover on Tuesday in a crackdown on tobacco smuggling. The Home Office "
    "said Border Force officers seized 1,200 packets of cigarettes. A spokesman for Kent Police said the "
    "investigation was continuing and praised the work of officers in Leeds who tipped them off."
)


def test_specifics_are_names_inside_sentences_and_figures_that_are_not_years() -> None:
    terms = specific_terms("In 2024 the Harwood Print firm printed 1,200 leaflets for Goole. The end came in March.")
    assert terms == {"harwood", "print", "#1200", "goole"}


def test_a_report_of_the_document_links_and_an_article_on_the_subject_does_not() -> None:
    memo = specific_terms(MEMO)
    report = link(specific_terms(REPORT), memo)
    assert report.linked() and report.shared >= 8
    other = link(specific_terms(SAME_TOPIC), memo)
    assert other.shared == 2 and not other.linked()  # Leeds and the figure, among many names of its own
