"""Verbs of the contest domain: copying an edition with its set-up."""
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, setup_cache
from .errors import ServiceError
from .models import AttachmentRequirement, Category, ChecklistItem, Criterion, Edition

WARSAW = ZoneInfo("Europe/Warsaw")
COPIED_CHILDREN = [
    (Category, "categories"),
    (Criterion, "criteria"),
    (AttachmentRequirement, "attachment_requirements"),
    (ChecklistItem, "checklist_items"),
]


@transaction.atomic
def copy_edition(source, *, number, year, by=None, shift_dates=True):
    """Start a new edition from an old one: its set-up, never its applications.

    Dates move by whole years so the timeline keeps its shape; the copy starts as a draft. A year or number already
    taken, or dates out of order, raise ServiceError with the reason.
    """
    years = year - source.year
    new = Edition(
        name=source.name,
        number=number,
        year=year,
        theme=source.theme,
        description=source.description,
        is_draft=True,
        min_local_government_partners=source.min_local_government_partners,
        allow_cross_sector_partnership=source.allow_cross_sector_partnership,
        summary_max_length=source.summary_max_length,
        min_justification_length=source.min_justification_length,
        jurors_per_entry=source.jurors_per_entry,
        publish_jury_feedback=source.publish_jury_feedback,
    )
    for field in Edition.DATE_FIELDS:
        value = getattr(source, field)
        if value is not None and shift_dates:
            value = _add_years(value, years)
        setattr(new, field, value)
    try:
        new.full_clean()
        with transaction.atomic():
            new.save()
    except ValidationError as error:
        raise ServiceError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
    except IntegrityError as error:  # the same year or number taken concurrently, after full_clean looked
        raise ServiceError(_("an edition with this number or year already exists.")) from error
    for model, related in COPIED_CHILDREN:
        copies = []
        for child in getattr(source, related).all():
            child.pk = None
            child.id = None
            child.edition = new
            copies.append(child)
        model.objects.bulk_create(copies)
    transaction.on_commit(setup_cache.bump)  # bulk_create sends no post_save
    audit.record("edition.copied", actor=by, target=new, edition=new, source_edition=source.pk)
    return new


def _add_years(value, years):
    """Shift by whole years in Warsaw wall-clock time, so 23:59 stays 23:59 across DST.

    The zone is named, not taken from the active time zone, which a request may have changed.
    """
    local = timezone.localtime(value, WARSAW).replace(tzinfo=None)
    try:
        shifted = local.replace(year=local.year + years)
    except ValueError:  # 29 February into a common year
        shifted = local.replace(year=local.year + years, day=28)
    return timezone.make_aware(shifted, WARSAW)
