"""Fuzzing the leak readers: a valid Word file, PDF and PNG, JPEG and TIFF, damaged at
random (bytes flipped, cut, spliced, repeated), read as a leak is. Whatever comes in,
the reader gives text or a Barium error (a clear message, exit code 2 or 3 at the
CLI), never another exception, and within the tool deadline and memory caps.

The seeds are real files made here: the demo's Word memo, a typst PDF of a BBC
paragraph, and pictures of a few words. Hypothesis keeps the examples that failed
once and tries them first next time.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from barium.errors import BariumError
from barium.formats.leak import read_leak_evidence
from barium.formats.master import load_master
from barium.formats.typeset import typeset_pdf
from barium.limits import Limits
from tests.formats.pages import bbc, needs_tools

pytestmark = [needs_tools, pytest.mark.slow]
# Small caps keep a damaged file from costing more than a second or two.
LIMITS = Limits(tool_seconds=20, image_pixels=2_000_000, image_frames=2, pdf_pages=5)
MEMO = Path(__file__).parents[2] / "src" / "barium" / "demo" / "samples" / "board-memo.docx"


def picture(fmt: str) -> bytes:
    image = Image.new("L", (360, 60), 255)
    ImageDraw.Draw(image).text((8, 20), "Quarterly profits at US media giant", fill=0)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


SEEDS = {
    "docx": MEMO.read_bytes(),
    "pdf": typeset_pdf(bbc("business", 1).split("\n\n")[1], fmt="text"),
    "png": picture("PNG"),
    "jpeg": picture("JPEG"),
    "tiff": picture("TIFF"),
}


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few random changes: bytes overwritten, a cut, a splice, a repeat."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip":
            size = draw(st.integers(1, 16))
            data[at : at + size] = draw(st.binary(min_size=size, max_size=size))
        elif kind == "cut":
            del data[at:]
            data += b"" if draw(st.booleans()) else seed[-draw(st.integers(1, 64)) :]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            size = draw(st.integers(1, 256))
            data[at:at] = bytes(data[at : at + size]) * draw(st.integers(2, 20))
    return bytes(data)


def read(data: bytes, tmp: Path, name: str) -> None:
    path = tmp / name
    path.write_bytes(data)
    try:
        evidence = read_leak_evidence(path, limits=LIMITS)
    except BariumError as exc:
        assert str(exc)  # a message a user can act on
        return
    assert isinstance(evidence.text, str)
    assert len(evidence.words) == len(evidence.word_starts)


FUZZ = settings(
    max_examples=60, deadline=None, print_blob=False, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_the_seed_files_read(kind: str, tmp_path: Path) -> None:
    text = read_leak_evidence(_write(tmp_path, f"seed.{kind}", SEEDS[kind]), limits=LIMITS).text
    assert text.strip()


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_a_damaged_file_reads_or_is_refused_clearly(kind: str, data: st.DataObject, tmp_path: Path) -> None:
    read(data.draw(damaged(SEEDS[kind])), tmp_path, f"leak.{kind}")


@FUZZ
@given(data=st.data())
def test_a_damaged_word_master_registers_or_is_refused_clearly(data: st.DataObject, tmp_path: Path) -> None:
    path = _write(tmp_path, "master.docx", data.draw(damaged(SEEDS["docx"])))
    try:
        master = load_master(path, limits=LIMITS)
    except BariumError as exc:
        assert str(exc)
        return
    assert master.format == "docx" and master.file is not None
