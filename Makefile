# Expertisekaart: `make run` serves the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/expertisekaart
# Tests run in parallel processes (pytest-xdist), one per core by default.
PYTEST_WORKERS ?= auto
# Locally the PostgreSQL test databases are kept between runs (migrations still apply); CI
# makes them anew.
PG_REUSE := $(if $(filter true,$(CI)),,--reuse-db)
# The region rule's property test draws 100 examples on SQLite (200 took a CI worker about
# 100 s, the longest single test); on PostgreSQL, where the same queries only need to mean the
# same, 40.
PG_REGION_RULE_EXAMPLES ?= 40
# Local development and tests run with DEBUG on unless the environment says otherwise.
export DJANGO_DEBUG ?= 1

.PHONY: help install setup run test test-sqlite test-postgres lint format check bench bench-import loadtest lighthouse lock messages clean

help:
	@echo "make run    set everything up and serve http://127.0.0.1:8000"
	@echo "make test   set everything up and run the whole test suite (SQLite and PostgreSQL)"
	@echo "make lint   ruff format --check, ruff check, Django checks, migrations check"

$(INSTALLED): requirements/dev.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11, python3.12 or python3)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	touch $@

install: $(INSTALLED)

# English for the site; Dutch only for third-party text that ships no Dutch (simple-history).
CATALOGS := locale/en/LC_MESSAGES/django.mo locale/nl/LC_MESSAGES/django.mo

$(CATALOGS): locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(INSTALLED)
	$(BIN)/pybabel -q compile --domain django --directory locale --locale $* --use-fuzzy

messages: $(INSTALLED)
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	$(BIN)/pybabel -q compile --domain django --directory locale --use-fuzzy

setup: $(INSTALLED) $(CATALOGS)
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_reference_data
	$(MANAGE) load_demo_data
	$(MANAGE) ensure_dev_users

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

# The SQLite pass runs everything; the PostgreSQL pass (always in CI) leaves out what cannot
# depend on the database: tests that use none, and the browser tests of the pages' JavaScript
# (except those marked both_databases). Without PostgreSQL, the second pass is skipped.
test: $(INSTALLED) $(CATALOGS)
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres PG_PASS=--second-pass

test-sqlite:
	@echo "== Tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres:
	@echo "== Tests on PostgreSQL ($(PG_TEST_URL))$(if $(PG_PASS), without what the SQLite pass proved,) =="
	@if $(BIN)/python scripts/postgres_ready.py "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" REGION_RULE_EXAMPLES=$(PG_REGION_RULE_EXAMPLES) \
			$(BIN)/pytest -n $(PYTEST_WORKERS) $(PG_REUSE) $(PG_PASS) $(PYTEST_ARGS); \
	elif [ "$(CI)" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL), and CI may not skip it."; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run, because no PostgreSQL answers at $(PG_TEST_URL) (set PG_TEST_URL)."; \
	fi

lint: $(INSTALLED)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# In-process on SQLite and PostgreSQL, then under load (gunicorn + wrk); BENCH_ARGS e.g. --keep,
# --in-process, --load, --database postgres, --duration 30.
bench: $(INSTALLED)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS) --write docs/benchmarks.md

# The 320-row spreadsheet import, preview and confirmation (docs/benchmarks.md, issue 12).
bench-import: $(INSTALLED)
	$(BIN)/python scripts/import_bench.py --database both --repeat 5 --sheet both

# The production path under load (gunicorn, PostgreSQL at BENCH_PG_URL, Redis), then the fault
# run: worker killed, Redis stopped, PostgreSQL unreachable (scripts/loadtest.py).
loadtest: $(INSTALLED)
	$(BIN)/python scripts/loadtest.py

# Lighthouse (mobile) on the five public page types, gunicorn with production settings and the
# demo data, written to docs/benchmarks.md. Not part of `make test` or CI: Lighthouse is an npm
# package, installed outside the project (see scripts/lighthouse.py).
LIGHTHOUSE ?= $(shell command -v lighthouse)
lighthouse: $(INSTALLED)
	@if [ -z "$(LIGHTHOUSE)" ] || ! command -v "$(LIGHTHOUSE)" >/dev/null; then \
		echo "Lighthouse is not installed. Install it outside the project, then point to it:"; \
		echo "  npm install --prefix ~/.local/lighthouse lighthouse"; \
		echo "  make lighthouse LIGHTHOUSE=~/.local/lighthouse/node_modules/.bin/lighthouse"; \
		exit 1; \
	fi
	$(BIN)/python scripts/lighthouse.py --lighthouse "$(LIGHTHOUSE)" $(LIGHTHOUSE_ARGS) --write docs/benchmarks.md

# Regenerates the lock files from pyproject.toml (needs network access to PyPI).
lock:
	python3 -m venv /tmp/expertisekaart-lock && /tmp/expertisekaart-lock/bin/pip install -q pip-tools
	/tmp/expertisekaart-lock/bin/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/base.lock pyproject.toml
	/tmp/expertisekaart-lock/bin/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
