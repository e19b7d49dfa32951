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

.PHONY: install sysdeps testdeps demo test serve lint typecheck bench lock clean

# Debian packages for documents and images: LibreOffice (DOCX to PDF), poppler (PDF pages),
# Tesseract (OCR). Installed only when a command is missing; apt-get needs root (or sudo).
SYSTEM_PACKAGES := libreoffice-writer-nogui poppler-utils tesseract-ocr tesseract-ocr-eng
SYSTEM_COMMANDS := soffice pdftoppm tesseract
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): requirements-dev.lock pyproject.toml
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

sysdeps:
	@missing=""; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages for:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	fi

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`).
TEST_PACKAGES := chromium chromium-driver
testdeps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian packages for the browser tests: $(TEST_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(TEST_PACKAGES) >/dev/null; }

install: sysdeps $(STAMP)

demo: install
	$(BIN)/barium demo

# The web app on the demo's workspace (kept in demo-web/), with a user `demo` holding every role.
DEMO_WEB := demo-web
serve: install
	@test -f $(DEMO_WEB)/secret.key || $(BIN)/barium demo --keep $(DEMO_WEB)
	@$(BIN)/barium --home $(DEMO_WEB) users passwd demo --generate-password 2>/dev/null || \
	  $(BIN)/barium --home $(DEMO_WEB) users add demo --role admin --role distributor --role investigator --role auditor --generate-password
	$(BIN)/barium --home $(DEMO_WEB) serve

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: install testdeps lint typecheck
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
