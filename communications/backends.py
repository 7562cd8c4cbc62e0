"""The e-mail backend of the site: hands each message to the real one (the mailer named by `delivery`) and logs
what became of it in SentEmail: accepted by the mail server, or failed with the error's class (never its text,
which can quote addresses or server replies)."""

import logging

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, transaction
from django.utils import timezone

from contest.emails import EDITION_HEADER, HIDE_RECIPIENTS_HEADER, KIND_HEADER, TEMPLATE_HEADER

logger = logging.getLogger(__name__)


def _take_marks(message):
    """The template, kind and edition id the message was marked with, taken off its headers."""
    headers = message.extra_headers
    edition = headers.pop(EDITION_HEADER, None)
    hidden = headers.pop(HIDE_RECIPIENTS_HEADER, None)
    return {
        "hidden": bool(hidden),
        "template": str(headers.pop(TEMPLATE_HEADER, ""))[:100],
        "kind": str(headers.pop(KIND_HEADER, ""))[:30],
        "edition_id": int(edition) if edition and str(edition).isdigit() else None,
    }


def _log(message, marks, status, error=""):
    from .models import SentEmail

    marks = dict(marks)
    recipients = [] if marks.pop("hidden", False) else message.recipients()
    try:
        # A savepoint: a failed insert must not break a caller's transaction, and the e-mail is gone anyway.
        with transaction.atomic():
            SentEmail.objects.create(
                at=timezone.now(),
                recipients=SentEmail.pack(recipients),
                subject=str(message.subject)[:300],
                status=status,
                error=error[:100],
                **marks,
            )
    except DatabaseError:
        logger.exception("The sent-mail log could not record a message (%s)", marks.get("template"))


class LoggingBackend(BaseEmailBackend):
    def __init__(self, *args, delivery="delivery", fail_silently=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery = delivery
        # Django's (deprecated) `send(fail_silently=True)`: the failure is logged, not raised.
        self.fail_silently = fail_silently
        self.inner = None

    def open(self):
        if self.inner is None:
            self.inner = mailers[self.delivery]
        return self.inner.open()

    def close(self):
        if self.inner is not None:
            self.inner.close()

    def send_messages(self, email_messages):
        from .models import SentEmail

        email_messages = list(email_messages)
        if not email_messages:
            return 0
        pending = [(message, _take_marks(message)) for message in email_messages]
        opened_here = self.inner is None
        inner = self.inner or mailers[self.delivery]
        sent = 0
        try:
            if opened_here:
                inner.open()
            while pending:
                message, marks = pending[0]
                count = inner.send_messages([message])
                pending.pop(0)
                _log(
                    message,
                    marks,
                    SentEmail.Status.SENT if count else SentEmail.Status.FAILED,
                    "" if count else "NotSent",
                )
                sent += count
        except Exception as error:
            for message, marks in pending:
                _log(message, marks, SentEmail.Status.FAILED, type(error).__name__)
            if not self.fail_silently:
                raise
        finally:
            if opened_here:
                inner.close()
        return sent
