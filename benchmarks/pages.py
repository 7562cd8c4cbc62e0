"""Benchmark: the pages of issue 12's speed table under gunicorn (DEBUG off, 2 workers, a SQLite file database,
production settings on loopback), each beside a minimal Django view (benchmarks/minimal/) served the same way in the
same run, loaded by wrk; the rounds alternate between a page and the minimal view.

    .venv/bin/python benchmarks/pages.py [--applications 300] [--jurors 15] [--rounds 3] [--duration 8]
                                         [--connections 16] [--threads 2] [--workers 2] [--redis] [--only NAME]

The data is the demo (`seed_demo --applications N --jurors M`: N applications in the 2026 edition, in jury scoring,
every entry signed off, k jurors per entry). Logged-in roles use a real session made the way a login makes it
(django.contrib.auth.login on a request with the session store, so the login receivers run) with a TOTP
authenticator and the second factor recorded in the session the way allauth records it: the servers run with
REQUIRE_MFA_FOR_STAFF on, as in production. wrk sends the session cookie.

Prints, per page, the throughput of each round, the medians, the ratio to the minimal view against the goal, and
the queries of one request (test client, warm caches) and of the first request (cold caches). Fails on any
non-2xx/3xx response or socket error.
"""

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serving import environment, fetch, free_port, gunicorn, start, start_redis, stop, wrk  # noqa: E402

YEAR = 2026
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seeding only: the servers keep the real hashers
# (name, goal): the table.
GOALS = {
    "home /": 0.5,
    "juror's home": 0.3,
    "juror's dashboard": 0.3,
    "juror's entry page": 0.3,
    "organiser's list": 0.2,
}
# Not a page of the issue: an empty staff page of the project (benchmarks/floor/), served by its own gunicorn. It
# has no goal; it shows the most any logged-in page can reach here.
FLOOR = "logged-in floor"
# The demo's 2026 edition has 12 curated applications (10 accepted); --applications adds accepted ones up to N.
CURATED = 12


def seed(n_applications, n_jurors):
    from django.core.management import call_command
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=MD5):
        call_command(
            "seed_demo",
            applications=max(0, n_applications - CURATED),
            jurors=n_jurors,
            password="bench-pass-1",
            force=True,
            stdout=open("/dev/null", "w"),  # noqa: SIM115 (closed with the process)
        )


def session_cookie(email):
    """A logged-in session of this user that passed the second factor, as the login flow leaves it."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import get_user_model, login
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    user = get_user_model().objects.get(email=email)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"


def pages():
    """{name: (path, cookie or None)} of the measured pages, with the people who see them."""
    from applications.models import Application
    from jury.models import Assignment, JuryMember

    # juror2 is on the jury of three editions, so /jury/ lists them (one edition would redirect to its dashboard).
    multi = JuryMember.objects.filter(user__email="juror2@example.com").count()
    juror = "juror7@example.com"
    assignment = (
        Assignment.objects.filter(member__user__email=juror, member__edition__year=YEAR)
        .select_related("application")
        .order_by("application__code")
        .first()
    )
    assert assignment is not None, "the benchmark juror has no assignment"
    code = assignment.application.code
    assert Application.objects.filter(edition__year=YEAR).count() >= CURATED
    assert multi > 1, "juror2 should be on several juries"
    return {
        "home /": ("/", None),
        "juror's home": ("/jury/", session_cookie("juror2@example.com")),
        "juror's dashboard": (f"/jury/{YEAR}/", session_cookie(juror)),
        "juror's entry page": (f"/jury/{YEAR}/entries/{code}/", session_cookie(juror)),
        "organiser's list": (f"/wnioski/organizator/{YEAR}/", session_cookie("organiser@example.com")),
        FLOOR: ("/_floor/", session_cookie(juror)),
    }


def measure_queries(measured):
    """{name: (status, cold queries, warm queries, bytes)} via the test client with the same sessions."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    cache.clear()
    counted = {}
    for name, (path, cookie) in measured.items():
        client = Client()
        if cookie:
            key, value = cookie.split("=", 1)
            client.cookies[key] = value
        with override_settings(**floor_settings()) if name == FLOOR else contextlib.nullcontext():
            with CaptureQueriesContext(connection) as cold:
                client.get(path)
            with CaptureQueriesContext(connection) as warm:
                response = client.get(path)
        counted[name] = (response.status_code, len(cold), len(warm), len(response.content))
    return counted


