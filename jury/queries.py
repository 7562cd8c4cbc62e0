"""Named querysets of the jury app, with their prefetching; views and services read through these."""

from django.db import connections
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

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
        # The rows need the entry's code and category, not its texts (jury.blind reads those by id when it builds
        # the entries); the card needs no order (one per juror and entry), and Scorecard's default one joins three
        # tables.
        .only(
            "member_id",
            "application__code",
            "application__edition_id",
            "application__status",
            "application__category__name",
        )
        .prefetch_related(
            Prefetch(
                "application__scorecards",
                queryset=Scorecard.objects.filter(member=member).order_by().only("application_id", "status"),
            )
        )
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


def unscored(assignments):
    """The assignments among `assignments` still to score: the entry with the jury, no active conflict, no
    submitted scorecard."""
    return (
        assignments.filter(application__status__in=Status.ACCEPTED_FOR_JURY)
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


def unfinished_members(edition):
    """Active members with at least one assigned, openable entry not yet submitted."""
    return active_members(edition).filter(Exists(unscored(Assignment.objects.filter(member=OuterRef("pk")))))


def entries_left(edition):
    """{lowercased e-mail of an active member: how many entries they still have to score}, in one query."""
    rows = (
        unscored(Assignment.objects.filter(member__edition=edition, member__is_active=True))
        .values("member__user__email")
        .annotate(n=Count("pk"))
        .values_list("member__user__email", "n")
    )
    return {email.lower(): n for email, n in rows}


def member_loads(edition):
    return dict(
        JuryMember.objects.filter(edition=edition)
        .annotate(n=Count("assignments", filter=Q(assignments__application__status__in=Status.ACCEPTED_FOR_JURY)))
        .values_list("pk", "n")
    )


def juror_numbers(edition):
    """{member id: n}: each juror of the edition as "Juror n", by the stable JuryMember.number (inactive members keep
    theirs). Exports, score sheets and the ranking name jurors only through it."""
    return dict(JuryMember.objects.filter(edition=edition).values_list("id", "number"))


def submitted_scorecards(edition, member=None):
    """Submitted scorecards of the edition (of one member when given) with their entry's code and category and their
    scores with criteria: the score sheets' data in three queries."""
    from .models import CriterionScore

    cards = Scorecard.objects.filter(member__edition=edition, status=Scorecard.Status.SUBMITTED)
    if member is not None:
        cards = cards.filter(member=member)
    return (
        cards.select_related("application__category")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion_id"
                ),
            )
        )
        .order_by("member_id", "application__code", "application_id")
    )


SCORE_EXPORT_FIELDS = (
    "scorecard__application__code",
    "scorecard__application__category__name",
    "scorecard__member_id",
    "criterion__name",
    "points",
    "criterion__max_points",
    "criterion__weight",
    "scorecard__submitted_at",
)


def score_export_rows(edition):
    """One tuple per juror × entry × criterion of the scorecards that count (jury.queries.counted_scorecards), in one
    query: (code, category, member id, criterion, points, max points, weight, submitted at)."""
    from .models import CriterionScore

    return (
        CriterionScore.objects.filter(scorecard__in=counted_scorecards(edition).values("pk"))
        .order_by("scorecard__application__code", "scorecard__member_id", "criterion__order", "criterion_id")
        .values_list(*SCORE_EXPORT_FIELDS)
    )


def counted_card_packs(edition):
    """One row per counted scorecard (jury.queries.counted_scorecards): (application id, juror number, packed
    points), the last as the database's triggers keep it (Scorecard.packed_points: "criterion id,points,..." with -1
    for no points; "" for a card without scores). A list of tuples from one query that reads no criterion score."""
    rows = (
        counted_scorecards(edition)
        .filter(application__edition=edition)
        .order_by()
        .values_list("application_id", "member__number", "packed_points")
    )
    # Plain values come back from both databases: run the ORM's SQL on a cursor and skip the per-value converters.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def to_score_after(member, application):
    """The member's entries after `application` in the dashboard's order that still lack a submitted scorecard.

    Read through juror_assignments, so an entry they may not open (not accepted, conflicted, unassigned) never
    comes up; whether an organiser signed off its anonymisation is the caller's to ask (jury.blind).
    """
    rows = list(juror_assignments(member))
    after = False
    found = []
    for assignment in rows:
        if assignment.application_id == application.pk:
            after = True
            continue
        if not after:
            continue
        cards = list(assignment.application.scorecards.all())
        if cards and cards[0].status == Scorecard.Status.SUBMITTED:
            continue
        found.append(assignment.application)
    return found


def _openable_assignments(edition):
    """The edition's assignments a juror can work on (active juror, accepted entry, no active conflict), each with
    its scorecard's status ("" for none): the rows the progress totals count."""
    card = Scorecard.objects.filter(member=OuterRef("member"), application=OuterRef("application")).values("status")
    return (
        Assignment.objects.filter(
            member__edition=edition, member__is_active=True, application__status__in=Status.ACCEPTED_FOR_JURY
        )
        .annotate(conflicted=active_conflict_exists(), card=Coalesce(Subquery(card[:1]), Value("")))
        .filter(conflicted=False)
        .order_by()
    )


def _totals(rows, key):
    return {
        row[key]: row
        for row in rows.values(key).annotate(
            assigned=Count("id"),
            submitted=Count("id", filter=Q(card=Scorecard.Status.SUBMITTED)),
            drafts=Count("id", filter=Q(card=Scorecard.Status.DRAFT)),
        )
    }


def juror_totals(edition):
    """{member id: {"assigned", "submitted", "drafts"}} over openable assignments, in one grouped query."""
    return _totals(_openable_assignments(edition), "member_id")


def entry_totals(edition):
    """{application id: {"assigned", "submitted", "drafts"}}: how many of an entry's jurors (active, without a
    conflict) have it and how many submitted their card, in one grouped query."""
    return _totals(_openable_assignments(edition), "application_id")


def last_scoring_activity(edition):
    """{member id: the latest change to any of their scorecards of the edition}, in one grouped query."""
    return dict(
        Scorecard.objects.filter(member__edition=edition)
        .order_by()
        .values("member_id")
        .annotate(last=Max("updated_at"))
        .values_list("member_id", "last")
    )


def organiser_addresses(emails):
    """Those of `emails` that belong to an organiser's (or a superuser's) account, in their order."""
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    found = set(
        get_user_model()
        .objects.annotate(address=Lower("email"))
        .filter(address__in=[e.lower() for e in emails], is_active=True)
        .filter(Q(is_organiser=True) | Q(is_superuser=True))
        .values_list("address", flat=True)
    )
    return [email for email in emails if email.lower() in found]


def members_with_state(edition):
    """The edition's members with what the organisers' members page shows about each: the declaration's date
    (None: not signed), whether they have a second factor, their last login (through select_related) and the load."""
    from allauth.mfa.models import Authenticator

    from .models import ImpartialityDeclaration

    return members(edition).annotate(
        declared_at=Subquery(ImpartialityDeclaration.objects.filter(member=OuterRef("pk")).values("signed_at")[:1]),
        # As accounts.access.has_totp asks: recovery codes alone are no second factor.
        has_second_factor=Exists(Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP)),
    )
