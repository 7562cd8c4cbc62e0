"""Named querysets of the public result pages, each read through results.visibility at one moment `at`, with the
prefetching that keeps their query count independent of the number of laureates."""

from django.db.models import Case, Count, F, Prefetch, Q, Value, When
from django.utils.translation import gettext_lazy as _

from contest.models import Category, Edition, TerritorialUnit

from .models import PublicFile, PublishedEntry, PublishedPartner
from .text import search_terms
from .visibility import public_edition_years, public_entries

Kind = TerritorialUnit.Kind
# The archive's "type of unit" filter: the five kinds of local government a reader knows, from the register's
# kinds. A city with county rights is a gmina miejska that also does a powiat's work, so it is found under both.
UNIT_TYPES = {
    "urban": (_("urban municipality"), (Kind.URBAN, Kind.CITY_COUNTY)),
    "rural": (_("rural municipality"), (Kind.RURAL,)),
    "urban_rural": (_("urban-rural municipality"), (Kind.URBAN_RURAL,)),
    "county": (_("county (powiat)"), (Kind.COUNTY, Kind.CITY_COUNTY)),
    "voivodeship": (_("voivodeship"), (Kind.VOIVODESHIP,)),
}

# Laureates before distinctions, by place (entries with a tier instead of a place after the placed ones).
AWARD_ORDER = (
    Case(When(outcome=PublishedEntry.Outcome.LAUREATE, then=Value(0)), default=Value(1)),
    F("place").asc(nulls_last=True),
    "prize_tier",
    "order",
    "id",
)


def public_editions_now(at):
    """[(id, year)] of the editions whose results are public at `at`, newest first: the fingerprint of every
    cached public page and the years the public pages may show."""
    return public_edition_years(at)


def edition(edition_id):
    return Edition.objects.get(pk=edition_id)


def _with_details(queryset, *, files=True):
    partners = PublishedPartner.objects.select_related("voivodeship").order_by("-is_leader", "order", "id")
    queryset = queryset.select_related("edition", "category").prefetch_related(Prefetch("partners", partners))
    if files:
        queryset = queryset.prefetch_related(Prefetch("files", PublicFile.objects.order_by("order", "id")))
    return queryset


def edition_entries(edition_id, at):
    """The awarded entries of one edition in the order of the results page: category, laureates by place (then
    tier), distinctions after them."""
    return _with_details(public_entries(at).filter(edition_id=edition_id)).order_by(
        "category__order", "category_id", *AWARD_ORDER
    )


def entry(edition_id, slug, at):
    return _with_details(public_entries(at).filter(edition_id=edition_id, slug=slug)).first()


def archive_entries(at, *, q="", voivodeship="", unit="", category=None, year=None, outcome=""):
    """Public entries across editions matching the archive's filters (each already validated), newest first."""
    queryset = public_entries(at)
    for term in search_terms(q):
        queryset = queryset.filter(search_text__contains=term)
    partner = Q()
    if voivodeship:
        partner &= Q(voivodeship__woj=voivodeship)
    if unit:
        partner &= Q(unit_kind__in=UNIT_TYPES[unit][1])
    if partner:
        # One partner matches both: "a rural gmina from łódzkie", not "someone rural, someone from łódzkie".
        queryset = queryset.filter(id__in=PublishedPartner.objects.filter(partner).values("entry_id"))
    if category:
        queryset = queryset.filter(category_id=category)
    if year:
        queryset = queryset.filter(edition__year=year)
    if outcome:
        queryset = queryset.filter(outcome=outcome)
    return _with_details(queryset, files=False).order_by("-edition__year", *AWARD_ORDER)


def archive_categories(edition_ids):
    """[(year, [(category id, name)])] of the editions given, for the archive's category filter."""
    groups = {}
    rows = (
        Category.objects.filter(edition_id__in=edition_ids, published_entries__isnull=False)
        .distinct()
        .order_by("-edition__year", "order", "id")
        .values_list("id", "name", "edition__year")
    )
    for pk, name, year in rows:
        groups.setdefault(year, []).append((pk, name))
    return list(groups.items())


def voivodeship_counts(at):
    """{TERC voivodeship code: number of distinct public entries with at least one partner there}."""
    rows = (
        PublishedPartner.objects.filter(entry__in=public_entries(at), voivodeship__isnull=False)
        .values("voivodeship__woj")
        .annotate(entries=Count("entry", distinct=True))
    )
    return {row["voivodeship__woj"]: row["entries"] for row in rows}
