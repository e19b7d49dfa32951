"""A local file, line or record that gave no article, and why."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Skipped"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """``where`` is a path, ``path:line`` or ``path URL``; ``reason`` is written for the user."""

    where: str
    reason: str
