"""Where an edition stands, in words, for the applicant's dashboard: one sentence, the milestones with the current
one marked, derived from contest.phases at a moment (nothing stored)."""

from typing import NamedTuple

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contest import phases
from contest.phases import Phase

WARSAW = "Europe/Warsaw"


class Step(NamedTuple):
    label: str
    moment: object
    state: str  # "past", "current" or "future"


class Standing(NamedTuple):
    phase: str
    sentence: str
    can_submit: bool
    steps: list


def _when(moment):
    """ "30 stycznia 2027, 23:59" in the active language, Warsaw time."""
    local = timezone.localtime(moment, timezone=_warsaw())
    return formats.date_format(local, "j E Y, H:i")


def _day(moment):
    return formats.date_format(timezone.localtime(moment, timezone=_warsaw()), "j E Y")


def _warsaw():
    from zoneinfo import ZoneInfo

    return ZoneInfo(WARSAW)


def days_left(deadline, at):
    """Calendar days from `at` to the deadline's day in Warsaw: 0 on the last day."""
    return (timezone.localtime(deadline, _warsaw()).date() - timezone.localtime(at, _warsaw()).date()).days


def sentence(edition, phase, at):
    if phase == Phase.SUBMISSIONS:
        days = days_left(edition.submission_deadline, at)
        if days <= 0:
            return _("Submissions are open – the last day: until %(deadline)s today.") % {
                "deadline": timezone.localtime(edition.submission_deadline, _warsaw()).strftime("%H:%M")
            }
        return ngettext(
            "Submissions are open – until %(deadline)s, %(days)s day left.",
            "Submissions are open – until %(deadline)s, %(days)s days left.",
            days,
        ) % {"deadline": _when(edition.submission_deadline), "days": days}
    if phase == Phase.ANNOUNCED:
        return _("The call is published – submissions open on %(date)s.") % {"date": _when(edition.submissions_open_at)}
    if phase == Phase.FORMAL_REVIEW:
        return _("Submissions are closed; the organisers are checking the applications formally until %(date)s.") % {
            "date": _day(edition.formal_review_ends_at)
        }
    if phase == Phase.SCORING:
        return _("The jury is scoring the entries; the results will be announced on %(date)s.") % {
            "date": _day(edition.results_at)
        }
    if phase == Phase.DELIBERATION:
        return _(
            "The jury has finished scoring and the committee is deciding; the results will be announced on %(date)s."
        ) % {"date": _day(edition.results_at)}
    if phase in (Phase.RESULTS, Phase.ARCHIVED) and not phases.results_visible(edition, at):
        return _("Submissions and scoring are over; the results will be announced on this platform.")
    if phase == Phase.RESULTS:
        return _("The edition is finished: the results were announced on %(date)s.") % {
            "date": _day(edition.results_at)
        }
    if phase == Phase.ARCHIVED:
        return _("The edition is finished and archived; its results stay public.")
    return _("The call for this edition is not published yet.")


def standing(edition, at=None):
    at = at or timezone.now()
    phase = phases.phase_at(edition, at)
    milestones = list(edition.timeline())
    passed = [i for i, (_label, moment) in enumerate(milestones) if moment <= at]
    current = passed[-1] if passed else None
    steps = [
        Step(label, moment, "current" if i == current else ("past" if moment <= at else "future"))
        for i, (label, moment) in enumerate(milestones)
    ]
    return Standing(phase, sentence(edition, phase, at), phase == Phase.SUBMISSIONS, steps)
