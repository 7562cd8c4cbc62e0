"""Background work of the jury: e-mails to jurors, queued after the transaction commits.

Invitations are not here: their link carries a secret token, and a task's arguments are stored by the database
backend, so jury.services renders and sends them in the process after the commit.
"""

from django.conf import settings
from django.tasks import task
from django.urls import reverse

from applications.tasks import MAIL_SERVER_FAILURES
from communications import mail
from communications.kinds import Kind, moment
from contest import emails


@task
def send_reminders(log_id):
    """One e-mail to each recipient of the reminder batch `log_id` (separately: jurors do not see each other)."""
    from .models import ReminderLog
    from .queries import entries_left

    log = ReminderLog.objects.select_related("edition").get(pk=log_id)
    edition = log.edition
    left = entries_left(edition)
    languages = mail.languages_of(log.recipients)
    link = emails.absolute_url(reverse("jury:dashboard", args=[edition.year]))
    # An address the mail server refuses (logged as failed) must not cost the jurors after it their reminder.
    failure = None
    for email in log.recipients:
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
    if failure is not None:
        raise failure
