"""The text of a leaked file, whatever form it came back in.

A file's kind is told from its bytes, never from its name (an extension may lie):
each reader in :data:`LEAK_READERS` says whether it knows the bytes, and the first
that does extracts the text the tracer aligns to the master. Bytes no reader knows
are read as text, which refuses binary with a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from barium.errors import NotFound
from barium.formats.load import decode_text
from barium.limits import Limits


@dataclass(frozen=True, slots=True)
class LeakReader:
    """A file format leaks come back in: ``knows`` looks at the bytes, ``text`` reads them."""

    name: str
    knows: Callable[[bytes], bool]
    text: Callable[[bytes, Limits, str], str]


LEAK_READERS: list[LeakReader] = []


def read_leak_file(path: Path, *, limits: Limits) -> str:
    """The text of the leaked file at ``path``, through the one text check."""
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    limits.check_size(path.stat().st_size, "leak", name=path.name)
    data = path.read_bytes()
    for reader in LEAK_READERS:
        if reader.knows(data):
            return limits.check_text(reader.text(data, limits, path.name), "leak", name=path.name)
    return limits.check_text(decode_text(data, name=path.name), "leak", name=path.name)
