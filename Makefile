# sanely: every target installs what it needs first, so a fresh machine needs only `make`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PYTHON_FOR_VENV = $(shell scripts/find-python)
PURE_INCLUDE := src/sanely/procedure/*,src/sanely/evidence/*,src/sanely/vault/*,src/sanely/ocds/*,src/sanely/documents/*
export PIP_DISABLE_PIP_VERSION_CHECK := 1

help: ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "%-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@py="$(PYTHON_FOR_VENV)"; test -n "$$py" || exit 1; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/installed.stamp: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	@touch $@

node_modules/installed.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-deps: ## Debian packages the browser tests need (chromium)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

bootstrap: $(VENV)/installed.stamp node_modules/installed.stamp ## Create the venv, install Python and npm packages

lock: $(BIN)/python ## Re-resolve dependencies and rewrite requirements.lock
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

demo: bootstrap ## Migrate a SQLite database under var/, load demo data, serve on :8000 with a worker
	$(BIN)/sanely demo

check: bootstrap ## ruff, ruff format --check, mypy, import-linter
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# Suites run on both cores (pytest-xdist); each database gets its own test database per worker.
XDIST := -n 2 --dist loadfile

test: check system-deps ## Quality gates, then pytest on SQLite and PostgreSQL, then browser journeys
	$(BIN)/pytest $(XDIST) --cov --cov-report=term --cov-report=xml:var/coverage.xml
	$(BIN)/coverage report --fail-under=100 --include='$(PURE_INCLUDE)'
	@url=$$(scripts/postgres-url); rc=$$?; \
	if [ $$rc = 0 ]; then echo "PostgreSQL run: $$url"; DATABASE_URL=$$url $(BIN)/pytest $(XDIST) tests/portal -q; \
	elif [ $$rc != 1 ]; then exit $$rc; fi
	$(BIN)/pytest -m browser tests/browser -q

bench: bootstrap ## Benchmarks of the pure packages: ours against the peers, in one run
	$(BIN)/pytest -m bench -s -q tests

# SUPPLIERS=50 for a quick run; ARGS for the others (python tests/bench/deadline_rush.py --help).
bench-deadline: bootstrap ## The deadline rush and saturation on gunicorn, SQLite and PostgreSQL
	$(BIN)/python tests/bench/deadline_rush.py --suppliers $(or $(SUPPLIERS),500) $(ARGS)

rules-docs: bootstrap ## Regenerate docs/rulebooks/ from the rulebooks
	$(BIN)/sanely rulebook docs docs/rulebooks

clean: ## Remove the venv, node_modules and local data
	rm -rf $(VENV) node_modules var

.PHONY: help bootstrap lock demo check test bench bench-deadline rules-docs clean system-deps
