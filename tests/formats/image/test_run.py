"""The one runner of external programs: no shell, a deadline, a memory and an output cap,
and a clear error naming the file whatever goes wrong."""

from __future__ import annotations

import sys

import pytest

from barium.errors import InputError, InputTooLarge
from barium.formats.image.run import run_tool
from barium.limits import Limits

PY = sys.executable


def test_a_program_runs_with_arguments_never_through_a_shell() -> None:
    done = run_tool([PY, "-c", "import sys; print(sys.argv[1])", "$(echo hi); rm -rf /"], limits=Limits(), name="x")
    assert done.stdout == b"$(echo hi); rm -rf /\n" and done.returncode == 0


def test_a_missing_program_says_how_to_install_it() -> None:
    with pytest.raises(InputError, match=r"leak\.png: .*no-such-tesseract-xyz is not installed"):
        run_tool(["no-such-tesseract-xyz", "-"], limits=Limits(), name="leak.png")


def test_a_missing_tesseract_points_to_make_sysdeps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(InputError, match=r"scan\.tiff: .*install tesseract-ocr: make sysdeps"):
        run_tool(["tesseract", "-"], limits=Limits(), name="scan.tiff")


def test_a_failing_program_is_an_input_error_with_its_message() -> None:
    with pytest.raises(InputError, match=r"leak\.pdf: .*exit status 3.*broken xref"):
        run_tool(
            [PY, "-c", "import sys; sys.stderr.write('broken xref'); sys.exit(3)"], limits=Limits(), name="leak.pdf"
        )


def test_a_program_that_hangs_is_stopped_at_the_deadline() -> None:
    with pytest.raises(InputError, match=r"leak\.pdf: .*took longer than 0\.5 seconds"):
        run_tool([PY, "-c", "import time; time.sleep(60)"], limits=Limits(tool_seconds=0.5), name="leak.pdf")


def test_a_program_that_prints_too_much_is_stopped() -> None:
    with pytest.raises(InputTooLarge, match="tool_output_bytes"):
        run_tool([PY, "-c", "while True: print('x' * 1000)"], limits=Limits(tool_output_bytes=100_000), name="x")


def test_a_program_that_grabs_too_much_memory_fails_cleanly() -> None:
    grab = "b = bytearray(1_500_000_000); print(len(b))"
    with pytest.raises(InputError, match=r"leak\.png: "):
        run_tool([PY, "-c", grab], limits=Limits(tool_memory_bytes=600_000_000), name="leak.png")


def test_tesseract_is_told_to_use_one_thread() -> None:
    done = run_tool([PY, "-c", "import os; print(os.environ['OMP_THREAD_LIMIT'])"], limits=Limits(), name="x")
    assert done.stdout.strip() == b"1"
