"""Background work of the applications app: e-mails to applicants, queued after the transaction commits.

django-tasks-db's worker runs a task once and records a failure; it never retries. An e-mail that cannot reach
the mail server is therefore queued again by the task itself, later each time (RETRY_DELAYS), so a mail server
that is down at the deadline delays the confirmations instead of losing them. Each attempt is its own queued task,
so only one copy is ever waiting and the e-mail is sent once, by the first attempt that reaches the server.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation

from contest import emails

logger = logging.getLogger(__name__)

# Seconds to wait before the next attempt: about a day in all, then the failure stays in the task results.
RETRY_DELAYS = (60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
# Failures of the connection to the mail server, as smtplib and the socket raise them (refused, timed out, 4xx).
MAIL_SERVER_FAILURES = (OSError, smtplib.SMTPException)


def recipients(application):
    emails = [application.owner.email, *(u.email for u in application.editors.all()), application.contact_email]
    seen, result = set(), []
    for email in emails:
        key = (email or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(email)
    return result


def send_or_retry(message, task, *args, attempt):
    """Send `message`; if the mail server cannot be reached, queue `task(*args, attempt=attempt + 1)` after the next
    delay and re-raise, so this attempt is recorded as failed with its reason. A backend that cannot defer (the
    immediate one of development and tests) just raises."""
    try:
        message.send()
    except MAIL_SERVER_FAILURES:
        if attempt >= len(RETRY_DELAYS) or not task.get_backend().supports_defer:
            raise
        delay = RETRY_DELAYS[attempt]
        task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(*args, attempt=attempt + 1)
        logger.warning("The mail server could not be reached (attempt %s); trying again in %s s", attempt + 1, delay)
        raise


@task
def send_status_email(application_id, status, reason="", note="", attempt=0):
    from .models import Application, Status
    from .receipts import receipt_filename, receipt_pdf

    application = Application.objects.select_related("edition", "category", "owner").get(pk=application_id)
    context = {"application": application, "status": Status(status), "reason": reason, "note": note}
    message = emails.message("applications/email/status", context, recipients(application))
    if status == Status.SUBMITTED:
        with translation.override(settings.LANGUAGE_CODE):
            message.attach(receipt_filename(application), receipt_pdf(application), "application/pdf")
    send_or_retry(message, send_status_email, application_id, status, reason, note, attempt=attempt)
