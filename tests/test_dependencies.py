"""The locks pin, with hashes, the whole tree that pyproject.toml asks for, and no PyTorch.

requirements.lock is what `pip install .` needs; requirements-dev.lock adds the extras
and the build backend (`make install` installs it). Both are written by `make lock`.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def locked(path: Path) -> dict[str, str]:
    """Name -> version of every package a lock file pins; each must carry a hash."""
    pins: dict[str, str] = {}
    hashed: set[str] = set()
    name = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := _PIN.match(line):
            name = canonicalize_name(m.group(1))
            pins[name] = m.group(2)
        elif line.strip().startswith("--hash=sha256:"):
            hashed.add(name)
    assert set(pins) == hashed, f"{path.name}: no hash for {sorted(set(pins) - hashed)}"
    return pins


def requirements(extras: tuple[str, ...] = ()) -> list[Requirement]:
    project = PYPROJECT["project"]
    out = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        out += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return out


def test_every_dependency_of_pyproject_is_locked_at_the_version_it_pins() -> None:
    runtime, dev = locked(RUNTIME_LOCK), locked(DEV_LOCK)
    for lock, reqs in (
        (runtime, requirements()),
        (dev, requirements(tuple(PYPROJECT["project"]["optional-dependencies"]))),
    ):
        for req in reqs:
            name = canonicalize_name(req.name)
            assert name in lock, f"{req} is not locked: run `make lock`"
            assert req.specifier.contains(lock[name], prereleases=True), (
                f"{req} but locked {lock[name]}: run `make lock`"
            )


def test_the_development_lock_holds_the_runtime_lock_at_the_same_versions() -> None:
    runtime, dev = locked(RUNTIME_LOCK), locked(DEV_LOCK)
    assert {n: dev.get(n) for n in runtime} == runtime


def test_pyproject_pins_lxml_html_clean_which_justext_imports() -> None:
    # jusText imports lxml.html.clean, a project of its own since lxml 5.2; pip 23 does not
    # install it through justext's `lxml[html_clean]` (an extra name lxml spells html-clean).
    assert "lxml-html-clean" in {canonicalize_name(r.name) for r in requirements()}
    import justext  # noqa: F401  (fails when lxml_html_clean is missing)


def test_the_default_install_carries_no_pytorch() -> None:
    runtime = locked(RUNTIME_LOCK)
    assert not {"torch", "sentence-transformers", "transformers"} & set(runtime)


def test_the_lock_covers_every_transitive_dependency_of_this_environment() -> None:
    """Walks the installed metadata from barium (all extras): every package reached is locked at its installed version."""
    dev = locked(DEV_LOCK)
    todo = [(r, frozenset(r.extras)) for r in requirements(tuple(PYPROJECT["project"]["optional-dependencies"]))]
    seen: set[str] = set()
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        assert name in dev, f"{name} (needed through {req}) is not in {DEV_LOCK.name}"
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            pytest.fail(f"{name} is locked but not installed: this environment is not the lock's (`make install`)")
        assert dist.version == dev[name] or dist.version.split("+")[0] == dev[name], f"{name} {dist.version}"
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in ("", *extras)):
                todo.append((Requirement(str(sub).split(";")[0]), frozenset(sub.extras)))
