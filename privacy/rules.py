"""How long the competition's record keeps an entry's personal data, and what stops an erasure for now.

The retention app may later set these per edition; until then one setting (PRIVACY_RECORD_YEARS) holds for all."""

import datetime

from django.conf import settings
from django.utils import timezone

from contest import phases


def record_years():
    return int(getattr(settings, "PRIVACY_RECORD_YEARS", 5))


def retained_until(edition):
    """The end of an edition's retention period for submitted entries: PRIVACY_RECORD_YEARS after the results, on
    the last day of that year (audits of public funds count whole years)."""
    year = timezone.localtime(edition.results_at).year + record_years()
    return timezone.make_aware(datetime.datetime(year, 12, 31, 23, 59, 59))


def in_retention(application, at=None):
    """Whether a submitted entry is still part of the record that must be kept (RODO art. 17(3)(b), (d), (e))."""
    if application.submitted_at is None and not application.code:
        return False
    return (at or timezone.now()) <= retained_until(application.edition)


def still_competing(application, at=None):
    """An entry the organisers still run the competition with: submitted and before its edition's results."""
    from applications.models import Status

    active = Status.IN_FORMAL_REVIEW | {Status.ACCEPTED, Status.IN_JURY_REVIEW}
    return application.status in active and phases.phase_at(application.edition, at) not in (
        phases.Phase.RESULTS,
        phases.Phase.ARCHIVED,
    )


def scoring_open(member, at=None):
    return member.is_active and phases.phase_at(member.edition, at) == phases.Phase.SCORING


def before_scoring(member, at=None):
    """A membership of an edition whose scoring has not begun: the juror has scored nothing there yet."""
    return phases.phase_at(member.edition, at) in (
        phases.Phase.DRAFT,
        phases.Phase.ANNOUNCED,
        phases.Phase.SUBMISSIONS,
        phases.Phase.FORMAL_REVIEW,
    )