def floor_settings():
    from benchmarks.floor import settings

    return {"ROOT_URLCONF": settings.ROOT_URLCONF, "TEMPLATES": settings.TEMPLATES}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--jurors", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", action="store_true", help="a throw-away redis-server as the shared cache")
    parser.add_argument("--only", action="append", help="measure only pages whose name contains this")
    parser.add_argument("--queries-only", action="store_true", help="print the query counts, no load")
    parser.add_argument("--keep", type=Path, help="a folder to keep the seeded database in and reuse (for repeats)")
    options = parser.parse_args()

    work = options.keep or Path(tempfile.mkdtemp(prefix="slz-pages-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    seeded = (work / "pages.db").exists()
    processes = []
    try:
        redis_url = start_redis(processes) if options.redis else ""
        env = environment(work, redis_url, database="pages.db")
        env["REQUIRE_MFA_FOR_STAFF"] = "1"
        env["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        import os

        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # the hashed files DEBUG off serves
        if not seeded:
            call_command("migrate", verbosity=0)  # loads the TERC register too
            seed(options.applications, options.jurors)
        measured = pages()
        if options.only:
            measured = {k: v for k, v in measured.items() if any(word in k for word in options.only)}
        counted = measure_queries(measured)
        from django.db import connections

        connections.close_all()
        print(
            f"demo with {options.applications} applications in {YEAR} and {options.jurors} jurors; "
            f"gunicorn {options.workers} workers, wrk -t{options.threads} -c{options.connections} "
            f"-d{options.duration}s, cache: {'redis' if redis_url else 'local memory per worker'}"
        )
        print("queries (test client; cold = first request after a cache clear, warm = the next one):")
        for name, (code, cold, warm, size) in counted.items():
            print(f"  {name:20} {measured[name][0]:40} {code}  {cold:3} cold, {warm:3} warm  {size:7} bytes")
        bad = [name for name, (code, *_rest) in counted.items() if code != 200]
        if bad:
            raise SystemExit(f"not 200: {', '.join(bad)}")
        if options.queries_only:
            return

        page_port, minimal_port = free_port(), free_port()
        page_server, base = start(gunicorn("config.wsgi:application", page_port, options.workers), env, page_port, "/")
        processes.append(page_server)
        minimal_server, minimal_url = start(
            gunicorn("benchmarks.minimal.wsgi:application", minimal_port, options.workers), env, minimal_port, "/"
        )
        processes.append(minimal_server)
        base = base.rstrip("/")
        bases = dict.fromkeys(measured, base)
        if FLOOR in measured:
            floor_port = free_port()
            floor_server, floor_base = start(
                gunicorn("benchmarks.floor.wsgi:application", floor_port, options.workers), env, floor_port, "/"
            )
            processes.append(floor_server)
            bases[FLOOR] = floor_base.rstrip("/")
        load = {"threads": options.threads, "connections": options.connections}
        for name, (path, cookie) in measured.items():
            headers = {"Cookie": cookie} if cookie else {}
            status, _body = fetch(bases[name] + path, headers)
            assert status == 200, (name, status)
        wrk(minimal_url, duration=2, **load)
        failures = 0
        results = {}
        for name, (path, cookie) in measured.items():
            headers = [f"Cookie: {cookie}"] if cookie else []
            wrk(bases[name] + path, duration=2, headers=headers, **load)  # warm up every worker's caches
            rates = {"page": [], "minimal": []}
            for round_number in range(1, options.rounds + 1):
                for kind, url, sent in (("page", bases[name] + path, headers), ("minimal", minimal_url, [])):
                    rate, non_2xx, errors = wrk(url, duration=options.duration, headers=sent, **load)
                    rates[kind].append(rate)
                    failures += non_2xx + errors
                    print(
                        f"  {name:20} round {round_number} {kind:8} {rate:8.1f} req/s  non-2xx {non_2xx}  "
                        f"socket errors {errors}"
                    )
            page_rate, minimal_rate = statistics.median(rates["page"]), statistics.median(rates["minimal"])
            results[name] = (page_rate, minimal_rate, page_rate / minimal_rate)
        print()
        print("| page | req/s | minimal req/s | ratio | goal | queries (warm) |")
        print("|---|---|---|---|---|---|")
        for name, (page_rate, minimal_rate, ratio) in results.items():
            goal = GOALS.get(name)
            target = f"≥ {goal}× ({'ok' if ratio >= goal else 'below'})" if goal else "(none: the floor)"
            print(f"| {name} | {page_rate:.0f} | {minimal_rate:.0f} | {ratio:.2f}× | {target} | {counted[name][2]} |")
        if failures:
            raise SystemExit(f"{failures} non-2xx responses or socket errors")
    finally:
        for process in reversed(processes):
            stop(process)
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
