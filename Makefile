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

.PHONY: install assets run test lint format ci bench clean lock audit

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

# Times the annex exports of the 2015-16 seed (DOCX must take < 0.5 s, PDF < 3 s).
bench: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py bench_annex

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
