# The two commands: `make run` (platform with demo data on SQLite) and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Django 6 needs Python 3.12 or newer: take the first one found on PATH or in pyenv.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$p; break; fi; done)

.PHONY: chromium run test lint format e2e bench worker messages clean

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is required (Django 6): install it and retry, or pass PYTHON=/path/to/python3.12" >&2; exit 1; fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# Debian packages the tests use: Chromium for browser tests (Playwright cannot download
# browsers here), Noto fonts for Vietnamese in PDFs and screenshots, poppler for PDF checks.
SYSTEM_PACKAGES := chromium fonts-noto-core poppler-utils
chromium:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "The tests need these Debian packages: sudo apt-get install $$missing" >&2; fi; \
	fi

run: $(VENV)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) load_units
	$(MANAGE) load_criteria
	$(MANAGE) seed_demo
	@trap 'kill 0' EXIT; \
	$(MANAGE) db_worker & \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: $(VENV)/.installed
	$(MANAGE) db_worker

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(VENV)/.installed chromium lint
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: $(VENV)/.installed chromium
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

# Every benchmark runs, each printing its figures and targets; the status is 1 if any missed.
bench: $(VENV)/.installed
	@status=0; for b in scoring stamps scan catalog dashboard import council national; do \
		echo "== bench_$$b"; $(PY) bench/bench_$$b.py || status=1; done; exit $$status

messages: $(VENV)/.installed
	cd ocop && ../$(PY) ../manage.py makemessages -l vi --no-obsolete --no-wrap && ../$(PY) ../manage.py compilemessages -l vi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache db.sqlite3 media
