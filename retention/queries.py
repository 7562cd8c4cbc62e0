"""What retention would act on (the plan the daily run and its dry run share) and the organisers' report per edition."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from applications.models import Application, Attachment, Status

from . import schedule as sched
from .models import RetentionPolicy


def drafts(edition):
    """Applications never submitted: drafts, and drafts withdrawn before submission."""
    return Application.objects.filter(
        edition=edition, submitted_at__isnull=True, status__in=Status.NEVER_SUBMITTED
    )


def contacts(edition):
    """Submitted entries not awarded whose contact data has not been anonymised yet. An entry with a published
    record stays whatever its status says."""
    return (
        Application.objects.filter(edition=edition, submitted_at__isnull=False, anonymised_contact__isnull=True)
        .exclude(status__in=Status.AWARDED)  # their data stays as published
        .filter(published_entry__isnull=True)
    )


def stored_files(applications):
    """The storage names of the applications' files: each original and its jurors' copy, if one was made."""
    names = []
    for original, copy in Attachment.objects.filter(application__in=applications).values_list("file", "jury_copy"):
        names.extend(name for name in (original, copy) if name)
    return names


def policy_of(edition):
    """The edition's policy; an unsaved one with the defaults when the organisers have not opened it yet."""
    try:
        return edition.retention_policy
    except RetentionPolicy.DoesNotExist:
        return RetentionPolicy(edition=edition)


@dataclass
class Plan:
    """What a run at `at` does to one edition: the same object for a dry run and a real one."""

    edition: object
    hold: str = ""
    draft_ids: list = field(default_factory=list)
    file_names: list = field(default_factory=list)
    contact_ids: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.draft_ids or self.contact_ids)


def plan(edition, at=None):
    at = at or timezone.now()
    policy = policy_of(edition)
    result = Plan(edition=edition, hold=sched.hold(edition, policy, at))
    if result.hold:
        return result
    if sched.drafts_due(edition, policy, at):
        result.draft_ids = list(drafts(edition).order_by("pk").values_list("pk", flat=True))
        result.file_names = stored_files(result.draft_ids)
    if sched.contacts_due(edition, policy, at):
        result.contact_ids = list(contacts(edition).order_by("pk").values_list("pk", flat=True))
    return result


@dataclass(frozen=True)
class Report:
    """The organisers' view of an edition's personal data: what is held, what falls due when, what the next run does."""

    policy: object
    schedule: object
    accounts: int
    applications_with_personal_data: int
    files: int
    drafts: int
    draft_files: int
    contacts: int
    next_run: Plan


def report(edition, at=None):
    at = at or timezone.now()
    policy = policy_of(edition)
    accounts = (
        get_user_model()
        .objects.filter(
            Q(owned_applications__edition=edition)
            | Q(coedited_applications__edition=edition)
            | Q(jury_memberships__edition=edition)
        )
        .distinct()
        .count()
    )
    applications = Application.objects.filter(edition=edition, anonymised_contact__isnull=True)
    draft_ids = list(drafts(edition).values_list("pk", flat=True))
    files = Attachment.objects.filter(application__edition=edition).aggregate(
        originals=Count("pk"), copies=Count("pk", filter=~Q(jury_copy=""))
    )
    return Report(
        policy=policy,
        schedule=sched.schedule(edition, policy),
        accounts=accounts,
        applications_with_personal_data=applications.count(),
        files=files["originals"] + files["copies"],
        drafts=len(draft_ids),
        draft_files=len(stored_files(draft_ids)),
        contacts=contacts(edition).count(),
        next_run=plan(edition, at),
    )
