# Telescope Newsroom. `make run` serves the demo; `make test` runs the whole suite.
# Both set everything up on a fresh machine: .venv, PostgreSQL (see newsroom/localdb.py).

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

SHELL := /bin/bash
# One shell per recipe, so the database address found on its first line reaches the rest; a
# leading @ there keeps the whole recipe quiet.
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c
.PHONY: run test bench lint messages setup db

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Telescope Newsroom needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0] + ". Set PYTHON=python3.11 (or newer).")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)

# The secret key of the local demo: made once, kept out of git, passed in the environment.
.local/secret_key:
	@mkdir -p .local
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

run: $(STAMP) .local/secret_key
	@export DATABASE_URL="$$($(PY) -m newsroom.localdb)"
	export SECRET_KEY="$${SECRET_KEY:-$$(cat .local/secret_key)}" DEBUG="$${DEBUG:-0}" HTTPS="$${HTTPS:-0}"
	export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	$(PY) manage.py load_wire_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	echo "Telescope Newsroom: http://127.0.0.1:$(PORT)/  admin: http://127.0.0.1:$(PORT)/admin/  API: http://127.0.0.1:$(PORT)/api/v1/"
	# The job worker (webhook pushes, scheduled releases, reindexing) runs beside gunicorn; when
	# either stops, or on Ctrl-C, both stop.
	$(PY) manage.py procrastinate worker --concurrency 4 & worker=$$!
	$(VENV)/bin/gunicorn newsroom.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --no-control-socket --access-logfile - & web=$$!
	trap 'kill $$worker $$web 2>/dev/null; wait' EXIT INT TERM
	wait -n $$worker $$web

test: $(STAMP)
	@export DATABASE_URL="$$($(PY) -m newsroom.localdb)"
	export SECRET_KEY="test-only-secret-key-not-for-production" DEBUG=0 HTTPS=0
	# One plain connection per thread: the live server's threads and the test thread must not share a pool.
	export DATABASE_POOL=0
	export STATIC_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage
	$(VENV)/bin/ruff check --quiet .
	status=0; $(PY) -m pytest $(ARGS) || status=$$?
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure." >&2; exit 1; fi
	exit $$status

bench: $(STAMP) .local/secret_key
	@export DATABASE_URL="$$($(PY) -m newsroom.localdb)"
	export SECRET_KEY="$$(cat .local/secret_key)" DEBUG=0 HTTPS=0
	$(PY) bench/run.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

messages: $(STAMP)
	$(PY) manage.py makemessages --locale ar --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	$(PY) manage.py compilemessages --locale ar --ignore '.venv/*'
