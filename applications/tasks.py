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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.adapters import RESERVED_DOMAIN
from communications import mail
from communications.kinds import Kind, moment
from contest import emails

logger = logging.getLogger(__name__)

# Seconds to wait before the next attempt: about a day in all, then the failure stays in the task results.
RETRY_DELAYS = (60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
# Failures of the connection to the mail server, as smtplib and the socket raise them (refused, timed out, 4xx).
MAIL_SERVER_FAILURES = (OSError, smtplib.SMTPException)


def recipients(application):
    """The application's addresses: owner, co-editors, contact; without an erased account's label (no mailbox)."""
    emails = [application.owner.email, *(u.email for u in application.editors.all()), application.contact_email]
    seen, result = set(), []
    for email in emails:
        key = (email or "").strip().lower()
        if key and key not in seen and key.rpartition("@")[2] != RESERVED_DOMAIN:
            seen.add(key)
            result.append(email)
    return result


def recipients_by_language(application):
    """[(language, addresses)]: the application's people grouped by their language of e-mails, the owner's group
    first; an address without an account (the contact's) goes with the owner."""
    addresses = recipients(application)
    owner_language = mail.language_of(application.owner)
    languages = mail.languages_of(addresses)
    groups = {owner_language: []}
    for address in addresses:
        groups.setdefault(languages.get(address.strip().lower(), owner_language), []).append(address)
    return [(language, to) for language, to in groups.items() if to]


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


def email_kind(status):
    """The kind of e-mail organisers may rewrite for a status change (None: the file template only)."""
    from .models import Status

    if status == Status.SUBMITTED:
        return Kind.RECEIPT
    if status == Status.CORRECTIONS_REQUESTED:
        return Kind.CORRECTIONS
    if status in Status.DECIDED:
        return Kind.OUTCOME
    return None


def placeholder_values(application, status, note, language):
    """The strings an organiser's text of a status e-mail may use (communications.kinds.PLACEHOLDERS)."""
    from .models import Status

    status = Status(status)
    with translation.override(language):
        outcome_message = {
            Status.LAUREATE: _(
                "Congratulations! The competition committee (Komisja Konkursowa) named your partnership a laureate "
                "of the competition."
            ),
            Status.DISTINCTION: _(
                "Congratulations! The competition committee (Komisja Konkursowa) gave your entry a distinction."
            ),
            Status.NOT_AWARDED: _(
                "Thank you for taking part in the competition. This time the committee did not award your entry."
            ),
        }.get(status, "")
        return {
            "code": application.code or "",
            "title": application.title or application.partnership_name,
            "link": emails.absolute_url(reverse("applications:detail", args=[application.pk])),
            "submitted_at": moment(application.submitted_at, language),
            "corrections_note": application.corrections_note,
            "corrections_deadline": moment(application.corrections_deadline, language),
            "outcome": str(status.label),
            "outcome_message": str(outcome_message),
            "citation": note,
        }


def status_message(application, status, reason="", note="", *, language, to):
    from .models import Status

    context = {"application": application, "status": Status(status), "reason": reason, "note": note}
    kind = email_kind(status)
    if kind is None:
        return emails.message("applications/email/status", context, to, language=language, edition=application.edition)
    return mail.message(
        kind,
        edition=application.edition,
        values=placeholder_values(application, status, note, language),
        to=to,
        template="applications/email/status",
        context=context,
        language=language,
    )


@task
def send_status_email(application_id, status, reason="", note="", language=None, attempt=0):
    """One e-mail per language of the application's people (only `language`'s when a retry names it). A group the
    mail server refuses is retried on its own, the others are still sent; the first failure is raised at the end."""
    from .models import Application, Status
    from .receipts import receipt_filename, receipt_pdf

    application = Application.objects.select_related("edition", "category", "owner").get(pk=application_id)
    receipt = None
    if status == Status.SUBMITTED:
        with translation.override(settings.LANGUAGE_CODE):
            receipt = (receipt_filename(application), receipt_pdf(application), "application/pdf")
    failure = None
    for group_language, to in recipients_by_language(application):
        if language and group_language != language:
            continue
        message = status_message(application, status, reason, note, language=group_language, to=to)
        if receipt:
            message.attach(*receipt)
        try:
            send_or_retry(
                message, send_status_email, application_id, status, reason, note, group_language, attempt=attempt
            )
        except MAIL_SERVER_FAILURES as error:
            failure = failure or error
    if failure is not None:
        raise failure


@task
def send_applicant_message(message_id, application_id, attempt=0):
    """The organisers' message `message_id` to the applicants of one application, with its placeholders filled."""
    from communications.kinds import MESSAGE_PLACEHOLDERS
    from communications.models import ApplicantMessage

    from .models import Application

    written = ApplicantMessage.objects.select_related("edition").get(pk=message_id)
    application = Application.objects.select_related("edition", "owner").get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "code": application.code or "",
            "title": application.title or application.partnership_name,
            "edition": str(written.edition),
            "link": emails.absolute_url(reverse("applications:detail", args=[application.pk])),
        }
    message = mail.edited_message(
        written.subject,
        written.body,
        MESSAGE_PLACEHOLDERS,
        values,
        recipients(application),
        template="communications/message",
        kind="message",
        edition=written.edition,
    )
    send_or_retry(message, send_applicant_message, message_id, application_id, attempt=attempt)
