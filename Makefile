# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install install-dev run run-scaled demo test test-fast lint check format security audit e2e-tools lighthouse bench bench-scale bench-desk bench-my-desk bench-numbers

# pip >= 25.3 for --build-constraint: XStatic-Bootstrap's sdist needs an older setuptools to build.
$(VENV)/.installed: requirements.txt build-constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.3"
	$(PIP) install --quiet --build-constraint build-constraints.txt -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# DEBUG is off unless set (production is the default): these are for a developer's machine.
demo run check: export DEBUG ?= 1

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py ensure_superuser
	$(PY) manage.py seed_demo

# Every process of `run` (the demo data, the worker, the server) reads one SITE_URL: links in
# emails follow HOST and PORT unless SITE_URL is set in the environment.
run: export SITE_URL ?= http://$(HOST):$(PORT)
# The task worker (enquiry emails) runs beside the web server and stops with it. --no-reload:
# the reloader's child would outlive the trap and go on sending with the old settings.
run: demo
	@echo "Site:  $(SITE_URL)/"
	@echo "Admin: $(SITE_URL)/admin/ (admin / admin-dev-only unless DJANGO_SUPERUSER_* are set)"
	@echo "Emails are printed here (console backend) unless EMAIL_HOST is set."
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests' offline checkers (axe-core, the Nu validator, Lighthouse) come from npm.
e2e/node_modules/.installed: e2e/package.json e2e/package-lock.json
	npm ci --prefix e2e --no-audit --no-fund --loglevel=error
	touch $@

e2e-tools: e2e/node_modules/.installed

test: install-dev e2e-tools
	$(PY) -m pytest $(PYTEST_ARGS)

# While you work: everything but the browser tests, on the database kept from the last run.
test-fast: install-dev
	$(PY) -m pytest -m "not e2e" --reuse-db $(PYTEST_ARGS)

# Lighthouse (mobile) on the home, job list, job and enquiry pages of a production-like server.
lighthouse: demo e2e-tools
	$(PY) scripts/lighthouse.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# --database: also that the search index's triggers survived the migrations (jobs.E001).
check: install-dev
	$(PY) manage.py check --database default
	$(PY) manage.py makemigrations --check --dry-run

# bandit fails on a medium or high finding not explained inline (# nosec with a reason).
security: install-dev
	$(VENV)/bin/bandit -q -r accounts candidates jobs outbox pipeline placements recruitment -x '*/tests/*,*/migrations/*' -ll

# Known vulnerabilities of every pin (the OSV database; OSV_API_URL to change) and pins that
# lag the newest patch release of their series (the package index). Needs internet access;
# a source it cannot reach fails the audit (exit 2), never passes it.
audit: install-dev
	$(PY) scripts/audit_pins.py requirements.txt requirements-dev.txt

# Throughput against the framework's ceiling (BENCH_VACANCIES, default 10,000). Prints, never fails.
bench: install-dev
	$(PY) scripts/bench.py

# Search at 100,000 vacancies and the admin at 1,000,000 candidates (BENCH_SCALE_*). Minutes.
bench-scale: install-dev
	$(PY) scripts/bench_scale.py

# A vacancy's pipeline board with 500 candidates, on SQLite (and PostgreSQL with DATABASE_URL).
bench-desk: install-dev
	$(PY) scripts/bench_desk.py

# "My desk" for a consultant with 200 vacancies and 20,000 pipeline entries (BENCH_DESK_*).
# Prints the median of 30 visits with the test client; never fails.
bench-my-desk: install-dev
	$(PY) scripts/bench_desk_page.py

# The agency's numbers for a year: 1,000,000 stage moves, 5,000 placements. Minutes.
bench-numbers: install-dev
	$(PY) scripts/bench_numbers.py

# Two app servers, a worker, PostgreSQL, Redis, a local S3 and (if installed) nginx: see DEPLOY.md.
run-scaled: install-dev
	bash scripts/run-scaled.sh
