"""Background work of the applications app: e-mails to applicants, queued after the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


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
def send_status_email(application_id, status, reason=""):
    from .models import Application, Status
    from .receipts import receipt_filename, receipt_pdf

    application = Application.objects.select_related("edition", "category", "owner").get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "status": Status(status),
            "reason": reason,
            "site_url": settings.SITE_URL,
        }
        # One line whatever the data holds: a line break in a subject makes Django refuse the whole e-mail.
        subject = " ".join(render_to_string("applications/email/status_subject.txt", context).split())
        body = render_to_string("applications/email/status_body.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients(application))
        if status == Status.SUBMITTED:
            message.attach(receipt_filename(application), receipt_pdf(application), "application/pdf")
    message.send()
