"""A copy's layout marks stay within the documented limit of how different its pages look:
SSIM at 150 dpi against the master's pages at least :data:`SSIM_FLOOR`, no word moved more
than 0.35 pt (README, "How different a copy looks"; benchmarks/formats.py measures both)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from barium.channels import LayoutChannel, Site, channel_map
from barium.formats.layout import lay_out, lay_out_word, render_layout, shift_copy
from barium.formats.load import parse
from barium.formats.master import load_master
from barium.formats.office import docx_to_pdf
from barium.limits import Limits
from barium.marking import find_sites
from barium.simulate.look import ssim
from tests.formats.layout.test_word import TEXT_CHANNELS, briefing
from tests.formats.pages import bbc, needs_tools

pytestmark = needs_tools
LIMITS = Limits()
SSIM_FLOOR = 0.90  # measured 0.907 at worst over 1,700-word Word copies (benchmarks/formats.py); one pixel: 0.83


def pages(pdf: bytes, tmp: Path) -> list[np.ndarray]:
    path = tmp / "look.pdf"
    path.write_bytes(pdf)
    out = []
    for n in range(1, 4):
        done = subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f", str(n), "-l", str(n), str(path)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0 or not done.stdout:
            break
        out.append(np.asarray(Image.open(io.BytesIO(done.stdout)).convert("L")))
    return out


def alternate(sites: list[Site]) -> dict[Site, float]:
    """Each layout site moved one way or the other, as copies move them."""
    return {s: LayoutChannel.shift(s, 1 + i % 2) for i, s in enumerate(sites) if s.channel == "layout"}


def test_a_typst_copys_layout_marks_look_like_the_master(tmp_path: Path) -> None:
    text = "\n\n".join(bbc("business", n).strip() for n in (3, 4, 5))
    sites = find_sites(parse(text, "text"), [channel_map()[n] for n in TEXT_CHANNELS])
    laid = lay_out(text, "text", sites, limits=LIMITS)
    assert laid is not None
    moves = alternate(list(laid[0].sites))
    words = {s.start: (s.end, dx) for s, dx in moves.items() if s.rule == "word-shift"}
    lines = {s.start: dy for s, dy in moves.items() if s.rule == "line-shift"}
    master = render_layout(
        text, "text", laid[0].breaks, (), {a: (e, 0.0) for a, (e, _) in words.items()}, dict.fromkeys(lines, 0.0)
    )
    copy = render_layout(text, "text", laid[0].breaks, (), words, lines)
    scores = [ssim(a, b) for a, b in zip(pages(master, tmp_path), pages(copy, tmp_path), strict=True)]

    assert len(scores) >= 2 and min(scores) >= SSIM_FLOOR, scores


def test_a_word_copys_layout_marks_look_like_the_master(tmp_path: Path) -> None:
    master = load_master(briefing(tmp_path), limits=LIMITS)
    assert master.file is not None
    sites = find_sites(master.parsed, [channel_map()[n] for n in TEXT_CHANNELS])
    laid = lay_out_word(master.file, master.text, sites, limits=LIMITS)
    assert laid is not None
    moves = alternate(list(laid[0].sites))
    words = [(s.start, dx) for s, dx in moves.items() if s.rule == "word-shift"]
    lines = [
        (s.start, int(s.locator.address[7]), dy)
        for s, dy in moves.items()
        if s.rule == "line-shift" and s.locator is not None
    ]
    printed = docx_to_pdf([master.file], limits=LIMITS)[0]
    plain, copy = shift_copy(printed, master.text, []), shift_copy(printed, master.text, words, (), lines)
    assert plain != copy
    scores = [ssim(a, b) for a, b in zip(pages(plain, tmp_path), pages(copy, tmp_path), strict=True)]

    assert len(scores) >= 2 and min(scores) >= SSIM_FLOOR, scores


@pytest.mark.parametrize("dx", [1.5])
def test_the_measure_sees_a_move_past_the_limit(tmp_path: Path, dx: float) -> None:
    # The floor means something: every word moved 1.5 pt (four times d) falls below it.
    master = load_master(briefing(tmp_path), limits=LIMITS)
    assert master.file is not None
    sites = find_sites(master.parsed, [channel_map()[n] for n in TEXT_CHANNELS])
    laid = lay_out_word(master.file, master.text, sites, limits=LIMITS)
    assert laid is not None
    words = [(s.start, dx if i % 2 else -dx) for i, s in enumerate(laid[0].sites) if s.rule == "word-shift"]
    printed = docx_to_pdf([master.file], limits=LIMITS)[0]
    plain, copy = shift_copy(printed, master.text, []), shift_copy(printed, master.text, words)
    scores = [ssim(a, b) for a, b in zip(pages(plain, tmp_path), pages(copy, tmp_path), strict=True)]
    assert min(scores) < SSIM_FLOOR, scores
