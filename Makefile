# filmdb: `make run` serves the demo site, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve install install-test install-browser migrate demo test lint self-contained \
	migrations-check format clean replica

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "filmdb needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"

# The browser tests' npm tools (axe-core, vnu-jar, lighthouse) from package-lock.json.
# Install scripts stay off: vnu-jar's would fetch a Java runtime; the machine's Java is used.
install-browser: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

# Browser tests run where Debian's Chromium and npm are installed (apt-get install chromium
# chromium-driver); elsewhere they are skipped, except in CI.
CHROMIUM ?= /usr/bin/chromium
BROWSER_TOOLS := $(if $(and $(wildcard $(CHROMIUM)),$(shell command -v npm)),install-browser)

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo
	$(MANAGE) create_demo_editor

run: demo
	$(MANAGE) runserver $(HOST):$(PORT)

# Production-style: gunicorn with 2 × cores + 1 workers, DEBUG off, static files collected
# and served by WhiteNoise, pages cached in Redis (shared by every worker; REDIS_URL, by
# default the local server). Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see README).
# The access log keeps time, request line, status, size and duration: no address, user
# agent or referrer, so that no visitor's click is kept on disk. Errors go to stderr.
ACCESS_LOG_FORMAT := %(t)s "%(r)s" %(s)s %(b)s %(M)sms
serve: migrate
	DJANGO_DEBUG=0 $(MANAGE) collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=0 REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
		$(BIN)/gunicorn filmdb.wsgi --bind $(HOST):$(PORT) \
		--workers $$(( 2 * $$(nproc) + 1 )) --access-logfile - \
		--access-logformat '$(ACCESS_LOG_FORMAT)'

# A PostgreSQL primary and its streaming replica in a temporary folder on free ports, as the
# replica tests start them (tests/lib/postgres_pair.py); prints their URLs, Ctrl-C ends both.
# Needs Debian's PostgreSQL server programs (/usr/lib/postgresql/*/bin).
replica: install-test
	$(BIN)/python -m tests.lib.postgres_pair

test: install-test $(BROWSER_TOOLS)
	$(BIN)/pytest -n auto --dist loadgroup --no-loadscope-reorder --durations=20

lint: install-test self-contained
	$(MANAGE) check
	$(MAKE) migrations-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# A fresh clone has nothing beside it: no tracked file may read from a sibling folder.
self-contained:
	@! git grep -n -I -e '\.\./shared' -- . ':!package-lock.json' || \
		{ echo "tracked files read from outside the repository: copy those files into tests/data/"; exit 1; }

migrations-check:
	$(MANAGE) makemigrations --check --dry-run

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles node_modules tests/browser/artifacts
