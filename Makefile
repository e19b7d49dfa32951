# Every target installs what it needs into .venv first, so a fresh clone works.
# .venv is made from the hash-pinned lock (requirements-dev.lock), never by a fresh
# resolution, and made anew when the lock changes, so it holds exactly what is locked.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The lock is written by uv, installed into a venv of its own (only `make lock` needs it).
UV_VERSION := 0.13.8
UV := .venv-lock/bin/uv
COMPILE := $(UV) pip compile --generate-hashes --python-version 3.11 $(UV_FLAGS)

.PHONY: install demo test lint typecheck bench lock clean

$(STAMP): requirements-dev.lock pyproject.toml
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/barium demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/tracing.py

# Re-resolve after a change to pyproject.toml's dependencies (needs PyPI). Versions already
# in the locks are kept where they still fit; `make lock UV_FLAGS=--upgrade` takes the newest.
# requirements.lock: what `pip install .` needs; requirements-dev.lock: that, the extras
# (dev, postgres) and the build backend, with the same versions.
lock:
	test -x $(UV) || ($(PY) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet uv==$(UV_VERSION))
	$(COMPILE) pyproject.toml -o requirements.lock
	$(COMPILE) pyproject.toml requirements-build.in --all-extras -c requirements.lock -o requirements-dev.lock

clean:
	rm -rf $(VENV) .venv-lock build dist src/*.egg-info
