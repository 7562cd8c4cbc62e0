"""When an edition's retention falls due, and what holds it back: pure functions of the edition's dates, its
retention policy and a moment, in Europe/Warsaw days (as contest.phases does for the phases). Nothing stores a copy.

A period is counted in calendar days in Warsaw: what falls due on a day is done by the first run on that day."""

import calendar
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contest.phases import Phase, phase_at

WARSAW = ZoneInfo("Europe/Warsaw")


def local_day(moment):
    return timezone.localtime(moment, WARSAW).date()


def add_months(day, months):
    """The same day `months` later; the month's last day where it is shorter (31 August + 6 months: 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    drafts_due_on: datetime.date  # drafts never submitted are deleted from this day
    contacts_due_on: datetime.date  # contact data of entries not awarded is anonymised from this day
    appeal_ends_on: datetime.date  # the first day after the appeal window: nothing happens before it

    @property
    def drafts_on(self):
        """The day drafts are actually deleted: their due day, or the end of the appeal window if later."""
        return max(self.drafts_due_on, self.appeal_ends_on)

    @property
    def contacts_on(self):
        return max(self.contacts_due_on, self.appeal_ends_on)


def schedule(edition, policy):
    return Schedule(
        drafts_due_on=add_months(local_day(edition.submission_deadline), policy.draft_months),
        # "N years after the end of the edition's year": kept through 31 December of year + N, anonymised on 1 January.
        contacts_due_on=datetime.date(edition.year + policy.contact_years + 1, 1, 1),
        appeal_ends_on=local_day(edition.results_at) + datetime.timedelta(days=policy.appeal_window_days),
    )


def hold(edition, policy, at):
    """Why nothing of the edition may be deleted or anonymised at `at`, or "" when retention may act.

    Retention acts only on a finished competition: its results published (and not withdrawn) and the appeal window
    after them closed. While submissions, formal review, jury scoring or deliberation run, the record is in use."""
    phase = phase_at(edition, at)
    if phase == Phase.SCORING:
        return _("jury scoring is open")
    if phase not in (Phase.RESULTS, Phase.ARCHIVED):
        return _("the results are not published yet")
    if edition.results_withdrawn_at is not None:
        return _("the results are withdrawn")
    ends_on = schedule(edition, policy).appeal_ends_on
    if local_day(at) < ends_on:
        return _("the appeal window is open until %(day)s") % {
            "day": date_format(ends_on - datetime.timedelta(days=1), "j E Y")
        }
    return ""


def drafts_due(edition, policy, at):
    return not hold(edition, policy, at) and local_day(at) >= schedule(edition, policy).drafts_due_on


def contacts_due(edition, policy, at):
    return not hold(edition, policy, at) and local_day(at) >= schedule(edition, policy).contacts_due_on
