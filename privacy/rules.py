"""How long the competition's record keeps an entry's personal data, and what stops an erasure for now.

The period is the edition's retention policy (retention.RetentionPolicy): the day the retention run anonymises the
contact data of entries not awarded is the first day the record no longer needs them, so both say the same date."""

import datetime

from django.utils import timezone

from contest import phases


def retained_until(edition):
    """The last moment the record keeps the contact data of the edition's submitted entries: the end of the day before
    the retention run anonymises them (the edition's policy, counted from the end of the edition's year, and never
    before the appeal window after the latest publication of the results has closed)."""
    from retention import queries, schedule

    policy = queries.policy_of(edition)
    day = schedule.schedule(edition, policy, queries.published_at(edition)).contacts_on
    first_moment = datetime.datetime.combine(day, datetime.time(), tzinfo=schedule.WARSAW)
    return first_moment - datetime.timedelta(seconds=1)


def in_retention(application, at=None):
    """Whether a submitted entry is still part of the record that must be kept (RODO art. 17(3)(b), (d), (e))."""
    if application.submitted_at is None and not application.code:
        return False
    # Before the first moment retention may anonymise (a later fraction of the last second is still that day).
    return (at or timezone.now()) < retained_until(application.edition) + datetime.timedelta(seconds=1)


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
