"""An edition's published results as open data: the rows (from results.visibility only), their JSON document, its
JSON Schema, and the CSV (UTF-8 with BOM, `;` between cells, ` | ` between the items of a list cell).

Nothing personal: the public read model holds names of partnerships and units, titles, summaries and citations,
never people, e-mail addresses or telephone numbers.
"""

import csv
import io
import json

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.exports import safe_cell

from .links import absolute, edition_results_path, entry_path
from .models import PublishedEntry, PublishedPartner
from .visibility import public_entries

LIST_SEPARATOR = " | "
CSV_DELIMITER = ";"
TERC_PATTERN = "^[0-9]{2}([0-9]{2}([0-9]{3})?)?$"

# One table: the key (JSON and CSV alike), its description on the documentation page. Partners are a list in JSON
# and three aligned list cells in CSV.
ENTRY_FIELDS = [
    ("slug", _("The entry's stable address within the edition (Polish letters transliterated).")),
    ("url", _("The permanent address of the entry's page.")),
    ("outcome", _("“laureate” or “distinction”.")),
    ("place", _("The place of a laureate (1, 2, …); empty for a distinction or an award without places.")),
    ("prize_tier", _("The prize tier where the edition awards tiers instead of places; otherwise empty.")),
    ("category", _("The competition category.")),
    ("partnership", _("The name of the partnership.")),
    ("leading_unit", _("The name of the leading partner.")),
    ("title", _("The project's title.")),
    ("public_summary", _("The project's summary for publication, written by the applicant.")),
    ("citation", _("The jury's citation.")),
    (
        "partners",
        _(
            "The partners, the leading one first: name, TERC code of a local government (7 digits for a gmina, 4 "
            "for a powiat, 2 for a voivodeship; empty for other partners), kind of unit, voivodeship and its TERC "
            "code, and whether it leads."
        ),
    ),
]
CSV_COLUMNS = [
    "year",
    "edition",
    "category",
    "outcome",
    "place",
    "prize_tier",
    "partnership",
    "leading_unit",
    "title",
    "public_summary",
    "citation",
    "partners",
    "partners_terc",
    "partners_voivodeship",
    "slug",
    "url",
]


def schema(schema_url):
    """The JSON Schema (draft 2020-12) of dane.json."""
    nullable_string = {"type": ["string", "null"]}
    partner = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "terc", "unit_kind", "voivodeship", "voivodeship_terc", "is_leader"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "Name of the partner."},
            "terc": {
                "type": ["string", "null"],
                "pattern": TERC_PATTERN,
                "description": "TERC code (GUS) of a local-government partner: 7 digits for a gmina, 4 for a powiat, "
                "2 for a voivodeship; null for other partners.",
            },
            "unit_kind": {
                "type": "string",
                "description": "Kind of unit: urban, rural, urban_rural, city_county, county, voivodeship, or empty "
                "for partners of other sectors.",
            },
            "voivodeship": {**nullable_string, "description": "Name of the partner's voivodeship."},
            "voivodeship_terc": {"type": ["string", "null"], "pattern": "^[0-9]{2}$"},
            "is_leader": {"type": "boolean", "description": "Whether the partner leads the partnership."},
        },
    }
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": [key for key, _description in ENTRY_FIELDS],
        "properties": {
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "url": {"type": "string", "format": "uri"},
            "outcome": {"enum": [choice.value for choice in PublishedEntry.Outcome]},
            "place": {"type": ["integer", "null"], "minimum": 1},
            "prize_tier": {"type": "string"},
            "category": {"type": "string"},
            "partnership": {"type": "string"},
            "leading_unit": {"type": "string"},
            "title": {"type": "string"},
            "public_summary": {"type": "string"},
            "citation": {"type": "string"},
            "partners": {"type": "array", "items": partner},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": "Samorządowy Lider Zarządzania: published results of an edition",
        "type": "object",
        "additionalProperties": False,
        "required": ["$schema", "edition", "entries"],
        "properties": {
            "$schema": {"type": "string", "format": "uri"},
            "edition": {
                "type": "object",
                "additionalProperties": False,
                "required": ["year", "number", "name", "theme", "results_at", "url"],
                "properties": {
                    "year": {"type": "integer"},
                    "number": {"type": "integer"},
                    "name": {"type": "string"},
                    "theme": {"type": "string"},
                    "results_at": {"type": "string", "format": "date-time"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
            "entries": {"type": "array", "items": entry},
        },
    }


def schema_url():
    return absolute(reverse("opendata:schema"))


def entries_for(edition, at=None):
    """The public entries of an edition with everything the files show, in three queries whatever their number."""
    partners = PublishedPartner.objects.select_related("unit", "voivodeship").order_by("-is_leader", "order", "id")
    return list(
        public_entries(at)
        .filter(edition=edition)
        .select_related("category")
        .prefetch_related(Prefetch("partners", queryset=partners))
        .order_by("category__order", "category_id", "order", "id")
    )


def _partner(partner):
    voivodeship = partner.voivodeship
    return {
        "name": partner.name,
        "terc": partner.unit.code if partner.unit_id else None,
        "unit_kind": partner.unit_kind or (partner.unit.kind if partner.unit_id else ""),
        "voivodeship": voivodeship.name if voivodeship else None,
        "voivodeship_terc": voivodeship.code if voivodeship else None,
        "is_leader": partner.is_leader,
    }


def _entry(edition, entry):
    return {
        "slug": entry.slug,
        "url": absolute(entry_path(edition.year, entry.slug)),
        "outcome": entry.outcome,
        "place": entry.place,
        "prize_tier": entry.prize_tier,
        "category": entry.category.name,
        "partnership": entry.partnership_name,
        "leading_unit": entry.leader_name,
        "title": entry.title,
        "public_summary": entry.public_summary,
        "citation": entry.citation,
        "partners": [_partner(partner) for partner in entry.partners.all()],
    }


def document(edition, entries):
    """The JSON document of an edition's results (a dict; see schema())."""
    return {
        "$schema": schema_url(),
        "edition": {
            "year": edition.year,
            "number": edition.number,
            "name": edition.name,
            "theme": edition.theme,
            "results_at": edition.results_at.isoformat(),
            "url": absolute(edition_results_path(edition.year)),
        },
        "entries": [_entry(edition, entry) for entry in entries],
    }


def json_bytes(edition, entries):
    return json.dumps(document(edition, entries), ensure_ascii=False, indent=2).encode()


def csv_bytes(edition, entries):
    """UTF-8 with a BOM (Excel then reads Polish letters), `;` between cells (Excel's Polish default), list cells
    joined by ` | ` and aligned partner by partner; text cells that a spreadsheet would run as a formula start
    with an apostrophe, as in every export of the platform."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = _entry(edition, entry)
        partners = row["partners"]
        values = {
            "year": edition.year,
            "edition": edition.number,
            **{key: row[key] for key in CSV_COLUMNS if key in row and key != "partners"},
            "place": "" if row["place"] is None else row["place"],
            "partners": LIST_SEPARATOR.join(partner["name"] for partner in partners),
            "partners_terc": LIST_SEPARATOR.join(partner["terc"] or "" for partner in partners),
            "partners_voivodeship": LIST_SEPARATOR.join(partner["voivodeship"] or "" for partner in partners),
        }
        writer.writerow(
            [safe_cell(values[key]) if isinstance(values[key], str) else values[key] for key in CSV_COLUMNS]
        )
    return out.getvalue().encode("utf-8")
