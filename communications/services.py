"""The verbs of communications: save or restore an edition's text of an e-mail, preview it. Callers check who."""

from django.db import transaction

from contest.audit import record

from . import mail, placeholders
from .kinds import PLACEHOLDERS, Kind, default, sample_values
from .models import EmailTemplate


def current(edition, kind, language):
    """(subject, body, edited?) of the text used now for `kind` in `language`."""
    edited = mail.edited_template(edition, kind, language)
    if edited is None:
        return (*default(kind, language), False)
    return edited.subject, edited.body, True


def save_template(edition, kind, language, *, subject, body, by):
    """Store the edition's text; raises placeholders.TemplateError (nothing saved) for unknown placeholders."""
    kind = Kind(kind)
    placeholders.check_subject(subject, PLACEHOLDERS[kind])
    placeholders.check(body, PLACEHOLDERS[kind])
    with transaction.atomic():
        template, created = EmailTemplate.objects.update_or_create(
            edition=edition,
            kind=kind,
            language=language,
            defaults={"subject": subject, "body": body, "updated_by": by},
        )
        record(
            "communications.template_saved",
            actor=by,
            target=template,
            edition=edition,
            kind=kind.value,
            language=language,
            created=created,
        )
    return template


def restore_default(edition, kind, language, *, by):
    """Drop the edition's text: the file template is used again. Returns whether there was one."""
    kind = Kind(kind)
    with transaction.atomic():
        deleted, _ = EmailTemplate.objects.filter(edition=edition, kind=kind, language=language).delete()
        if deleted:
            record(
                "communications.template_restored",
                actor=by,
                edition=edition,
                kind=kind.value,
                language=language,
            )
    return bool(deleted)


def preview(edition, kind, language, subject, body):
    """(subject, body) as a recipient would read them, with sample values; nothing is sent."""
    kind = Kind(kind)
    return mail.render(subject, body, PLACEHOLDERS[kind], sample_values(kind, edition, language))
