"""Orthography on hostile masters: a context that reads to the end of a sentence
reads a bounded window, and sentence starts are found once per text."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from barium.channels.orthography import _forms
from barium.text.sentences import sentence_spans


def run_guarded(code: str) -> None:
    """Run ``code`` in a fresh interpreter. The timeout is a hang guard, not a
    benchmark: this took hours before, a few seconds now."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, timeout=60, env=env)


def test_a_one_megabyte_sentence_full_of_comma_sites_is_scanned_in_linear_time() -> None:
    # Every ", and the" asked where its sentence began, one character at a time,
    # and whether a comma followed before the sentence's end: quadratic in the sentence.
    run_guarded("""
        from barium.channels.orthography import OrthographyChannel
        from barium.formats import parse
        OrthographyChannel().find_sites(parse("cats, and the dogs " * 55_000 + "\\n", "text"))
    """)


def test_sentence_begin_is_where_the_shared_sentence_starts_and_commas_count_from_there() -> None:
    text = 'It rose. "Then?" he said.\n\nNew, para! x.y (a.) end\u2019s. \u201cQuite.\u201d Zed, too'
    spans = sentence_spans(text)
    for i in range(len(text) + 1):
        begin = max((a for a, _ in spans if a <= i), default=0)
        assert _forms.sentence_begin(text, i) == begin, i
        assert _forms.comma_between(text, begin, i) == ("," in text[begin:i])
    assert _forms.sentence_begin(text, text.index("he said")) == text.index('"Then')
    assert _forms.sentence_begin(text, text.index("end")) == text.index("New")
    assert _forms.sentence_begin(text, text.index("Quite")) == text.index("\u201cQuite")
    assert _forms.sentence_begin(text, text.index("too")) == text.index("Zed")
