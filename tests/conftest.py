"""Shared fixtures: real workspaces on SQLite files, small documents the project ships."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from barium.services import Barium

FIXTURES = Path(__file__).parent / "fixtures"
settings.register_profile(
    "barium",
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("barium")


@pytest.fixture
def barium(tmp_path: Path) -> Iterator[Barium]:
    b = Barium.init(tmp_path / "ws")
    yield b
    b.close()


@pytest.fixture
def briefing() -> Path:
    return FIXTURES / "briefing.md"


@pytest.fixture
def memo() -> Path:
    return FIXTURES / "memo.txt"


def add_people(b: Barium, n: int) -> None:
    for i in range(n):
        b.recipients.add(f"Person {i:03d}", email=f"person{i:03d}@example.org")
