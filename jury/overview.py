"""The organiser's home page of an edition, read in a fixed handful of aggregate queries: applications by status
(drafts included), submissions per day, formal review progress, the jury's completion, open conflicts and the dates
ahead. Views render what edition_overview() returns; nothing here writes."""

import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from applications.models import Application, Status
from applications.organiser_queries import STATUS_ORDER
from contest import phases

from .models import Assignment, Scorecard
from .queries import active_conflict_exists, active_conflicts

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")

# Statuses an organiser has decided on formally (accepted or rejected, and everything after an acceptance).
FORMALLY_DECIDED = frozenset({Status.REJECTED}) | Status.ACCEPTED_FOR_JURY


@dataclass(frozen=True)
class JurorProgress:
    number: int
    assigned: int
    submitted: int

    @property
    def percent(self):
        return percent(self.submitted, self.assigned)


@dataclass(frozen=True)
class Overview:
    status_counts: tuple  # (status, label, count) for every status, in STATUS_ORDER
    total: int  # every application, drafts included
    submitted_total: int  # every application that was submitted (not a draft, not withdrawn as a draft)
    per_day: tuple  # (date in Warsaw, submissions that day), days with none left out
    review_waiting: int
    review_corrections: int
    review_decided: int
    jurors: tuple  # JurorProgress per active juror with assignments, by number
    open_conflicts: int
    deadlines: tuple  # (label, moment) still ahead, soonest first
    corrections_due: tuple  # (moment, entries) for corrections still awaited, soonest first

    @property
    def review_total(self):
        return self.review_waiting + self.review_corrections + self.review_decided

    @property
    def review_percent(self):
        return percent(self.review_decided, self.review_total)

    @property
    def jury_assigned(self):
        return sum(j.assigned for j in self.jurors)

    @property
    def jury_submitted(self):
        return sum(j.submitted for j in self.jurors)

    @property
    def jury_percent(self):
        return percent(self.jury_submitted, self.jury_assigned)


def percent(part, whole):
    """A whole percentage, to the nearest (2 of 3 is 67 %), except that 100 % means done and 0 % means none: 199 of
    200 is 99 %, 1 of 300 is 1 %."""
    if not whole:
        return 0
    value = (200 * part + whole) // (2 * whole)
    if part < whole:
        value = min(value, 99)
    if part > 0:
        value = max(value, 1)
    return value


def status_counts(edition):
    counts = dict(
        Application.objects.filter(edition=edition).order_by().values_list("status").annotate(n=Count("id"))
    )
    labels = dict(Status.choices)
    return tuple((status, labels[status], counts.get(status, 0)) for status in STATUS_ORDER)


def submissions_per_day(edition):
    """Submissions per calendar day in Warsaw, by first submission (a resubmission after corrections keeps its
    place)."""
    rows = (
        Application.objects.filter(edition=edition, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=WARSAW))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return tuple((row["day"], row["n"]) for row in rows)


def jury_progress(edition):
    """Per active juror: openable assignments (accepted entry, no active conflict) and how many of those are
    submitted, in one grouped query."""
    submitted = Scorecard.objects.filter(
        member=OuterRef("member"), application=OuterRef("application"), status=Scorecard.Status.SUBMITTED
    )
    rows = (
        Assignment.objects.filter(
            member__edition=edition, member__is_active=True, application__status__in=Status.ACCEPTED_FOR_JURY
        )
        .annotate(conflicted=active_conflict_exists(), done=Exists(submitted))
        .filter(conflicted=False)
        .order_by()
        .values("member__number")
        .annotate(assigned=Count("id"), submitted=Count("id", filter=Q(done=True)))
        .order_by("member__number")
    )
    return tuple(JurorProgress(r["member__number"], r["assigned"], r["submitted"]) for r in rows)


def corrections_due(edition, now):
    rows = (
        Application.objects.filter(
            edition=edition, status=Status.CORRECTIONS_REQUESTED, corrections_deadline__gte=now
        )
        .order_by()
        .values("corrections_deadline")
        .annotate(n=Count("id"))
        .order_by("corrections_deadline")
    )
    return tuple((row["corrections_deadline"], row["n"]) for row in rows[:5])


def upcoming_deadlines(edition, now):
    """The edition's dates still ahead (at most four), soonest first."""
    if edition.archived_at and edition.archived_at <= now:
        return ()
    return tuple((label, moment) for label, moment in edition.timeline() if moment >= now)[:4]


def edition_overview(edition, now=None):
    """Everything the home page shows, in five queries whatever the number of entries or jurors."""
    now = now or timezone.now()
    counts = status_counts(edition)
    by_status = {status: n for status, _label, n in counts}
    total = sum(by_status.values())
    return Overview(
        status_counts=counts,
        total=total,
        submitted_total=total - by_status[Status.DRAFT] - _withdrawn_drafts(edition, by_status),
        per_day=submissions_per_day(edition),
        review_waiting=by_status[Status.SUBMITTED],
        review_corrections=by_status[Status.CORRECTIONS_REQUESTED],
        review_decided=sum(by_status[s] for s in FORMALLY_DECIDED),
        jurors=jury_progress(edition),
        open_conflicts=active_conflicts(edition).filter(application__status__in=Status.CONFLICT_RELEVANT).count(),
        deadlines=upcoming_deadlines(edition, now),
        corrections_due=corrections_due(edition, now),
    )


def _withdrawn_drafts(edition, by_status):
    """Withdrawn entries never submitted are drafts given up, not submissions; only asked when there are any."""
    if not by_status[Status.WITHDRAWN]:
        return 0
    return Application.objects.filter(edition=edition, status=Status.WITHDRAWN, submitted_at__isnull=True).count()


def current_edition(editions, now=None):
    """The edition an organiser most likely works on: the newest one in progress (published, not archived, results
    not yet out), else the newest one."""
    now = now or timezone.now()
    editions = sorted(editions, key=lambda e: e.year, reverse=True)
    working = {
        phases.Phase.ANNOUNCED,
        phases.Phase.SUBMISSIONS,
        phases.Phase.FORMAL_REVIEW,
        phases.Phase.SCORING,
        phases.Phase.DELIBERATION,
    }
    for edition in editions:
        if phases.phase_at(edition, now) in working:
            return edition
    return editions[0] if editions else None

