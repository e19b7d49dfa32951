"""Where an offset of a text is, as people count: line and column, both from 1."""

from __future__ import annotations

import bisect


class Lines:
    """The line starts of one text, found once; :meth:`at` is then a bisection."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def at(self, offset: int) -> tuple[int, int]:
        """(line, column) of the character at ``offset``."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1
