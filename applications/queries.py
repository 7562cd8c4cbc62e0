"""Named querysets of applications, with the prefetching each page needs."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from .models import Application, Attachment, CoEditorInvitation, Partner, Status

PARTNERS_WITH_UNITS = Prefetch("partners", queryset=Partner.objects.select_related("territorial_unit"))
ATTACHMENTS_WITH_REQUIREMENTS = Prefetch("attachments", queryset=Attachment.objects.select_related("requirement"))


def for_user(user):
    """Applications the user owns or co-edits."""
    if not user.is_authenticated:
        return Application.objects.none()
    coedited = Application.editors.through.objects.filter(application_id=OuterRef("pk"), user_id=user.pk)
    return Application.objects.filter(Q(owner=user) | Exists(coedited))


def dashboard(user):
    return (
        for_user(user)
        .select_related("edition", "category")
        .prefetch_related(PARTNERS_WITH_UNITS)
        .order_by("-edition__year", "-created_at")
    )


def pending_invitations(user):
    """Co-editor invitations sent to the user's (verified) address and not used yet: shown on the dashboard, so
    someone who registered after being invited does not need the e-mail link again."""
    return (
        CoEditorInvitation.objects.filter(
            email__iexact=user.email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .exclude(application__owner=user)
        .exclude(application__editors=user)
        .select_related("application", "invited_by")
        .order_by("-created_at")
    )


def application_detail(queryset=None):
    queryset = queryset if queryset is not None else Application.objects.all()
    return queryset.select_related("edition", "category", "owner").prefetch_related(
        PARTNERS_WITH_UNITS,
        ATTACHMENTS_WITH_REQUIREMENTS,
        "indicators",
        "declarations",
        "editors",
        "edition__attachment_requirements",
    )


def organiser_list(edition, *, category=None, status=None, voivodeship=None, search=""):
    """Applications of an edition that left the draft stage, filtered; the leader's unit is prefetched."""
    queryset = Application.objects.filter(edition=edition).exclude(status=Status.DRAFT)
    if category:
        queryset = queryset.filter(category_id=category)
    if status:
        queryset = queryset.filter(status=status)
    if voivodeship:
        queryset = queryset.filter(partners__is_leader=True, partners__territorial_unit__woj=voivodeship)
    search = (search or "").strip()
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search)
            | Q(title__icontains=search)
            | Q(partnership_name__icontains=search)
            | Q(partners__name__icontains=search)
            | Q(partners__territorial_unit__name__icontains=search)
        )
    if voivodeship or search:
        # Only these filters join the partners (several rows per application); DISTINCT over every column, long
        # texts included, is what made the plain list slow.
        queryset = queryset.distinct()
    return (
        queryset.select_related("category", "owner")
        .prefetch_related(PARTNERS_WITH_UNITS)
        .order_by("sequence", "pk")
    )



# The organisers' list shows a few short columns: rows are plain values, not 100 applications with their long texts.
ORGANISER_ROW_COLUMNS = ("pk", "code", "title", "status", "submitted_at", "category__name")


def organiser_rows(applications):
    """The organiser_list() queryset as rows of ORGANISER_ROW_COLUMNS (dicts), in its order."""
    return applications.prefetch_related(None).select_related(None).values(*ORGANISER_ROW_COLUMNS)


def with_leaders(rows):
    """The rows with each application's status label and leader's name ("" without a leader), in one query."""
    rows = list(rows)
    leaders = {
        partner.application_id: partner.display_name
        for partner in Partner.objects.filter(application_id__in=[row["pk"] for row in rows], is_leader=True)
        .select_related("territorial_unit")
        .order_by("order", "pk")
        .reverse()  # the first leader wins below, as Application.leader picks it
    }
    labels = {value: str(label) for value, label in Status.choices}
    return [
        {**row, "leader": leaders.get(row["pk"], ""), "status_label": labels.get(row["status"], row["status"])}
        for row in rows
    ]
