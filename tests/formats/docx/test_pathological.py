"""Hostile Word masters: every stage stays linear in the runs and the edits (docs/limits.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest


def run_guarded(code: str) -> None:
    """Run ``code`` in a fresh interpreter. The timeout is a hang guard, not a
    benchmark: each input takes a few seconds when the stages are linear and would
    take hours if one were quadratic (an edit rebuilding a whole run, a lookup
    scanning every segment)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, timeout=120, env=env)


@pytest.mark.parametrize(
    "paragraph",
    [
        # One run of 100,000 words, an edit in every gap.
        'p(r("word " * 100_000))',
        # 60,000 runs of half a word: every edit spans two runs.
        'p(*[r(w) for w in ["wo", "rd "] * 30_000])',
        # 100,000 empty runs between the words: places to insert, all at one offset.
        'p(r("word "), *["<w:r><w:t></w:t></w:r>"] * 100_000, r("word " * 20_000))',
    ],
)
def test_many_runs_and_many_edits_stay_linear(paragraph: str) -> None:
    run_guarded(
        f"""
        from barium.formats.docx import docx_text, prepare_master, render_docx
        from barium.limits import Limits
        from tests.formats.docx.build import docx, p, r
        master = prepare_master(docx({paragraph}), limits=Limits(), name="x.docx")
        text = master.document.text
        edits = [(i, i + 1, "W") for i in range(len(text)) if text.startswith("word", i)]
        edits += [(i + 4, i + 4, "\\u200b") for i, _, _ in edits]
        copy = render_docx(master.docx, edits)
        assert docx_text(copy, limits=Limits(), name="c").count("Word\\u200b") == len(edits) // 2
        """
    )
