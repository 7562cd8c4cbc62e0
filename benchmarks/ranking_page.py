"""Benchmark: jury.services.ranking_for() and the ranking page, on a throw-away database, with query counts.

The issue's two figures, each with 7 criteria (mixed maxima and decimal weights, as in benchmarks/ranking.py):

    .venv/bin/python benchmarks/ranking_page.py                  # page: 1,000 entries × 30 jurors (every juror
                                                                 # scores every entry: 210,000 criterion scores)
    .venv/bin/python benchmarks/ranking_page.py --entries 10000 --cards-per-entry 5 --no-page
                                                                 # ranking_for: 10,000 × 5 × 7 (350,000 scores)

Without DATABASE_URL it uses a SQLite file in a temporary folder; with a PostgreSQL DATABASE_URL
(e.g. postgres://postgres@127.0.0.1:5432/slz_bench) it creates and drops the test database "test_<name>", so the
named database is never touched. Targets (issue 9): ranking_for at 10,000 × 5 × 7 under 1 s on PostgreSQL and
under 3 s on SQLite; the page at 1,000 × 30 under 300 ms (2026-12-02, PostgreSQL 15: best 215 ms, median 266 ms,
199 ms CPU here + 60 ms database; before jury migration 0014's pair statistics the database part was 120 ms).
Times are wall clock, best and median of --rounds runs
after one warm-up run, and the median CPU time of this process and of the PostgreSQL backend (their sum is what the
wall time would be on an idle machine); the query count is of the last run.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (max points, weight) of the seven criteria: weights with two decimals, so totals are scaled by 100 internally.
CRITERIA = [(10, "1.00"), (10, "1.50"), (5, "2.00"), (20, "0.50"), (10, "1.25"), (15, "1.00"), (5, "0.75")]


def server_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend (a local server: read from /proc), else 0."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(function, rounds):
    """Best and median wall seconds over `rounds` runs after one warm-up, the median CPU seconds of this process and
    of the database backend (on a shared machine wall time includes waiting for a core; CPU time does not), the last
    result and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    walls, cpus, servers = [], [], []
    for _ in range(rounds):
        server = server_cpu()
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            result = function()
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        servers.append(server_cpu() - server)
    figures = min(walls), statistics.median(walls), statistics.median(cpus), statistics.median(servers)
    return figures, result, len(queries)


def report(label, figures, rounds, queries, extra):
    best, median, cpu, server = figures
    print(
        f"{label}: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms wall of {rounds}; "
        f"CPU {cpu * 1000:.0f} ms here + {server * 1000:.0f} ms database; {queries} queries; {extra}"
    )


