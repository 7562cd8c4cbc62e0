"""Deploy check: the default mailer is the sent-mail log, so Django's own check (mail.E001) cannot see the mailer
that really delivers; this one looks at it."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks.mail import NON_PRODUCTION_EMAIL_BACKENDS


@register(Tags.mail, deploy=True)
def check_delivery_backend(app_configs, **kwargs):
    mailers = getattr(settings, "MAILERS", {})
    default = mailers.get("default", {})
    if default.get("BACKEND") != "communications.backends.LoggingBackend":
        return []
    alias = default.get("OPTIONS", {}).get("delivery", "delivery")
    backend = mailers.get(alias, {}).get("BACKEND", "")
    if backend not in NON_PRODUCTION_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"The mailer that delivers the e-mails (MAILERS[{alias!r}]) is a development-only backend ({backend}).",
            hint="Use the SMTP backend (unset DJANGO_EMAIL_BACKEND), otherwise e-mail will not be sent.",
            id="communications.E001",
        )
    ]
