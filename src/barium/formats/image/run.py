"""The one way Barium runs an external program: Tesseract and poppler's tools on a leak, LibreOffice on copies.

>>> out = run_tool(["pdfinfo", str(path)], limits=limits, name="leak.pdf")  # doctest: +SKIP

An argument list, never a shell; the program sees no standard input, a wall-clock
deadline (``limits.tool_seconds``), an address-space and file-size limit
(``limits.tool_memory_bytes``, set in the child before it starts) and a cap on what it
may print (``limits.tool_output_bytes``). Whatever goes wrong (the program is missing,
fails, hangs, grows too large or prints too much) becomes an :class:`InputError` that
names the leaked file, never a hang or an ``OSError``.
"""

from __future__ import annotations

import contextlib
import os
import resource
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from barium.errors import InputError, InputTooLarge
from barium.limits import Limits

__all__ = ["INSTALL", "ToolResult", "run_tool"]

# What to tell a user whose machine lacks a program (``make sysdeps`` installs all three).
INSTALL = {
    "tesseract": "install tesseract-ocr: make sysdeps",
    "pdfinfo": "install poppler-utils: make sysdeps",
    "pdftotext": "install poppler-utils: make sysdeps",
    "pdftoppm": "install poppler-utils: make sysdeps",
    "soffice": "install libreoffice-writer-nogui: make sysdeps",
}
_CHUNK = 65_536
_STDERR_KEPT = 2_000  # characters of a failing program's message shown to the user


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What a program printed (bytes, at most the cap) and its exit status."""

    stdout: bytes
    stderr: str
    returncode: int


def _child_limits(memory: int, seconds: float) -> Callable[[], None]:
    def apply() -> None:
        # The deadline below is the real bound; RLIMIT_CPU backs it up should this
        # process die and leave the child behind.
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (memory, memory))
        cpu = int(seconds) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Pages are read one after another: OpenMP threads would buy little on one page,
    # share the machine badly and each reserve stack address space under RLIMIT_AS.
    env["OMP_THREAD_LIMIT"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    return env


def run_tool(args: Sequence[str], *, limits: Limits, name: str, check: bool = True) -> ToolResult:
    """Run ``args`` (``args[0]`` found on ``PATH``) under the limits; see the module docstring.

    With ``check`` (the default) a non-zero exit status is an :class:`InputError`
    carrying the program's message; without it the caller judges the status.
    """
    program = args[0]
    path = shutil.which(program)
    if path is None:
        hint = INSTALL.get(program, f"install {program}")
        raise InputError(f"{name}: cannot read this file: {program} is not installed ({hint})")
    seconds = limits.tool_seconds
    try:
        proc = subprocess.Popen(
            [path, *args[1:]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(),
            preexec_fn=_child_limits(limits.tool_memory_bytes, seconds),
            start_new_session=True,  # killed as a group, helpers included
        )
    except OSError as exc:
        raise InputError(f"{name}: cannot run {program}: {exc.strerror or exc}") from exc
    out, err, why = _collect(proc, deadline=time.monotonic() + seconds, cap=limits.tool_output_bytes)
    if why == "time":
        raise InputError(f"{name}: {program} took longer than {seconds:g} seconds on this file; gave up")
    if why == "output":
        raise InputTooLarge(
            f"{name}: {program} printed over {limits.tool_output_bytes:,} bytes for this file (tool_output_bytes)"
        )
    message = err.decode("utf-8", "replace").strip()[-_STDERR_KEPT:]
    code = proc.returncode
    if check and code != 0:
        if code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGXCPU, signal.SIGXFSZ, signal.SIGABRT):
            raise InputError(
                f"{name}: {program} died on this file ({signal.Signals(-code).name}): the file is damaged "
                f"or needs more than {limits.tool_memory_bytes:,} bytes of memory"
            )
        detail = f": {message}" if message else ""
        raise InputError(f"{name}: {program} could not read this file (exit status {code}){detail}")
    return ToolResult(out, message, code)


def _collect(proc: subprocess.Popen[bytes], *, deadline: float, cap: int) -> tuple[bytes, bytes, str | None]:
    """Read both pipes until the program ends; kill it at the deadline or past the cap."""
    assert proc.stdout is not None and proc.stderr is not None
    out, err = bytearray(), bytearray()
    why: str | None = None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ, out)
        sel.register(proc.stderr, selectors.EVENT_READ, err)
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                why = "time"
                break
            for key, _ in sel.select(timeout=left):
                chunk = os.read(key.fd, _CHUNK)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                buf: bytearray = key.data
                buf += chunk
                if buf is err and len(err) > 4 * _CHUNK:
                    del err[: len(err) - 4 * _CHUNK]  # keep the tail: the error is at the end
            if len(out) > cap:
                why = "output"
                break
    if why is not None:
        _kill(proc)
    try:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()) + 1)
    except subprocess.TimeoutExpired:
        _kill(proc)
        why = "time"
    finally:
        proc.stdout.close()
        proc.stderr.close()
    return bytes(out), bytes(err), why


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
