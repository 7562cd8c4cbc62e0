"""The verbs of retention: change an edition's policy, apply every edition's policy (the daily run), keep the register
of processing activities. Each writes its audit event with ids and counts only, never the data it removes."""

import logging
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, ApplicationVersion, CoEditorInvitation
from applications.services import CONTACT_FIELDS
from contest.audit import record
from contest.models import Edition

from . import queries
from .models import AnonymisedContact, FileToDelete, ProcessingActivity, RetentionPolicy

logger = logging.getLogger(__name__)

POLICY_FIELDS = ("draft_months", "contact_years", "appeal_window_days")
ACTIVITY_FIELDS = (
    "name",
    "purpose",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security_measures",
    "order",
)


def policy_for(edition):
    """The edition's policy, created with the defaults the first time it is needed."""
    policy, _created = RetentionPolicy.objects.get_or_create(edition=edition)
    return policy


@transaction.atomic
def update_policy(edition, *, by, **values):
    """Set the edition's retention periods; saving confirms them (the defaults are the organisers' to confirm)."""
    unknown = sorted(set(values) - set(POLICY_FIELDS))
    if unknown:
        raise TypeError(f"Not a retention setting: {', '.join(unknown)}")
    policy_for(edition)
    policy = RetentionPolicy.objects.select_for_update().get(edition=edition)
    changed = {
        name: {"from": getattr(policy, name), "to": value}
        for name, value in values.items()
        if getattr(policy, name) != value
    }
    for name, value in values.items():
        setattr(policy, name, value)
    policy.confirmed_at, policy.confirmed_by = timezone.now(), by
    policy.full_clean()
    policy.save()
    record("retention.policy_confirmed", actor=by, target=policy, edition=edition, changed=changed)
    return policy


@dataclass(frozen=True)
class Outcome:
    """What one run did (or, in a dry run, would do) to one edition."""

    year: int
    hold: str
    drafts_deleted: int
    files_deleted: int
    contacts_anonymised: int
    files_failed: int = 0

    def line(self):
        """One line per edition, the same for a dry run and the real run that follows it."""
        if self.hold:
            return _("%(year)s: on hold (%(reason)s)") % {"year": self.year, "reason": self.hold}
        text = _(
            "%(year)s: drafts deleted %(drafts)s, files deleted %(files)s, entries with contact data anonymised "
            "%(contacts)s"
        ) % {
            "year": self.year,
            "drafts": self.drafts_deleted,
            "files": self.files_deleted,
            "contacts": self.contacts_anonymised,
        }
        if self.files_failed:
            text += _(", files that could not be deleted %(count)s") % {"count": self.files_failed}
        return text


@dataclass(frozen=True)
class Leftover:
    """Files earlier runs could not delete from storage, deleted (or, in a dry run, to be deleted) by this one."""

    files_deleted: int
    files_failed: int = 0

    def line(self):
        text = _("files left by earlier runs, deleted now: %(count)s") % {"count": self.files_deleted}
        if self.files_failed:
            text += _(", files that could not be deleted %(count)s") % {"count": self.files_failed}
        return text


def apply(at=None, *, dry_run=False):
    """Apply every edition's retention policy at `at` (now by default); in a dry run, only say what would be done.

    Both ask queries.plan; the real run asks it again inside its transaction, with the edition's row locked, so two
    runs at once cannot both act. Files leave storage after the transaction commits: a failed run deletes none."""
    at = at or timezone.now()
    outcomes = []
    # Files an earlier run could not delete: retried first, reported on their own line.
    leftover = list(FileToDelete.objects.order_by("pk").values_list("name", flat=True))
    if leftover:
        deleted = len(leftover) if dry_run else sum(_delete_stored(name) for name in leftover)
        outcomes.append(Leftover(deleted, len(leftover) - deleted))
    for edition in Edition.objects.order_by("year"):
        if dry_run:
            found = queries.plan(edition, at)
            outcomes.append(
                Outcome(edition.year, found.hold, len(found.draft_ids), len(found.file_names), len(found.contact_ids))
            )
        else:
            outcomes.append(_apply_edition(edition, at))
    return outcomes


def _apply_edition(edition, at):
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        found = queries.plan(edition, at)
        if not found.empty:
            FileToDelete.objects.bulk_create(
                [FileToDelete(name=name, since=at) for name in found.file_names], ignore_conflicts=True
            )
            _delete_drafts(found.draft_ids)
            _anonymise_contacts(found.contact_ids, at)
            # The sent-mail log names the same people: it goes with their contact data.
            sent_emails = _delete_sent_emails(edition, at) if found.contact_ids else 0
            record(
                "retention.applied",
                edition=edition,
                drafts_deleted=found.draft_ids,
                files_deleted=len(found.file_names),
                contacts_anonymised=found.contact_ids,
                sent_emails_deleted=sent_emails,
            )
    failed = sum(not _delete_stored(name) for name in found.file_names)
    return Outcome(
        edition.year,
        found.hold,
        len(found.draft_ids),
        len(found.file_names) - failed,
        len(found.contact_ids),
        failed,
    )


def _delete_sent_emails(edition, at):
    from communications.models import SentEmail

    return SentEmail.objects.filter(edition=edition, at__lte=at).delete()[0]


def _delete_drafts(ids):
    # Partners, indicators, attachments' rows, declarations and invitations go with their application (CASCADE).
    Application.objects.filter(pk__in=ids).delete()


def _anonymise_contacts(ids, at):
    if not ids:
        return
    Application.objects.filter(pk__in=ids).update(**dict.fromkeys(CONTACT_FIELDS, ""))
    CoEditorInvitation.objects.filter(application_id__in=ids).update(email="")
    # The frozen versions keep what was submitted, the contact person too: blank it there as well.
    versions = list(ApplicationVersion.objects.filter(application_id__in=ids))
    for version in versions:
        version.snapshot = {**version.snapshot, **{name: "" for name in CONTACT_FIELDS if name in version.snapshot}}
    ApplicationVersion.objects.bulk_update(versions, ["snapshot"], batch_size=500)
    AnonymisedContact.objects.bulk_create([AnonymisedContact(application_id=pk, at=at) for pk in ids])


def _delete_stored(name):
    """Delete a file from storage and its FileToDelete row; False (the row stays for the next run) if storage fails."""
    try:
        default_storage.delete(name)
    except Exception:
        logger.warning("Retention could not delete stored file %s", name, exc_info=True)
        return False
    FileToDelete.objects.filter(name=name).delete()
    return True


# --- the register of processing activities (RODO art. 30) ------------------------------------------------------------


@transaction.atomic
def save_activity(activity, *, by, **values):
    """Create (activity None) or change an entry of the register."""
    unknown = sorted(set(values) - set(ACTIVITY_FIELDS))
    if unknown:
        raise TypeError(f"Not a field of the register: {', '.join(unknown)}")
    created = activity is None
    # Compared with the stored row: a bound form has already copied its values onto the caller's instance.
    activity = ProcessingActivity() if created else ProcessingActivity.objects.select_for_update().get(pk=activity.pk)
    changed = sorted(name for name, value in values.items() if getattr(activity, name) != value)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.updated_by = by
    activity.full_clean()
    activity.save()
    record(
        "retention.activity_added" if created else "retention.activity_changed",
        actor=by,
        target=activity,
        fields=changed,
    )
    return activity
