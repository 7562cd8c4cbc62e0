"""Reminders to jurors with unfinished scorecards, at most once per interval."""

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
    last = ReminderLog.objects.filter(edition=edition).order_by("-sent_at").first()
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
