"""The verbs of communications: save or restore an edition's text of an e-mail, preview it. Callers check who."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from contest.audit import record

from . import mail, placeholders
from .kinds import PLACEHOLDERS, Kind, default, sample_values
from .models import EmailTemplate


def current(edition, kind, language):
    """(subject, body, edited?, text_version) of the text used now for `kind` in `language`."""
    edited = mail.edited_template(edition, kind, language)
    if edited is None:
        return (*default(kind, language), False, "")
    return edited.subject, edited.body, True, text_version(edited)


class StaleText(Exception):
    """The text changed after the page was drawn (another tab, another organiser): nothing was overwritten."""

    def __init__(self, restoring=False):
        if restoring:  # no text of this person's to keep: the page now shows the other one
            message = _(
                "Someone else changed this e-mail's text after you opened the page; the default text was not restored. "
                "The form now shows their text: restore the default again if it should go."
            )
        else:
            message = _(
                "Someone else changed this e-mail's text after you opened the page; nothing was overwritten. Your text "
                "is still in the form: open the page again to see theirs, or save yours again to replace it."
            )
        super().__init__(message)


def text_version(template):
    """What an edit page carries of the text it was drawn from: the moment the edition's text was saved, "" for the
    default text. A save or a restore sent with another version was drawn before someone else's change."""
    if template is None:
        return ""
    return template.updated_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _check_version(edition, kind, language, expected_version, same=None, restoring=False):
    """Lock the stored text (if any) and refuse with StaleText when it is not the one the page was drawn from,
    unless `same(stored)` says the request would leave exactly what is stored (a double click)."""
    stored = EmailTemplate.objects.select_for_update().filter(edition=edition, kind=kind, language=language).first()
    if expected_version is not None and text_version(stored) != expected_version:
        if same is None or not same(stored):
            raise StaleText(restoring)


def save_template(edition, kind, language, *, subject, body, by, expected_version=None):
    """Store the edition's text; raises placeholders.TemplateError (nothing saved) for unknown placeholders, and
    StaleText when `expected_version` (text_version when the page was drawn) is not the stored text's."""
    kind = Kind(kind)
    placeholders.check_subject(subject, PLACEHOLDERS[kind])
    placeholders.check(body, PLACEHOLDERS[kind])
    with transaction.atomic():
        _check_version(
            edition,
            kind,
            language,
            expected_version,
            same=lambda stored: stored is not None and (stored.subject, stored.body) == (subject, body),
        )
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


def restore_default(edition, kind, language, *, by, expected_version=None):
    """Drop the edition's text: the file template is used again. Returns whether there was one. StaleText when
    `expected_version` is not the stored text's (someone saved another text after the page was drawn)."""
    kind = Kind(kind)
    with transaction.atomic():
        _check_version(edition, kind, language, expected_version, same=lambda stored: stored is None, restoring=True)
        deleted, _count = EmailTemplate.objects.filter(edition=edition, kind=kind, language=language).delete()
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
