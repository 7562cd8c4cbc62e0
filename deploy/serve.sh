#!/usr/bin/env bash
# `make serve`: the platform as in production on one machine. DEBUG off and every setting from the environment,
# migrations and static files brought up to date, then gunicorn (static files by whitenoise) and the task worker
# (django-tasks-db's db_worker) side by side: when either stops, or on Ctrl-C / SIGTERM, both stop.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

export DJANGO_DEBUG=0
# Queued work (e-mails, announcements) goes through the database to the worker started below.
export DJANGO_TASKS_DATABASE=${DJANGO_TASKS_DATABASE:-1}
export PYTHONUNBUFFERED=1

missing=()
[ -n "${DJANGO_SECRET_KEY:-}" ] || missing+=("DJANGO_SECRET_KEY (e.g. $PY -c 'import secrets; print(secrets.token_urlsafe(50))')")
if [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
  [ -n "${AWS_ACCESS_KEY_ID:-}" ] || missing+=("AWS_ACCESS_KEY_ID (AWS_STORAGE_BUCKET_NAME is set)")
  [ -n "${AWS_SECRET_ACCESS_KEY:-}" ] || missing+=("AWS_SECRET_ACCESS_KEY (AWS_STORAGE_BUCKET_NAME is set)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "make serve: production settings come from the environment, and these are missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "See README.md, 'Deploying'." >&2
  exit 2
fi

export BIND=${BIND:-127.0.0.1:8000}

"$PY" manage.py check --deploy --fail-level ERROR
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py collectstatic --noinput --verbosity 0

# Each child in its own process group, so stopping one stops everything it started.
set -m
"$PY" -m gunicorn --config deploy/gunicorn.conf.py config.wsgi:application &
WEB=$!
"$PY" manage.py db_worker --queue-name '*' --interval "${WORKER_INTERVAL:-1}" &
WORKER=$!
set +m

stop() {
  trap - INT TERM EXIT
  kill -TERM "$WEB" "$WORKER" 2>/dev/null || true
  wait "$WEB" 2>/dev/null || true
  wait "$WORKER" 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT
echo "make serve: gunicorn (pid $WEB) on http://$BIND and the task worker (pid $WORKER); Ctrl-C stops both." >&2
# Whichever stops first (a crash, a kill), the other is stopped too and its status is ours.
set +e
wait -n "$WEB" "$WORKER"
status=$?
set -e
echo "make serve: a process stopped (status $status); stopping the other." >&2
exit "$status"
