"""How far each part of an application is, for its tabs: derived from what the application holds, never stored."""

from typing import NamedTuple

from .models import Declaration


class Part(NamedTuple):
    done: int
    total: int

    @property
    def complete(self):
        return self.done >= self.total


def _filled(value):
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def required_form_fields():
    from .services import FORM_FIELDS, OPTIONAL_FIELDS

    return [name for name in FORM_FIELDS if name not in OPTIONAL_FIELDS]


def progress(application):
    """{"edit": Part, "partners": Part, "attachments": Part}: required items done out of those required. The form
    counts its required fields, one indicator and the declarations; the partners count as one item, done when
    the partnership rules hold; attachments count each required type with at least one file."""
    from .services import partner_problems

    required = required_form_fields()
    declared = {d.kind for d in application.declarations.all()}
    form_done = (
        sum(1 for name in required if _filled(getattr(application, name)))
        + (1 if application.indicators.all() else 0)
        + sum(1 for kind in Declaration.Kind.values if kind in declared)
    )
    present = {a.requirement_id for a in application.attachments.all()}
    wanted = [r for r in application.edition.attachment_requirements.all() if r.is_required]
    return {
        "edit": Part(form_done, len(required) + 1 + len(Declaration.Kind.values)),
        "partners": Part(0 if partner_problems(application) else 1, 1),
        "attachments": Part(sum(1 for r in wanted if r.pk in present), len(wanted)),
    }
