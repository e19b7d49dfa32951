"""The command line starts light, the demo stands apart from it, and its reference page is current."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# What `barium --help` must never load: the database layer, the numeric and model stacks, the web extractors.
HEAVY = ("numpy", "sqlalchemy", "alembic", "psycopg", "torch", "sentence_transformers", "onnxruntime",
         "trafilatura", "justext", "lxml", "warcio", "feedparser", "httpx", "datasketch")  # fmt: skip
ROOT = Path(__file__).parents[2]


def loaded_after(code: str) -> set[str]:
    """Top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARIUM_")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["doc", "--help"], ["trace", "--help"], ["watch", "run", "--help"]])
def test_help_loads_none_of_the_heavy_modules(args: list[str]) -> None:
    loaded = loaded_after(
        "import sys, contextlib, io\n"
        f"sys.argv = ['barium', *{args!r}]\n"
        "from barium.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit as exc:\n        assert not exc.code, exc.code\n"
    )
    assert "barium" in loaded and "typer" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_demo_does_not_import_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, barium.demo; print(sorted(m for m in sys.modules if 'barium.cli' in m))"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


def test_the_cli_reference_is_current() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "barium.cli.reference"], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    page = (ROOT / "docs" / "cli.md").read_text()
    assert page == done.stdout, "docs/cli.md is out of date: run python -m barium.cli.reference > docs/cli.md"


def test_the_cli_reference_covers_every_command() -> None:
    page = (ROOT / "docs" / "cli.md").read_text()
    for command in ("init", "issue", "trace", "sites", "demo", "scan", "alerts", "doc add", "recipients import",
                    "variants suggest", "watch run", "public add"):  # fmt: skip
        assert f"## `barium {command}`" in page
