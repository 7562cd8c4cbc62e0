"""Demo publication of the finished editions (2024, 2025): their decisions are locked, the public record prepared and
the results published, so the results pages, the archive, the map and the feeds have content on a fresh demo.

Order matters: preparing is refused once results are public, and the seeded timelines put results_at in the past.
So the decisions are locked (which prepares the record through jury's decisions_changed) while results_at is moved
a day ahead for a moment, then the seeded timeline comes back and publish() moves the statuses and sends each
applicant one outcome e-mail. A second seed finds everything locked, prepared and moved: it changes nothing and
sends nothing.
"""

import datetime
from contextlib import contextmanager

from django.utils import timezone

from applications.models import Application, Status
from contest.demo import FINISHED_YEARS
from contest.models import Edition
from jury import services as jury_services
from jury.models import Decision, DecisionLock

from . import services
from .models import PublicFile, PublishedEntry

SEED_CONTEXT = ("editions", "organiser")
LOCK_REASON = "Posiedzenie Komisji Konkursowej zakończone; wyniki zatwierdzone protokołem."


def seed(password="demo", applications=None, jurors=None, stdout=None, editions=None, organiser=None, **_):
    editions = editions or {}
    if organiser is None:
        return {}
    for year in FINISHED_YEARS:
        edition = editions.get(year)
        if edition is not None and Decision.objects.filter(edition=edition, stage="").exists():
            publish_finished(edition, organiser, stdout)
    return {}


@contextmanager
def results_ahead(edition):
    """results_at a day ahead inside the block (the record can be prepared only before the results are public),
    the seeded moment again after it. Written with update(): nothing else of the edition changes."""
    seeded = edition.results_at
    ahead = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    Edition.objects.filter(pk=edition.pk).update(results_at=ahead)
    edition.results_at = ahead
    try:
        yield
    finally:
        Edition.objects.filter(pk=edition.pk).update(results_at=seeded)
        edition.results_at = seeded
        from contest import setup_cache

        setup_cache.bump()


def publish_finished(edition, organiser, stdout=None):
    """Lock, prepare and publish one finished edition; each step only if it has not happened yet."""
    announced = Application.objects.filter(edition=edition, status__in=Status.DECIDED).exists()
    if not DecisionLock.objects.filter(edition=edition, stage="").exists():
        with results_ahead(edition):
            jury_services.lock_decisions(edition, reason=LOCK_REASON, by=organiser)  # prepares the record
    elif not announced and not PublishedEntry.objects.filter(edition=edition).exists():
        with results_ahead(edition):  # locked by a demo seeded before the results app
            services.prepare_publication(edition)
    published = services.publish(edition, by=organiser)
    if stdout is not None:
        entries = PublishedEntry.objects.filter(edition=edition)
        stdout.write(
            f"{edition.year} results: {entries.filter(outcome='laureate').count()} laureates, "
            f"{entries.filter(outcome='distinction').count()} distinctions, "
            f"{PublicFile.objects.filter(entry__edition=edition).count()} public files; "
            f"{getattr(published, 'moved', 0)} entries moved to their outcome now."
        )
    return published
