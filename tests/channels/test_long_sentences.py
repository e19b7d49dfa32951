"""Orthography on hostile masters: a context that reads to the end of a sentence
reads a bounded window, and sentence starts are found once per text."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from barium.channels.orthography import _forms


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


def test_sentence_begin_agrees_with_a_backward_scan() -> None:
    def backward(text: str, i: int) -> int:
        j = i - 1
        while j >= 0:
            if text[j] in ".!?" and (j + 1 >= len(text) or text[j + 1] in " \t\r\n\"'\u201d\u2019)"):
                return j + 1
            if text[j] == "\n" and j > 0 and text[j - 1] == "\n":
                return j + 1
            j -= 1
        return 0

    text = 'It rose. "Then?" he said.\n\nNew, para! x.y (a.) end\u2019s. \u201cq.\u201d z'
    for i in range(len(text) + 1):
        assert _forms.sentence_begin(text, i) == backward(text, i), i
        assert _forms.comma_between(text, backward(text, i), i) == ("," in text[backward(text, i) : i])
