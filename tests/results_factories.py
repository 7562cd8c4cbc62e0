"""Published results for the public pages' tests, built directly (the publication service has its own tests):
an edition whose results are public, awarded entries with partners from real TERC units, public files."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from contest.models import TerritorialUnit
from results.models import PublicFile, PublishedEntry, PublishedPartner
from results.text import search_form
from tests import factories as f

# Real units of the register: (TERC code, the name a partnership would write).
BOLESLAWIEC = "0201011"  # gmina miejska, dolnośląskie
BOLESLAWIEC_RURAL = "0201022"  # gmina wiejska, dolnośląskie
NOWOGRODZIEC = "0201043"  # gmina miejsko-wiejska, dolnośląskie
BOLESLAWIEC_COUNTY = "0201"  # powiat bolesławiecki
LOWER_SILESIA = "02"  # województwo dolnośląskie
LODZ = "1061011"  # Łódź, gmina miejska, łódzkie
LODZ_CITY_COUNTY = "1061"  # Łódź, miasto na prawach powiatu
ZELOW = "1001083"  # gmina miejsko-wiejska, łódzkie
KLUKI = "1001052"  # gmina wiejska, łódzkie


def to_second(moment=None):
    return (moment or timezone.now()).replace(microsecond=0)


def results_edition(results_at=None, **fields):
    """A published edition whose results are public since `results_at` (by default long ago)."""
    edition = f.EditionFactory(phase="results", **fields)
    if results_at is not None:
        edition.results_at = results_at
        edition.archived_at = results_at + datetime.timedelta(days=90)
        edition.save(update_fields=["results_at", "archived_at"])
    return edition


def unit_name(unit):
    names = {
        TerritorialUnit.Kind.VOIVODESHIP: f"Województwo {unit.name}",
        TerritorialUnit.Kind.COUNTY: f"Powiat {unit.name}",
        TerritorialUnit.Kind.CITY_COUNTY: f"Miasto {unit.name}",
        TerritorialUnit.Kind.URBAN: f"Gmina Miejska {unit.name}",
        TerritorialUnit.Kind.RURAL: f"Gmina {unit.name}",
        TerritorialUnit.Kind.URBAN_RURAL: f"Gmina i Miasto {unit.name}",
    }
    return names.get(unit.kind, unit.name)


def published_entry(
    edition,
    partnership_name="Partnerstwo Doliny Bobru",
    *,
    units=(BOLESLAWIEC, BOLESLAWIEC_RURAL),
    outcome=PublishedEntry.Outcome.LAUREATE,
    place=None,
    prize_tier="",
    category=None,
    title="Wspólny transport gminny",
    public_summary="Gminy uruchomiły wspólną sieć autobusów dla mieszkańców.",
    citation="Za odwagę wspólnego działania.",
    slug=None,
    images=0,
    documents=0,
    order=0,
):
    """An awarded entry as the publication service leaves it: partners with their voivodeships, search text."""
    category = category or f.CategoryFactory(edition=edition)
    # Its status as publication leaves it (an entry out of the competition is never shown: results.visibility).
    application = f.ApplicationFactory(
        edition=edition, category=category, partnership_name=partnership_name, title=title, status=str(outcome)
    )
    units = [TerritorialUnit.objects.get(code=code) for code in units]
    partner_names = [unit_name(unit) for unit in units]
    leader = partner_names[0] if partner_names else ""
    entry = PublishedEntry.objects.create(
        edition=edition,
        application=application,
        category=category,
        slug=slug or search_form(partnership_name).replace(" ", "-")[:120],
        outcome=outcome,
        place=place,
        prize_tier=prize_tier,
        citation=citation,
        partnership_name=partnership_name,
        title=title,
        public_summary=public_summary,
        leader_name=leader,
        search_text=search_form(" ".join([partnership_name, title, public_summary, leader, *partner_names])),
        order=order,
    )
    voivodeships = {u.code: u for u in TerritorialUnit.objects.filter(code__in={unit.woj for unit in units})}
    for index, (unit, name) in enumerate(zip(units, partner_names, strict=True)):
        PublishedPartner.objects.create(
            entry=entry,
            name=name,
            unit=unit,
            voivodeship=voivodeships[unit.woj],
            unit_kind=unit.kind,
            is_leader=index == 0,
            order=index,
        )
    for index in range(images):
        public_file(entry, PublicFile.Kind.IMAGE, label=f"Zdjęcie {index + 1}: {partnership_name}", order=index)
    for index in range(documents):
        public_file(entry, PublicFile.Kind.DOCUMENT, label="Prezentacja projektu", order=images + index)
    return entry


def public_file(entry, kind=PublicFile.Kind.IMAGE, *, label="Zdjęcie", order=0):
    if kind == PublicFile.Kind.IMAGE:
        content, name, mime, size = f.jpeg_bytes(), "zdjecie.jpg", "image/jpeg", (8, 8)
    else:
        content, name, mime, size = f.pdf_bytes("Prezentacja"), "prezentacja.pdf", "application/pdf", (None, None)
    public = PublicFile(
        entry=entry, kind=kind, label=label, mime=mime, size=len(content), width=size[0], height=size[1], order=order
    )
    public.file.save(name, ContentFile(content), save=False)
    public.save()
    return public
