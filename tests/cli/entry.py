"""Run the real entry point, ``barium.cli.main``, in this process (faster than a subprocess)."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def barium(home: Path, *args: str, stdin: bytes = b"") -> Ran:
    """``barium --home HOME ARGS...`` as a shell runs it: exit code, standard output, standard error."""
    from barium.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv, saved_stdin = sys.argv, sys.stdin
    sys.argv = ["barium", "--home", str(home), *args]
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv, sys.stdin = argv, saved_stdin
    return Ran(code, out.getvalue(), err.getvalue())
