"""Named querysets of the jury app, with their prefetching; views and services read through these."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from applications.models import Application, Status

from .models import Assignment, ConflictOfInterest, JuryMember, Scorecard


def accepted_entries(edition):
    """Entries the jury works on (formally accepted, in jury review or decided), without partners or files."""
    return Application.objects.filter(edition=edition, status__in=Status.ACCEPTED_FOR_JURY).order_by("code", "id")


def members(edition):
    return JuryMember.objects.filter(edition=edition).select_related("user").order_by("-is_chair", "user__email")


def active_members(edition):
    return members(edition).filter(is_active=True)


def active_conflicts(edition):
    return ConflictOfInterest.objects.filter(member__edition=edition, lifted_at__isnull=True)


def active_conflict_exists():
    """An Exists() for querysets over (member, application) pairs."""
    return Exists(
        ConflictOfInterest.objects.filter(
            member=OuterRef("member"), application=OuterRef("application"), lifted_at__isnull=True
        )
    )


def juror_assignments(member):
    """The member's assignments they may open: accepted entries without an active conflict, with their scorecard."""
    return (
        Assignment.objects.filter(member=member, application__status__in=Status.ACCEPTED_FOR_JURY)
        .annotate(conflicted=active_conflict_exists())
        .filter(conflicted=False)
        .select_related("application__category")
        .prefetch_related(Prefetch("application__scorecards", queryset=Scorecard.objects.filter(member=member)))
        .order_by("application__code", "application_id")
    )


def counted_scorecards(edition):
    """Scorecards that count towards results: submitted, still assigned, juror active, no active conflict."""
    return (
        Scorecard.objects.filter(
            member__edition=edition,
            member__is_active=True,
            status=Scorecard.Status.SUBMITTED,
            application__status__in=Status.ACCEPTED_FOR_JURY,
        )
        .annotate(conflicted=active_conflict_exists())
        .filter(conflicted=False)
        .filter(Exists(Assignment.objects.filter(member=OuterRef("member"), application=OuterRef("application"))))
    )


def progress_board(edition):
    """Rows (entry, {member_id: state}) and the members, for the organiser's board; a fixed number of queries."""
    jurors = list(active_members(edition))
    entries = list(accepted_entries(edition).select_related("category").only("id", "code", "category__name"))
    ids = [e.pk for e in entries]
    assigned = set(
        Assignment.objects.filter(member__edition=edition, application_id__in=ids).values_list(
            "member_id", "application_id"
        )
    )
    conflicted = set(
        active_conflicts(edition).filter(application_id__in=ids).values_list("member_id", "application_id")
    )
    cards = {
        (m, a): (status, revision)
        for m, a, status, revision in Scorecard.objects.filter(
            member__edition=edition, application_id__in=ids
        ).values_list("member_id", "application_id", "status", "revision")
    }
    rows = []
    for entry in entries:
        states = []
        for juror in jurors:
            key = (juror.pk, entry.pk)
            if key in conflicted:
                state = "conflict"
            elif key not in assigned:
                state = "none"
            elif key in cards:
                state = cards[key][0]
            else:
                state = "not_started"
            states.append(state)
        rows.append((entry, states))
    return jurors, rows


def unfinished_members(edition):
    """Active members with at least one assigned, openable entry not yet submitted."""
    open_assignments = (
        Assignment.objects.filter(member=OuterRef("pk"), application__status__in=Status.ACCEPTED_FOR_JURY)
        .annotate(conflicted=active_conflict_exists())
        .filter(conflicted=False)
        .exclude(
            Exists(
                Scorecard.objects.filter(
                    member=OuterRef("member"),
                    application=OuterRef("application"),
                    status=Scorecard.Status.SUBMITTED,
                )
            )
        )
    )
    return active_members(edition).filter(Exists(open_assignments))


def member_loads(edition):
    return dict(
        JuryMember.objects.filter(edition=edition)
        .annotate(n=Count("assignments", filter=Q(assignments__application__status__in=Status.ACCEPTED_FOR_JURY)))
        .values_list("pk", "n")
    )
