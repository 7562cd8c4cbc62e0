"""Background work of the jury: e-mails to jurors, queued after the transaction commits.

Invitations are not here: their link carries a secret token, and a task's arguments are stored by the database
backend, so jury.services renders and sends them in the process after the commit.
"""

from django.tasks import task

from contest import emails


@task
def send_reminders(log_id):
    """One e-mail to each recipient of the reminder batch `log_id` (separately: jurors do not see each other)."""
    from .models import ReminderLog

    log = ReminderLog.objects.select_related("edition").get(pk=log_id)
    for email in log.recipients:
        emails.message("jury/email/reminder", {"edition": log.edition}, [email]).send()
