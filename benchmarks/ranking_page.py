"""Benchmark: jury.services.ranking_for() and the ranking page for 1,000 entries × 30 jurors (every juror scores every
entry, 5 criteria: 30,000 scorecards, 150,000 criterion scores), on a throw-away SQLite database (or DATABASE_URL).

    .venv/bin/python benchmarks/ranking_page.py [entries] [jurors]

Prints the time of ranking_for() and of the page, and the query count of each.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(n_entries=1000, n_jurors=30, n_criteria=5, seed=2026):
    work = Path(tempfile.mkdtemp(prefix="slz-ranking-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'ranking.db'}")
    os.environ["DJANGO_MEDIA_ROOT"] = str(work / "media")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application, Status
    from contest.models import Category, Criterion, Edition
    from jury import services
    from jury.models import Assignment, CriterionScore, JuryMember, Scorecard

    call_command("migrate", verbosity=0)
    settings.REQUIRE_MFA_FOR_STAFF = False
    settings.ALLOWED_HOSTS = ["*"]
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
        Criterion.objects.create(edition=edition, name=f"Kryterium {k}", max_points=10, weight=1 + k % 2, order=k)
        for k in range(n_criteria)
    ]
    owner = User.objects.create_user(email="owner@example.com", password="bench-pass-1")
    organiser = User.objects.create_user(email="organiser@example.com", password="bench-pass-1", is_organiser=True)
    Application.objects.bulk_create(
        Application(
            edition=edition,
            category=categories[k % 3],
            owner=owner,
            status=Status.ACCEPTED,
            code=f"SLZ-2900-{k:04d}",
            sequence=k,
            partnership_name="Partnerstwo",
            title="Tytuł",
        )
        for k in range(1, n_entries + 1)
    )
    users = User.objects.bulk_create(
        User(email=f"juror{k}@example.com", full_name=f"Juror {k}") for k in range(1, n_jurors + 1)
    )
    JuryMember.objects.bulk_create(
        JuryMember(edition=edition, user=user, number=k, is_chair=k == 1) for k, user in enumerate(users, start=1)
    )
    members = list(JuryMember.objects.filter(edition=edition).order_by("number"))
    entries = list(Application.objects.filter(edition=edition).order_by("code"))
    Assignment.objects.bulk_create(Assignment(member=m, application=e) for m in members for e in entries)
    Scorecard.objects.bulk_create(
        (Scorecard(member=m, application=e, status="submitted", submitted_at=now) for m in members for e in entries),
        batch_size=5000,
    )
    leniency = {m.pk: rng.randint(-2, 2) for m in members}
    CriterionScore.objects.bulk_create(
        (
            CriterionScore(
                scorecard_id=card_id,
                criterion=criterion,
                points=max(0, min(10, 5 + leniency[member_id] + rng.randint(-3, 3))),
            )
            for card_id, member_id in Scorecard.objects.filter(member__edition=edition).values_list("pk", "member_id")
            for criterion in criteria
        ),
        batch_size=5000,
    )
    print(f"entries={n_entries} jurors={n_jurors} criteria={n_criteria} scores={CriterionScore.objects.count()}")

    services.ranking_for(edition)  # warm up (imports, caches)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = services.ranking_for(edition)
        elapsed = time.perf_counter() - started
    print(f"ranking_for: {elapsed * 1000:.0f} ms, {len(queries)} queries, alpha={result.overall.reliability.alpha:.3f}")

    client = Client()
    client.force_login(organiser)
    url = f"/jury/{edition.year}/ranking/"
    client.get(url)
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
    assert response.status_code == 200, response.status_code
    size = len(response.content)
    print(f"ranking page: {min(timings) * 1000:.0f} ms (best of 3), {len(queries)} queries, {size} bytes")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:3]])
