"""The organisers' list of applications: its sort orders, a whitelist of keys each mapped to an ordering the
database does (no key from the request ever reaches order_by), and the selection that bulk actions work on."""

from django.db.models import Case, CharField, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf

from . import formal_checks, queries
from .models import Application, Partner, Status

# Status in the order of an entry's way through the competition, not alphabetically by code.
STATUS_ORDER = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CORRECTIONS_REQUESTED,
    Status.ACCEPTED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.IN_JURY_REVIEW,
    Status.LAUREATE,
    Status.DISTINCTION,
    Status.NOT_AWARDED,
]
DEFAULT_SORT = "code"


def _leader():
    return Partner.objects.filter(application=OuterRef("pk"), is_leader=True).order_by("order", "id")


def _leader_name():
    label = Coalesce(NullIf("name", Value("")), "territorial_unit__name", output_field=CharField())
    return Subquery(_leader().annotate(label=Lower(label)).values("label")[:1])


def _status_rank():
    return Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
        output_field=IntegerField(),
    )


# key: (annotations, ordering expressions); TERC voivodeship codes run in Polish alphabetical order of the names
# (02 dolnośląskie … 10 łódzkie … 24 śląskie, 26 świętokrzyskie …), so ordering by the code is the Polish order.
SORTS = {
    "code": ({}, [F("sequence").asc(nulls_last=True)]),
    "title": ({"sort_title": Lower("title")}, [F("sort_title").asc()]),
    "leader": ({"sort_leader": _leader_name}, [F("sort_leader").asc(nulls_last=True)]),
    "voivodeship": (
        {"sort_woj": lambda: Subquery(_leader().values("territorial_unit__woj")[:1])},
        [F("sort_woj").asc(nulls_last=True)],
    ),
    "category": ({}, [F("category__order").asc(), F("category__name").asc()]),
    "status": ({"sort_status": _status_rank}, [F("sort_status").asc()]),
    "submitted": ({}, [F("submitted_at").asc(nulls_last=True)]),
}


def parse_sort(value):
    """(key, descending) for a sort parameter such as "title" or "-submitted"; anything else is the default order."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def sort(queryset, key, descending=False):
    annotations, ordering = SORTS[key]
    if annotations:
        queryset = queryset.annotate(**{name: make() if callable(make) else make for name, make in annotations.items()})
    if descending:
        ordering = [expression.copy() for expression in ordering]
        for expression in ordering:
            expression.descending = True
    # Ties (and drafts, which have no code) always in the same order.
    return queryset.order_by(*ordering, F("sequence").asc(nulls_last=True), "pk")


def organiser_list(edition, *, sort_by=DEFAULT_SORT, descending=False, **filters):
    return sort(queries.organiser_list(edition, **filters), sort_by, descending)


def selection(edition, ids):
    """The applications of `edition` among `ids` (others are ignored: an id from another edition selects nothing),
    with what a status change and an export read."""
    return (
        Application.objects.filter(edition=edition, pk__in=ids)
        .select_related("category", "owner", "edition")
        .prefetch_related(queries.PARTNERS_WITH_UNITS)
        .order_by(F("sequence").asc(nulls_last=True), "pk")
    )


def neighbours(application):
    """The previous and the next submitted application of the edition by code (None at either end): the formal
    review moves from one entry to the next."""
    if application.sequence is None:
        return None, None
    coded = Application.objects.filter(edition_id=application.edition_id, sequence__isnull=False).only("pk", "code")
    previous = coded.filter(sequence__lt=application.sequence).order_by("-sequence").first()
    following = coded.filter(sequence__gt=application.sequence).order_by("sequence").first()
    return previous, following


def formal_facts(application, checks=None):
    """What the system already knows for the formal review (formal_checks.system_checks, or the `checks` it
    answered): submitted on time, declarations signed, required files present, the partnership's conditions."""
    checks = checks if checks is not None else formal_checks.system_checks(application)
    return list(checks.values())
