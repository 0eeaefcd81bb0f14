# SteerCo's commands (README.md; the contract is in INTERFACES.md).
#
#   make run    set up .venv, migrate, load the demo organisation once, serve on HOST:PORT
#   make test   every suite: lint, engine, Django on SQLite and PostgreSQL, browser
#   make lint   ruff check, ruff format --check, import contracts
#   make bench  run each benchmarks/*.py script and print its figures
#
# HOST and PORT come from the environment or the command line: `make run PORT=8123`.

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test SUITES="lint django-sqlite"` runs only those; PYTEST_ARGS go to every pytest run.
SUITES ?=
PYTEST_ARGS ?=

BIN := $(VENV)/bin
STEERCO := $(BIN)/steerco
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
# Stamps: reinstall when pyproject.toml is newer than the last install into this venv.
INSTALLED := $(VENV)/.steerco-installed
DEV_INSTALLED := $(VENV)/.steerco-dev-installed

.DEFAULT_GOAL := help
.PHONY: help run test lint bench

help:
	@echo "make run    serve SteerCo with the demo organisation on http://$(HOST):$(PORT)/"
	@echo "make test   run every test suite (lint, engine, SQLite, PostgreSQL, browser)"
	@echo "make lint   ruff and the import contracts"
	@echo "make bench  run the benchmarks"

# A venv whose interpreter is gone (Python upgraded or removed) is rebuilt from scratch.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "SteerCo needs Python 3.11 or newer: run make with PYTHON=/path/to/python3.11")'
	@echo "Creating $(VENV) with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv --clear $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "Installing SteerCo into $(VENV) (the first time takes a minute or two)"
	@$(PIP) install -e .
	@touch $@

$(DEV_INSTALLED): pyproject.toml | $(BIN)/python
	@echo "Installing SteerCo and its development tools into $(VENV)"
	@$(PIP) install -e '.[dev,mpp]'
	@touch $@ $(INSTALLED)

run: $(INSTALLED)
	@$(STEERCO) migrate --noinput
	@$(STEERCO) collectstatic --noinput --verbosity 0
	@$(STEERCO) demo --if-empty
	@echo ""
	@echo "SteerCo is at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo ""
	@exec $(STEERCO) serve --host $(HOST) --port $(PORT) --with-worker

test: $(DEV_INSTALLED)
	@$(BIN)/python scripts/suites.py $(SUITES) $(if $(strip $(PYTEST_ARGS)),-- $(PYTEST_ARGS))

lint: $(DEV_INSTALLED)
	@$(BIN)/python scripts/suites.py lint

# Files starting with an underscore are helpers shared by the benchmarks, not benchmarks.
bench: $(INSTALLED)
	@ran=0; \
	for script in benchmarks/*.py; do \
	  [ -f "$$script" ] || continue; \
	  case "$$(basename "$$script")" in _*) continue ;; esac; \
	  echo "== $$script"; \
	  $(BIN)/python "$$script" || exit 1; \
	  ran=1; \
	done; \
	if [ "$$ran" = 0 ]; then echo "No benchmarks yet: add scripts to benchmarks/."; fi
