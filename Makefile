# Cầu Nối — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The site's own address, printed with the sign-ins and put in SMS and Zalo links: from PORT.
SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo serves as production does (DEBUG off: the real 403/404/500 pages, collected static
# files); only HTTPS is relaxed, a laptop having no certificate.
DEMO_ENV := DEBUG=0 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
HOUSEHOLDS ?= 170
# pytest-xdist workers for `make test` (`auto`: one per core; `0`: none, for -x and pdb)
WORKERS ?= auto
# How xdist shares the tests: one at a time to whichever worker is free, except a module marked
# `xdist_group` (the built demo), kept on one worker so that it is built once.
DIST := $(if $(filter 0,$(WORKERS)),,--dist loadgroup)
export PYTHONPATH := src

.PHONY: demo demo-data demo-reset serve test test-fast test-browser lint typecheck fmt messages check bench bench-pages bench-directives bench-funds bench-feedback bench-surveys bench-outreach bench-reports bench-load bench-speech bench-reform lock browser-deps clean venv

$(VENV)/.installed: requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Cầu Nối needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed

var:
	mkdir -p var

## Build the Phú Thọ demo (2022, then through the 2025 reform; reused when present) and serve it on http://127.0.0.1:$(PORT) (HOUSEHOLDS=5: a small, fast build)
demo: demo-data serve

demo-data: $(VENV)/.installed | var
	$(PY) manage.py migrate --noinput -v0
	SITE_URL=$(SITE_URL) $(PY) manage.py build_demo --households-per-area $(HOUSEHOLDS)

serve: $(VENV)/.installed
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo "Cầu Nối: $(SITE_URL)/  (Ctrl+C stops it)"
	$(DEMO_ENV) SITE_URL=$(SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

demo-reset:
	rm -f var/caunoi.sqlite3 var/caunoi.sqlite3-wal var/caunoi.sqlite3-shm
	$(MAKE) demo

## The whole suite (browser tests included; set DATABASE_URL for PostgreSQL)
test: $(VENV)/.installed
	$(PY) -m pytest -q -n $(WORKERS) $(DIST)

test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -n $(WORKERS) $(DIST) -m "not browser"

test-browser: $(VENV)/.installed
	$(PY) -m pytest -q -n $(WORKERS) $(DIST) -m browser

## ruff (lint and format) over everything; mypy (with django-stubs) over src/
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests e2e benchmarks conftest.py
	$(VENV)/bin/ruff format --check src tests e2e benchmarks conftest.py

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix src tests e2e benchmarks conftest.py
	$(VENV)/bin/ruff format src tests e2e benchmarks conftest.py

## Extract strings and compile the catalogues (needs GNU gettext; compiled .mo files are committed)
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l vi --no-location --no-obsolete -i '.venv/*' -i 'var/*' -i 'e2e/*' -i 'benchmarks/*'
	$(PY) manage.py compilemessages -v0 --ignore=.venv

## Everything CI checks: lint, types, the whole suite
check: lint typecheck test

## Server-side timings against /healthz, on the full demo (built once into var/bench/)
bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

## One feature at province scale (sizes and BENCH_DATABASE_URL from the environment; see README)
bench-directives bench-funds bench-feedback bench-surveys bench-outreach: bench-%: $(VENV)/.installed
	$(PY) benchmarks/$*.py

## The province's report on a national synthetic set (REPORTS_BENCH_* sizes, BENCH_DATABASE_URL):
## /healthz, a commune's and a province's report, stored and computed, as ratios in one run
bench-reports: $(VENV)/.installed
	$(PY) benchmarks/reports.py

## Pages under load over loopback with wrk (apt-get install wrk): req/s, p50/p99, share of /healthz,
## on SQLite and (with BENCH_DATABASE_URL) PostgreSQL; LOAD_SECONDS per page (5)
bench-load: $(VENV)/.installed
	$(PY) benchmarks/load.py

## The 2025 reform for the whole country on a fresh database: import times and what was recorded
bench-reform: $(VENV)/.installed
	$(PY) benchmarks/reform.py

## Notices spoken (eSpeak NG): seconds of audio per CPU second, bytes per minute, per format
bench-speech: $(VENV)/.installed
	$(PY) benchmarks/speech.py

## Page weights and first paint under Regular 3G in Chromium (needs `make demo-data` first)
bench-pages: $(VENV)/.installed
	$(PY) benchmarks/pages.py

## Re-pin dependencies from pyproject.toml
lock: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes -q -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --extra dev --generate-hashes -q -o requirements-dev.lock

## Debian packages the browser and QR tests need (run as root)
browser-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core zbar-tools

clean:
	rm -rf $(VENV) var/static .pytest_cache
