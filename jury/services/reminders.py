"""Reminders to jurors with unfinished scorecards: to all of them at most once per interval (a day by default), to
one juror from the progress board at most once per JUROR_REMINDER_INTERVAL (an hour, counting the batches too)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import phases
from contest.audit import record

from .. import tasks
from ..models import ReminderLog
from ..queries import unfinished_members
from .errors import JuryError


def reminder_interval():
    return datetime.timedelta(hours=getattr(settings, "JURY_REMINDER_INTERVAL_HOURS", 24))


def next_reminder_at(edition):
    last = ReminderLog.objects.filter(edition=edition, member__isnull=True).order_by("-sent_at").first()
    return last.sent_at + reminder_interval() if last else None


def send_reminders(edition, *, by):
    """One e-mail to each juror with unfinished work, at most once per interval."""
    with transaction.atomic():
        # Lock the edition row so two clicks cannot both pass the interval check.
        type(edition).objects.select_for_update().filter(pk=edition.pk).first()
        allowed_at = next_reminder_at(edition)
        if allowed_at and timezone.now() < allowed_at:
            raise JuryError(
                _("Reminders were sent recently. The next can go at %(at)s.")
                % {"at": timezone.localtime(allowed_at).strftime("%Y-%m-%d %H:%M")}
            )
        if not phases.can_score(edition):
            raise JuryError(_("Reminders can be sent only while scoring is open."))
        recipients = list(unfinished_members(edition).values_list("user__email", flat=True))
        log = ReminderLog.objects.create(edition=edition, sent_by=by, recipients=recipients)
        record("jury.reminders_sent", actor=by, target=log, edition=edition, count=len(recipients))
        if recipients:
            transaction.on_commit(lambda: tasks.send_reminders.enqueue(log.pk))
    return recipients


JUROR_REMINDER_INTERVAL = datetime.timedelta(hours=1)


def recently_reminded(edition, members):
    """{member id: when last reminded} for those of `members` sent a reminder, alone or in a batch, within
    JUROR_REMINDER_INTERVAL; one query whatever the number of members (batches within the hour are few)."""
    since = timezone.now() - JUROR_REMINDER_INTERVAL
    by_email = {member.user.email: member.pk for member in members}
    ids = set(by_email.values())
    found = {}
    logs = ReminderLog.objects.filter(edition=edition, sent_at__gt=since).order_by("-sent_at")
    # The recipients are a JSON list, read here rather than searched in SQL (SQLite has no containment test).
    for log in logs.only("sent_at", "member_id", "recipients"):
        reminded = [log.member_id] if log.member_id else [by_email.get(email) for email in log.recipients]
        for pk in reminded:
            if pk in ids:
                found.setdefault(pk, log.sent_at)
    return found


def last_reminded_at(member):
    """When `member` was last sent a reminder within JUROR_REMINDER_INTERVAL; None if not."""
    return recently_reminded(member.edition, [member]).get(member.pk)


def send_reminder(member, *, by):
    """One reminder e-mail to one juror with unfinished work (the batch's template and task), at most once per
    JUROR_REMINDER_INTERVAL; the juror's e-mail address is in the log, not in the audit trail."""
    with transaction.atomic():
        # The edition row first, as the daily batch (send_reminders) locks it: a batch and a reminder to one juror
        # never both pass their interval checks. Then the member row, so two clicks cannot both pass either.
        type(member.edition).objects.select_for_update().filter(pk=member.edition_id).first()
        type(member).objects.select_for_update().filter(pk=member.pk).first()
        if not member.is_active:
            raise JuryError(_("This juror is not active in this edition."))
        if not phases.can_score(member.edition):
            raise JuryError(_("Reminders can be sent only while scoring is open."))
        last = last_reminded_at(member)
        if last is not None:
            raise JuryError(
                _("%(name)s was reminded at %(at)s. Another reminder can go at %(next)s.")
                % {
                    "name": member.user.get_full_name() or member.user.email,
                    "at": timezone.localtime(last).strftime("%H:%M"),
                    "next": timezone.localtime(last + JUROR_REMINDER_INTERVAL).strftime("%H:%M"),
                }
            )
        if not unfinished_members(member.edition).filter(pk=member.pk).exists():
            raise JuryError(_("This juror has no unfinished scorecards: there is nothing to remind of."))
        log = ReminderLog.objects.create(
            edition=member.edition, member=member, sent_by=by, recipients=[member.user.email]
        )
        record("jury.reminder_sent", actor=by, target=log, edition=member.edition, member=member.pk)
        transaction.on_commit(lambda: tasks.send_reminders.enqueue(log.pk))
    return log
