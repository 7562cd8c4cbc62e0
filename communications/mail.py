"""E-mails of the kinds organisers may rewrite: the edition's own text when it has one in the language, else the
file template through contest.emails.message. Callers give the placeholders' values as plain strings."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import override

from contest import emails

from . import placeholders
from .kinds import PLACEHOLDERS, Kind
from .models import EmailTemplate


def language_of(user):
    """The language of e-mails to `user` (None: no account): their choice on the account page, else the site's."""
    return (getattr(user, "email_language", "") or settings.LANGUAGE_CODE) if user else settings.LANGUAGE_CODE


def languages_of(addresses):
    """{lowercased address: language of e-mails} for the accounts among `addresses`, in one query."""
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(email__in=[a.lower() for a in addresses]).values_list(
        "email", "email_language"
    )
    return {email.lower(): language or settings.LANGUAGE_CODE for email, language in found}


def edited_template(edition, kind, language):
    return EmailTemplate.objects.filter(edition=edition, kind=kind, language=language).first()


def render(subject, body, allowed, values):
    """(subject, body) with the placeholders replaced; the subject on one line (a line break makes Django refuse
    the e-mail)."""
    subject = " ".join(placeholders.render(subject, allowed, values).split())
    return subject, placeholders.render(body, allowed, values)


def edited_message(subject, body, allowed, values, to, *, template, kind="", edition=None):
    subject, body = render(subject, body, allowed, values)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        list(to),
        headers=emails.marks(template, kind=kind, edition=edition),
    )


def message(kind, *, edition, values, to, template, context, language=None):
    """The EmailMessage of `kind` for `edition` to `to` in `language` (the site's by default): the edited text with
    `values`, or the file `template` with `context`."""
    kind = Kind(kind)
    language = language or settings.LANGUAGE_CODE
    edited = edited_template(edition, kind, language)
    if edited is None:
        email = emails.message(template, context, to, language=language, edition=edition)
        email.extra_headers[emails.KIND_HEADER] = kind.value
        return email
    with override(language):
        values = {"edition": str(edition), **values}
    return edited_message(
        edited.subject,
        edited.body,
        PLACEHOLDERS[kind],
        values,
        to,
        template=f"communications/{kind.value}",
        kind=kind.value,
        edition=edition,
    )
