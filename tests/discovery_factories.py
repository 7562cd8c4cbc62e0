"""Rows for the discovery tests (feed, sitemap, calendar, open data): an edition whose results come at a chosen
second, published entries with real TERC partners, and a clock the views read."""

import datetime
import itertools

from django.utils import timezone

from contest.models import TerritorialUnit
from results.models import PublishedEntry, PublishedPartner
from tests import factories

DAY = datetime.timedelta(days=1)
_years = itertools.count(3000)


def edition_with_results_at(results_at, **extra):
    """A published edition in deliberation until `results_at` (whole second), every earlier date well before it."""
    results_at = results_at.replace(microsecond=0)
    dates = {
        "call_published_at": results_at - 300 * DAY,
        "submissions_open_at": results_at - 290 * DAY,
        "submission_deadline": results_at - 200 * DAY,
        "formal_review_ends_at": results_at - 170 * DAY,
        "scoring_starts_at": results_at - 160 * DAY,
        "scoring_ends_at": results_at - 100 * DAY,
        "results_at": results_at,
        "archived_at": None,
    }
    year = extra.pop("year", None) or next(_years)
    return factories.EditionFactory(**{"is_draft": False, "year": year, "number": year - 1900, **dates, **extra})


def published_entry(edition, slug, *, outcome="laureate", place=1, partners=("0201011", "0201022"), category=None,
                    **fields):
    """A PublishedEntry of `edition` with its application and partners (TERC codes; the first one leads)."""
    category = (
        category or edition.categories.first() or factories.CategoryFactory(edition=edition, name="Partnerstwa gmin")
    )
    application = factories.ApplicationFactory(edition=edition, category=category, status="jury_review")
    defaults = {
        "partnership_name": "Partnerstwo Gmin Doliny Bobru",
        "title": "Wspólny transport gminny",
        "public_summary": "Gminy uruchomiły wspólną sieć autobusów.",
        "citation": "Za wzorową współpracę.",
        "leader_name": "",
    }
    entry = PublishedEntry.objects.create(
        edition=edition,
        application=application,
        category=category,
        slug=slug,
        outcome=outcome,
        place=place if outcome == "laureate" else None,
        **{**defaults, **fields},
    )
    for order, code in enumerate(partners):
        unit = TerritorialUnit.objects.get(code=code)
        PublishedPartner.objects.create(
            entry=entry,
            name=unit.name,
            unit=unit,
            voivodeship=TerritorialUnit.objects.get(code=unit.woj),
            unit_kind=unit.kind,
            is_leader=order == 0,
            order=order,
        )
    if not entry.leader_name and partners:
        entry.leader_name = entry.partners.first().name
        entry.save(update_fields=["leader_name"])
    return entry


class Clock:
    """The moment every view reads (django.utils.timezone.now), moved by the test."""

    def __init__(self, monkeypatch, moment):
        self.moment = moment
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, moment):
        self.moment = moment


def ensure_info_pages():
    """The information pages the migration seeds, put back if a transactional test elsewhere flushed them."""
    import importlib

    from django.apps import apps

    importlib.import_module("contest.migrations.0008_seed_info_pages").seed(apps, None)
