"""Benchmark: the organisers' list of applications at 20 and at 2,000 applications: query count and time.

Uses a throw-away SQLite database (or DATABASE_URL if set) seeded with `seed_demo --applications N`.

    .venv/bin/python benchmarks/organiser_list.py
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"

MEASURE = r"""
import sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.models import User
from applications.models import Application
from contest.models import Edition

edition = Edition.objects.get(year=2026)
client = Client()
client.force_login(User.objects.get(email="organiser@example.com"))
url = f"/wnioski/organizator/{edition.year}/"
client.get(url)  # warm caches (templates, content types)
timings = []
for _ in range(3):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
assert response.status_code == 200
rows = response.content.decode().count("/ocena-formalna/")
dashboard = Client()
dashboard.force_login(User.objects.get(email="applicant1@example.com"))
with CaptureQueriesContext(connection) as dashboard_queries:
    dashboard.get("/wnioski/")
count = Application.objects.filter(edition=edition).exclude(status="draft").count()
print(count, rows, len(queries.captured_queries), min(timings), len(dashboard_queries.captured_queries),
      Application.objects.filter(owner__email="applicant1@example.com").count())
"""


def run(size, env):
    subprocess.run(
        [str(PYTHON), "manage.py", "seed_demo", "--applications", str(size), "--password", "bench-pass-1"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    output = subprocess.run(
        [str(PYTHON), "-c", MEASURE], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    listed, rows, queries, seconds, dashboard_queries, own = output
    return int(listed), int(rows), int(queries), float(seconds), int(dashboard_queries), int(own)


def main():
    work = Path(tempfile.mkdtemp(prefix="slz-list-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{work / 'list.db'}")
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    subprocess.run([str(PYTHON), "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    results = {}
    for size in (20, 2000):
        # The demo has 12 curated, non-draft entries in 2026; --applications adds benchmark entries up to N.
        results[size] = run(size - 12, env)
        listed, rows, queries, seconds, dashboard_queries, own = results[size]
        print(
            f"{listed:5d} applications listed ({rows} rows): {queries} queries, {seconds * 1000:.0f} ms;"
            f" applicant dashboard ({own} applications): {dashboard_queries} queries"
        )
    same = results[20][2] == results[2000][2]
    print("RESULT:", "PASS (same query count)" if same else "FAIL (query count grows)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
