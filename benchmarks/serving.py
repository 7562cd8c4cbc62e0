"""What the page benchmarks share: free loopback ports, gunicorn started and stopped from this virtualenv, the
production settings on loopback, wrk runs and plain fetches."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(work, redis_url, database="results.db"):
    """The production settings on loopback: DEBUG off, a real secret key, the hosts of loopback, no redirect to
    HTTPS (plain http here; the secure-cookie flags stay on: the servers still read the cookies wrk sends)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{work / database}",
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def start_redis(processes):
    """A throw-away redis-server on loopback (no persistence); returns its URL and adds it to `processes`."""
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    processes.append(redis)
    time.sleep(0.5)
    return f"redis://127.0.0.1:{port}/0"


def start(argv, env, port, url_path):
    process = subprocess.Popen(argv, env=env, cwd=ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{port}{url_path}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{argv[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"{url} did not answer 200 within 30 s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def gunicorn(app, port, workers):
    return [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]


def wrk(url, *, threads, connections, duration, headers=()):
    """(requests per second, non-2xx/3xx responses, socket errors) of one wrk run."""
    argv = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    for header in headers:
        argv += ["-H", header]
    output = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return rate, int(non_2xx[1]) if non_2xx else 0, sum(int(n) for n in errors.groups()) if errors else 0


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()
