# Telescope Newsroom. `make run` serves the demo; `make test` runs the whole suite; `make dev` serves
# the code you are changing with autoreload. All of them set everything up on a fresh machine:
# .venv, PostgreSQL (see newsroom/localdb.py).

PYTHON ?= python3
PORT ?= 8000
# auto: load the demo only into the local database that newsroom/localdb.py found or started, never
# into one that DATABASE_URL names; 1: load it wherever (load_demo still refuses a database with
# staff it did not make); 0: never.
DEMO ?= auto
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

SHELL := /bin/bash
# One shell per recipe, so the database address found on its first line reaches the rest; a
# leading @ there keeps the whole recipe quiet.
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c
.PHONY: run dev test bench lint messages setup db

# Export what .env sets and the real environment does not (the real environment wins, as in
# newsroom/settings.py), so the recipes' own defaults below come after both.
LOAD_DOTENV := eval "$$($(PY) -c 'import os, shlex, dotenv; [print("export " + k + "=" + shlex.quote(v)) for k, v in dotenv.dotenv_values(".env").items() if v is not None and k not in os.environ]')"

# Everything `make run` and `make dev` share: database, schema, cache table, demo, static files.
define PREPARE
$(LOAD_DOTENV)
export DATABASE_URL="$$($(PY) -m newsroom.localdb)"
$(PY) manage.py migrate --noinput
$(PY) manage.py createcachetable
case "$(DEMO)" in
  auto) $(PY) manage.py load_demo --if-local; $(PY) manage.py load_wire_demo --if-local ;;
  1) $(PY) manage.py load_demo; $(PY) manage.py load_wire_demo ;;
esac
endef

# The development and test lock includes the production one (requirements.txt).
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Telescope Newsroom needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0] + ". Set PYTHON=python3.11 (or newer).")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)

# The secret key of the local checkout: made once, kept out of git; newsroom/settings.py reads it
# whenever SECRET_KEY is set neither in the environment nor in .env.
.local/secret_key:
	@mkdir -p .local
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

# Production-like: gunicorn, DEBUG off, static files collected; plain http on loopback.
run: $(STAMP) .local/secret_key
	@$(PREPARE)
	export DEBUG="$${DEBUG:-0}" HTTPS="$${HTTPS:-0}" SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"
	$(PY) manage.py collectstatic --noinput --verbosity 0
	echo "Telescope Newsroom: http://127.0.0.1:$(PORT)/  admin: http://127.0.0.1:$(PORT)/admin/  API: http://127.0.0.1:$(PORT)/api/v1/"
	# The job worker (renditions, webhook pushes, scheduled releases, reindexing) runs beside
	# gunicorn; when either stops, or on Ctrl-C, both stop.
	$(PY) manage.py procrastinate worker --concurrency 4 & worker=$$!
	$(VENV)/bin/gunicorn newsroom.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --no-control-socket --access-logfile - & web=$$!
	trap 'kill $$worker $$web 2>/dev/null; wait' EXIT INT TERM
	wait -n $$worker $$web

# For changing the code: Django's development server, reloading on every save, with DEBUG pages.
dev: $(STAMP) .local/secret_key
	@$(PREPARE)
	export DEBUG=1 HTTPS=0 SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"
	echo "Telescope Newsroom (development, autoreload): http://127.0.0.1:$(PORT)/"
	exec $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	@export DATABASE_URL="$$($(PY) -m newsroom.localdb)"
	export SECRET_KEY="test-only-secret-key-not-for-production" DEBUG=0 HTTPS=0
	# The suite never reads a developer's .env.
	export NEWSROOM_ENV_FILE=
	# One plain connection per thread: the live server's threads and the test thread must not share a pool.
	export DATABASE_POOL=0
	export STATIC_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage
	$(VENV)/bin/ruff check --quiet .
	status=0; $(PY) -m pytest $(ARGS) || status=$$?
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure." >&2; exit 1; fi
	exit $$status

bench: $(STAMP) .local/secret_key
	@$(LOAD_DOTENV)
	export DATABASE_URL="$$($(PY) -m newsroom.localdb)"
	export DEBUG=0 HTTPS=0
	$(PY) bench/run.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

messages: $(STAMP)
	$(PY) manage.py makemessages --locale ar --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	$(PY) manage.py compilemessages --locale ar --ignore '.venv/*'
