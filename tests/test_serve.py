"""`make serve` (deploy/serve.sh): production settings from the environment, gunicorn with whitenoise and the task
worker together, JSON logs on standard output, both processes stopped together. Runs the real script on a throw-away
SQLite database and a free port."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "serve.sh"


def _environment(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update(
        {
            "PY": str(ROOT / ".venv" / "bin" / "python"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),  # not the checkout's staticfiles/
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of this test
            "WEB_CONCURRENCY": "2",
            **extra,
        }
    )
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    return env


def test_serve_without_a_secret_stops_with_a_clear_message(tmp_path):
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=_environment(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "these are missing:" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert not (tmp_path / "serve.sqlite3").exists()  # nothing was started or migrated


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_runs_gunicorn_and_the_worker_and_stops_both(tmp_path):
    port = _free_port()
    secret = "tq3V8-xQe_2LrPzN0mWkYb7sFj4HcUaD9gRvE1oTiK6yMnBwZl5"  # a weak one stops make serve
    env = _environment(tmp_path, DJANGO_SECRET_KEY=secret, BIND=f"127.0.0.1:{port}")
    stdout, stderr = open(tmp_path / "out", "w+"), open(tmp_path / "err", "w+")
    serve = subprocess.Popen(["bash", str(SCRIPT)], env=env, stdout=stdout, stderr=stderr, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # migrating a fresh database loads the TERC register
        while True:
            try:
                status, _headers, body = _get(f"{base}/healthz")
                break
            except OSError:
                assert serve.poll() is None, open(tmp_path / "err").read()
                assert time.monotonic() < deadline, "make serve did not answer"
                time.sleep(1)
        assert (status, json.loads(body)["status"]) == (200, "ok")

        status, headers, body = _get(f"{base}/edycje/", {"X-Request-ID": "proxy-id-0001"})
        assert (status, headers["X-Request-ID"]) == (200, "proxy-id-0001")
        # Static files: collected, hashed names, served by whitenoise with a year's cache.
        css = re.search(rb'/static/css/site\.[0-9a-f]{12}\.css', body)
        assert css, "the page links a hashed stylesheet"
        status, headers, _css = _get(base + css.group().decode())
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        assert (tmp_path / "static" / css.group().decode().removeprefix("/static/")).is_file()  # not the checkout's

        time.sleep(1)
        lines = [json.loads(line) for line in open(tmp_path / "out").read().splitlines() if line.startswith("{")]
        access = [line for line in lines if line.get("request_id") == "proxy-id-0001"]
        assert [(line["logger"], line["status"], line["path"]) for line in access] == [
            ("slz.request", 200, "/edycje/")
        ]
        assert any(line["logger"] == "django_tasks_db" for line in lines), "the task worker started"

        pids = re.search(r"gunicorn \(pid (\d+)\).*task worker \(pid (\d+)\)", open(tmp_path / "err").read())
        web, worker = int(pids.group(1)), int(pids.group(2))
        # The worker dies: the web server is stopped with it and the script exits.
        os.kill(worker, signal.SIGKILL)
        serve.wait(timeout=60)
        assert serve.returncode != 0
        assert not _alive(web)
        with pytest.raises(OSError):
            _get(f"{base}/healthz")
    finally:
        if serve.poll() is None:
            serve.terminate()  # the script's trap stops gunicorn and the worker (each in its own process group)
            serve.wait(timeout=60)
