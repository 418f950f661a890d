# CSP Returns. `make run` serves the demo; `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
DEMO_PASSWORD ?= csp-demo-2026

# Python 3.12 or newer: from PATH first, then from pyenv's versions.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
	p=$$(command -v $$c 2>/dev/null) || continue; \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: install assets run test lint format ci bench clean lock audit scale-demo

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (on PATH or through pyenv)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# requirements-dev.txt holds every package (runtime ones at requirements.txt's versions), each with its hashes.
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	@touch $@

# Recompiles requirements*.txt from requirements*.in: every dependency pinned, with hashes, for Python 3.12+ on
# any platform. Pins already in the .txt files are kept; `make lock LOCK_ARGS=--upgrade` (or
# LOCK_ARGS="--upgrade-package django") moves them.
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.12 \
	--custom-compile-command "make lock" $(LOCK_ARGS)
lock: $(VENV)/.installed
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

# Checks the runtime packages against PyPI's vulnerability data. Where that service cannot be reached (offline,
# or a registry mirror without PyPI's JSON API, which pip-audit reports as "not found on PyPI"), it says so and
# passes, as nothing could be checked; found vulnerabilities always fail.
audit: $(VENV)/.installed
	@out=$$($(BIN)/pip-audit --strict --disable-pip --progress-spinner off -r requirements.txt 2>&1); rc=$$?; \
	if [ $$rc -eq 0 ]; then echo "$$out"; \
	elif ! grep -q "known vulnerabilit" <<<"$$out" && \
		grep -qE "ConnectionError|ProxyError|NameResolutionError|Max retries exceeded|Timeout|not found on PyPI" <<<"$$out"; then \
		echo "make audit: skipped, no vulnerability service could be reached, so nothing was checked."; \
		echo "pip-audit said: $$(grep -v '^[[:space:]]*$$' <<<"$$out" | tail -n 1 | cut -c 1-200)"; \
	else echo "$$out"; exit $$rc; fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/app.css: node_modules/.installed $(wildcard static/src/*.scss)
	npm run --silent build

install: $(VENV)/.installed static/build/app.css

assets: static/build/app.css

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --password $(DEMO_PASSWORD)
	$(PY) manage.py send_reminders --on-worker
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a background worker. Ctrl-C stops both."
	@# The worker runs beside the web server; the trap stops it however the server ends.
	@$(PY) manage.py db_worker --interval 1 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

ci:
	bash .ci/run

# The page benchmark (docs/benchmark.md): a fresh PostgreSQL database on 127.0.0.1:5432, the demo, then
# seed_scale (BENCH_BOROUGHS × BENCH_YEARS); each measured by `manage.py bench` (in process, then gunicorn with
# 2 workers under wrk), then both side by side; the database is dropped at the end. ~15 minutes at 300 × 10.
# `make bench-quick` does the same at a small size in a minute or two.
.PHONY: bench-quick bench-annex bench-run
BENCH_BOROUGHS ?= 300
BENCH_YEARS ?= 10
BENCH_ARGS ?=
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_OUT ?= bench-output
bench: install
	@$(MAKE) --no-print-directory bench-run
bench-quick: install
	@$(MAKE) --no-print-directory bench-run BENCH_BOROUGHS=20 BENCH_YEARS=2 \
		BENCH_ARGS="--runs 5 --budget 3 --seconds 2 --max-seconds 6 --rounds 1"
bench-run:
	@# wrk drives the load; installed like .ci/run installs its Debian packages (bench is not part of CI).
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; } \
		|| echo "wrk is missing and could not be installed (run: sudo apt-get install wrk): throughput is skipped."
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL must be running on 127.0.0.1:5432 (user postgres)."; exit 1; }
	@set -eu; db="csp_returns_bench_$$$$"; media=$$(mktemp -d); \
	admin() { PGOPTIONS="-c client_min_messages=warning" psql "$(BENCH_PG)/postgres" -v ON_ERROR_STOP=1 -q "$$@"; }; \
	admin -c "DROP DATABASE IF EXISTS $$db" -c "CREATE DATABASE $$db"; \
	trap 'admin -c "DROP DATABASE IF EXISTS $$db WITH (FORCE)"; rm -rf "$$media"' EXIT; \
	export DATABASE_URL="$(BENCH_PG)/$$db" DJANGO_SETTINGS_MODULE=config.settings.bench MEDIA_ROOT="$$media"; \
	analyze() { psql "$$DATABASE_URL" -q -c "VACUUM ANALYZE"; }; \
	mkdir -p $(BENCH_OUT); \
	$(PY) manage.py migrate --no-input -v 0; \
	$(PY) manage.py seed_demo --quiet-logins; analyze; \
	$(PY) manage.py bench --label demo --json $(BENCH_OUT)/demo.json $(BENCH_ARGS); \
	$(PY) manage.py seed_scale --boroughs $(BENCH_BOROUGHS) --years $(BENCH_YEARS); analyze; \
	$(PY) manage.py bench --label "demo + seed_scale $(BENCH_BOROUGHS)x$(BENCH_YEARS)" --json $(BENCH_OUT)/scale.json \
		$(BENCH_ARGS); \
	$(PY) manage.py bench --compare $(BENCH_OUT)/demo.json $(BENCH_OUT)/scale.json

# Times the annex exports of the 2015-16 seed (DOCX must take < 0.5 s, PDF < 3 s).
bench-annex: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py bench_annex

clean:
	rm -rf $(VENV) node_modules static/build staticfiles

# Two app servers and two workers against one PostgreSQL database (a fresh one, dropped afterwards), sharing one
# file storage: an export asked of one instance is built by either worker and downloaded from the other.
SCALE_DB ?= csp_returns_scale_demo
SCALE_PG ?= postgres://postgres@127.0.0.1:5432
scale-demo: install
	@PGOPTIONS="-c client_min_messages=warning" psql "$(SCALE_PG)/postgres" -q -c "DROP DATABASE IF EXISTS $(SCALE_DB)" -c "CREATE DATABASE $(SCALE_DB)"
	@trap 'psql "$(SCALE_PG)/postgres" -q -c "DROP DATABASE IF EXISTS $(SCALE_DB) WITH (FORCE)"' EXIT; \
	export DATABASE_URL="$(SCALE_PG)/$(SCALE_DB)"; \
	$(PY) manage.py migrate --no-input -v 0 && \
	$(PY) manage.py seed_demo --password $(DEMO_PASSWORD) > /dev/null && \
	$(PY) manage.py scale_demo --password $(DEMO_PASSWORD)
