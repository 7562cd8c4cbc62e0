# Two commands: `make run` serves the demo on http://127.0.0.1:8000/, `make test` runs every test; `make serve` serves
# as in production.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_WORKERS ?= auto

.PHONY: run serve test setup venv messages demo lint clean system-deps-run system-deps-test lock

# Find Python 3.12+: the pyenv version named in .python-version, else python3.13/3.12/python3 on PATH.
PYTHON_BOOT := $(shell \
  for c in "$$(command -v pyenv >/dev/null && pyenv root)/versions/$$(cat .python-version 2>/dev/null)/bin/python" python3.13 python3.12 python3; do \
    if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then echo "$$c"; break; fi; \
  done)

# Installs exactly what the lock file pins, checked against its hashes (see `make lock`).
$(VENV)/.installed: requirements-test.txt
	@if [ -z "$(PYTHON_BOOT)" ]; then echo "Python 3.12 or newer is needed (Django 6.1). Install it (e.g. 'pyenv install 3.12') and run make again." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.txt
	@touch $@

# System packages (gettext, Pango, and Chromium for the browser tests): installed when root with apt, else the exact command.
system-deps-run:
	@bash .ci/system-deps.sh run
system-deps-test:
	@bash .ci/system-deps.sh test

# Refresh the lock files after changing the ranges in pyproject.toml (runtime: requirements.txt; with tests: requirements-test.txt).
lock: venv
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --extra test -o requirements-test.txt pyproject.toml

venv: $(VENV)/.installed

messages: venv system-deps-run
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then $(MANAGE) compilemessages --ignore=.venv --verbosity 0; fi

setup: venv messages
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_teryt

demo: setup
	$(MANAGE) seed_demo

run: demo
	$(MANAGE) runserver 127.0.0.1:8000

# As in production on one machine: DEBUG off, settings from the environment (DJANGO_SECRET_KEY at least), gunicorn
# and the task worker together (deploy/serve.sh; README "Deploying").
serve: venv messages
	@bash deploy/serve.sh

test: system-deps-test venv messages
	$(PY) -m ruff check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 private-media
