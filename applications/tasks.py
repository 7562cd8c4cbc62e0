"""Background work of the applications app: e-mails to applicants, queued after the transaction commits."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from contest import emails


def recipients(application):
    emails = [application.owner.email, *(u.email for u in application.editors.all()), application.contact_email]
    seen, result = set(), []
    for email in emails:
        key = (email or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(email)
    return result


@task
def send_status_email(application_id, status, reason="", note=""):
    from .models import Application, Status
    from .receipts import receipt_filename, receipt_pdf

    application = Application.objects.select_related("edition", "category", "owner").get(pk=application_id)
    context = {"application": application, "status": Status(status), "reason": reason, "note": note}
    message = emails.message("applications/email/status", context, recipients(application))
    if status == Status.SUBMITTED:
        with translation.override(settings.LANGUAGE_CODE):
            message.attach(receipt_filename(application), receipt_pdf(application), "application/pdf")
    message.send()
