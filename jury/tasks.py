"""Background work of the jury: e-mails to jurors, queued after the transaction commits.

Invitations are not here: their link carries a secret token, and a task's arguments are stored by the database
backend, so jury.services renders and sends them in the process after the commit.
"""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from accounts.adapters import RESERVED_DOMAIN
from applications.tasks import MAIL_SERVER_FAILURES, RETRY_DELAYS
from communications import mail
from communications.kinds import Kind, moment
from contest import emails, phases

logger = logging.getLogger(__name__)


@task
def send_reminders(log_id, only=None, attempt=0):
    """One e-mail to each recipient of the reminder batch `log_id` (separately: jurors do not see each other).

    The addresses the mail server could not take are tried again later, each time later (applications.tasks'
    RETRY_DELAYS), by a task of their own (`only`: their positions in the batch's list, never the addresses: a queued
    task's arguments are stored, and an erasure replaces the address in the list, not in the queue), so the others are
    never reminded twice; a retry that comes after scoring has closed sends nothing. A retry leaves a juror sent a later
    reminder (another batch, or one from the progress board) to that one, so it never reminds them a second time.
    """
    from .models import ReminderLog
    from .queries import entries_left

    log = ReminderLog.objects.select_related("edition").get(pk=log_id)
    edition = log.edition
    if attempt and not phases.can_score(edition):
        return
    left = entries_left(edition)
    languages = mail.languages_of(log.recipients)
    link = emails.absolute_url(reverse("jury:dashboard", args=[edition.year]))
    # An address the mail server refuses (logged as failed) must not cost the jurors after it their reminder.
    wanted = None if only is None else set(only)
    # A retry leaves a juror sent a later reminder (another batch, or one from the progress board) to that one.
    reminded_later = set()
    if attempt:
        later = ReminderLog.objects.filter(edition=edition, pk__gt=log.pk).values_list("recipients", flat=True)
        reminded_later = {str(email).lower() for recipients in later for email in recipients}
    failure, failed = None, []
    for position, email in enumerate(log.recipients):
        if wanted is not None and position not in wanted:
            continue
        if email.lower() in reminded_later:
            continue  # a later reminder (and its own retries) takes care of this juror
        if email.lower().rpartition("@")[2] == RESERVED_DOMAIN:
            continue  # an erased account's label (privacy.services): no mailbox, no person to remind
        count = left.get(email.lower(), 0)
        if not count:
            continue  # finished since the batch was queued: nothing to remind of
        language = languages.get(email.lower(), settings.LANGUAGE_CODE)
        message = mail.message(
            Kind.REMINDER,
            edition=edition,
            values={
                "entries_left": str(count),
                "scoring_ends_at": moment(edition.scoring_ends_at, language),
                "link": link,
            },
            to=[email],
            template="jury/email/reminder",
            context={"edition": edition, "entries_left": count},
            language=language,
        )
        try:
            message.send()
        except MAIL_SERVER_FAILURES as error:
            failure = failure or error
            failed.append(position)
    if failure is not None:
        if attempt < len(RETRY_DELAYS) and send_reminders.get_backend().supports_defer:
            delay = RETRY_DELAYS[attempt]
            send_reminders.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
                log_id, only=failed, attempt=attempt + 1
            )
            logger.warning("%s reminders not sent (attempt %s); trying again in %s s", len(failed), attempt + 1, delay)
        raise failure
