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

.PHONY: install assets run test lint format ci bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (on PATH or through pyenv)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

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
