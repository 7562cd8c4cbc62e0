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


# The organisers' status filter's value for every application, drafts included.
ANY_STATUS = "any"


def organiser_list(edition, *, category=None, status=None, voivodeship=None, search=""):
    """Applications of an edition, filtered; the leader's unit is prefetched. Without a status, drafts are left out
    (the list is the formal review's work); status="draft" shows only them, status="any" everything."""
    queryset = Application.objects.filter(edition=edition)
    if category:
        queryset = queryset.filter(category_id=category)
    if not status:
        queryset = queryset.exclude(status=Status.DRAFT)
    elif status != ANY_STATUS:
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