def build(n_entries, n_jurors, per_entry, n_criteria, seed):
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application, Status
    from contest.models import Category, Criterion, Edition
    from jury.models import Assignment, CriterionScore, JuryMember, Scorecard

    rng = random.Random(seed)
    now = timezone.now()
    day = timezone.timedelta(days=1)
    edition = Edition.objects.create(
        number=900,
        year=2900,
        is_draft=False,
        call_published_at=now - 200 * day,
        submissions_open_at=now - 190 * day,
        submission_deadline=now - 150 * day,
        formal_review_ends_at=now - 120 * day,
        scoring_starts_at=now - 100 * day,
        scoring_ends_at=now - 10 * day,
        results_at=now + 30 * day,
    )
    categories = [Category.objects.create(edition=edition, name=f"Kategoria {k}", order=k) for k in range(3)]
    criteria = [
        Criterion.objects.create(
            edition=edition, name=f"Kryterium {k}", max_points=max_points, weight=Decimal(weight), order=k
        )
        for k, (max_points, weight) in enumerate((CRITERIA * (n_criteria // len(CRITERIA) + 1))[:n_criteria])
    ]
    owner = User.objects.create_user(email="owner@example.com", password="bench-pass-1")
    organiser = User.objects.create_user(email="organiser@example.com", password="bench-pass-1", is_organiser=True)
    Application.objects.bulk_create(
        (
            Application(
                edition=edition,
                category=categories[k % 3],
                owner=owner,
                status=Status.ACCEPTED,
                code=f"SLZ-2900-{k:05d}",
                sequence=k,
                partnership_name="Partnerstwo",
                title="Tytuł",
            )
            for k in range(1, n_entries + 1)
        ),
        batch_size=2000,
    )
    users = User.objects.bulk_create(
        User(email=f"juror{k}@example.com", full_name=f"Juror {k}") for k in range(1, n_jurors + 1)
    )
    JuryMember.objects.bulk_create(
        JuryMember(edition=edition, user=user, number=k, is_chair=k == 1) for k, user in enumerate(users, start=1)
    )
    members = list(JuryMember.objects.filter(edition=edition).order_by("number"))
    entries = list(Application.objects.filter(edition=edition).order_by("code"))
    pairs = [(m, e) for e in entries for m in (members if per_entry >= n_jurors else rng.sample(members, per_entry))]
    Assignment.objects.bulk_create((Assignment(member=m, application=e) for m, e in pairs), batch_size=5000)
    Scorecard.objects.bulk_create(
        (Scorecard(member=m, application=e, status="submitted", submitted_at=now) for m, e in pairs),
        batch_size=5000,
    )
    leniency = {m.pk: rng.uniform(-0.15, 0.15) for m in members}
    quality = {e.pk: rng.uniform(0.3, 0.9) for e in entries}

    def points(criterion, member_id, entry_id):
        share = min(max(quality[entry_id] + leniency[member_id] + rng.gauss(0, 0.1), 0), 1)
        return round(share * criterion.max_points)

    CriterionScore.objects.bulk_create(
        (
            CriterionScore(scorecard_id=card_id, criterion=criterion, points=points(criterion, member_id, entry_id))
            for card_id, member_id, entry_id in Scorecard.objects.filter(member__edition=edition).values_list(
                "pk", "member_id", "application_id"
            )
            for criterion in criteria
        ),
        batch_size=5000,
    )
    return edition, organiser


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--jurors", type=int, default=30)
    parser.add_argument("--cards-per-entry", type=int, default=None, help="default: every juror scores every entry")
    parser.add_argument("--criteria", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-page", action="store_true", help="time ranking_for() only")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep",
        metavar="FILE",
        help="SQLite only: build the data into FILE once and reuse it in later runs (building takes minutes)",
    )
    parser.add_argument(
        "--frozen", action="store_true", help="freeze the ranking first: the page then compares it with the snapshot"
    )
    parser.add_argument("--profile", action="store_true", help="print where one page view spends its time (cProfile)")
    args = parser.parse_args()
    per_entry = min(args.cards_per_entry or args.jurors, args.jurors)

    work = Path(tempfile.mkdtemp(prefix="slz-ranking-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    kept = Path(args.keep).resolve() if args.keep else None
    reuse = bool(kept and kept.exists())
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{kept or work / 'ranking.db'}")
    os.environ["DJANGO_MEDIA_ROOT"] = str(work / "media")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from jury import services

    postgres = connection.vendor == "postgresql"
    named = connection.settings_dict["NAME"]
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        settings.REQUIRE_MFA_FOR_STAFF = False
        settings.ALLOWED_HOSTS = ["*"]
        started = time.perf_counter()
        if reuse:
            from accounts.models import User
            from contest.models import Edition

            edition, organiser = Edition.objects.get(year=2900), User.objects.get(email="organiser@example.com")
        else:
            edition, organiser = build(args.entries, args.jurors, per_entry, args.criteria, args.seed)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        from jury.models import CriterionScore

        print(
            f"{connection.vendor} {connection.settings_dict['NAME']}: entries={args.entries} jurors={args.jurors} "
            f"cards per entry={per_entry} criteria={args.criteria} criterion scores={CriterionScore.objects.count()} "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        figures, result, queries = timed(lambda: services.ranking_for(edition), args.rounds)
        report(
            "ranking_for",
            figures,
            args.rounds,
            queries,
            f"alpha={result.overall.reliability.alpha:.3f}, cards={len(result.overall.scaled_cards)}",
        )
        if args.frozen and not edition.ranking_snapshots.exists():
            started = time.perf_counter()
            services.freeze_ranking(edition, by=organiser)
            print(f"frozen as a snapshot in {time.perf_counter() - started:.1f} s")
        if not args.no_page:
            client = Client()
            client.force_login(organiser)
            url = f"/jury/{edition.year}/ranking/"
            responses = []

            def page():
                responses.append(client.get(url))
                return responses[-1]

            figures, response, queries = timed(page, args.rounds)
            assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
            report("ranking page", figures, args.rounds, queries, f"{len(response.content)} bytes")
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.runcall(page)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    finally:
        if postgres:
            connection.creation.destroy_test_db(named, verbosity=0)


if __name__ == "__main__":
    main()
