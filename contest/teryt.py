"""The TERC register (GUS): loading it into TerritorialUnit rows, and searching it (search_units, with SearchField,
the one rule for every search box of the site, which the applicants' and the jury's forms import from here)."""
import csv
import datetime
from pathlib import Path

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import TerritorialUnit

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "teryt-terc-2024-01-01.csv"

RODZ_KINDS = {
    "1": TerritorialUnit.Kind.URBAN,
    "2": TerritorialUnit.Kind.RURAL,
    "3": TerritorialUnit.Kind.URBAN_RURAL,
}


def classify(row):
    if not row["POW"]:
        return TerritorialUnit.Kind.VOIVODESHIP
    if not row["GMI"]:
        if "na prawach powiatu" in row["NAZWA_DOD"]:
            return TerritorialUnit.Kind.CITY_COUNTY
        return TerritorialUnit.Kind.COUNTY
    return RODZ_KINDS.get(row["RODZ"], TerritorialUnit.Kind.SUB_UNIT)


def read_rows(path=DEFAULT_FILE):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=";")


def build_units(rows, model=TerritorialUnit):
    """Turn register rows into unsaved units with a readable label naming their county and voivodeship."""
    rows = list(rows)
    voivodeships = {r["WOJ"]: r["NAZWA"].lower() for r in rows if not r["POW"]}
    counties = {(r["WOJ"], r["POW"]): r for r in rows if r["POW"] and not r["GMI"]}
    units = []
    for row in rows:
        kind = classify(row)
        code = row["WOJ"] + row["POW"] + row["GMI"] + row["RODZ"]
        name = row["NAZWA"]
        woj_name = voivodeships.get(row["WOJ"], "")
        if kind == TerritorialUnit.Kind.VOIVODESHIP:
            label = f"województwo {name.lower()}"
            name = name.lower()
        elif kind in (TerritorialUnit.Kind.COUNTY, TerritorialUnit.Kind.CITY_COUNTY):
            prefix = "powiat " if kind == TerritorialUnit.Kind.COUNTY else ""
            suffix = " (miasto na prawach powiatu)" if kind == TerritorialUnit.Kind.CITY_COUNTY else ""
            label = f"{prefix}{name}{suffix}, woj. {woj_name}"
        else:
            county = counties.get((row["WOJ"], row["POW"]))
            county_label = ""
            if county is not None:
                county_label = (
                    f", powiat {county['NAZWA']}" if "na prawach powiatu" not in county["NAZWA_DOD"] else ""
                )
            label = f"{name} ({row['NAZWA_DOD']}){county_label}, woj. {woj_name}"
        units.append(
            model(
                code=code,
                woj=row["WOJ"],
                pow=row["POW"],
                gmi=row["GMI"],
                rodz=row["RODZ"],
                name=name,
                kind_label=row["NAZWA_DOD"],
                kind=kind,
                search_name=name.casefold(),
                label=label,
                valid_on=datetime.date.fromisoformat(row["STAN_NA"]),
            )
        )
    return units


@transaction.atomic
def load_register(path=DEFAULT_FILE, model=TerritorialUnit):
    """Insert units missing from the table and update changed ones; returns (created, updated)."""
    units = build_units(read_rows(path), model)
    existing = {unit.code: unit for unit in model.objects.all()}
    fields = ["woj", "pow", "gmi", "rodz", "name", "kind_label", "kind", "search_name", "label", "valid_on"]
    to_create, to_update = [], []
    for unit in units:
        current = existing.get(unit.code)
        if current is None:
            to_create.append(unit)
        elif any(getattr(current, f) != getattr(unit, f) for f in fields):
            unit.pk = current.pk
            to_update.append(unit)
    model.objects.bulk_create(to_create, batch_size=1000)
    model.objects.bulk_update(to_update, fields, batch_size=1000)
    return len(to_create), len(to_update)


# Longer than any unit, partnership or title anyone types; far below SQLite's LIKE pattern limit (50,000 bytes).
SEARCH_MAX_LENGTH = 200


class SearchField(forms.CharField):
    """The one rule for every search box of the site: optional, trimmed, at most SEARCH_MAX_LENGTH characters.

    NUL characters are refused by CharField itself (PostgreSQL cannot take them in a query).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("Search for at most %(limit_value)d characters (this text has %(show_value)d).")},
        )
        super().__init__(**kwargs)


def clean_search(text):
    """The search text as SearchField accepts it; raises ValidationError with the message a person can act on."""
    return SearchField().clean(text)


def search_units(query, *, local_government_only=True, limit=20):
    """Units whose name starts with or contains the query (any case, Polish letters too), or whose code starts so.

    A query the search box would refuse (too long, NUL characters) raises ValidationError.
    """
    queryset = TerritorialUnit.objects.all()
    if local_government_only:
        queryset = queryset.exclude(kind=TerritorialUnit.Kind.SUB_UNIT)
    query = clean_search(query)
    if not query:
        return queryset.none()
    if query.isdigit():
        return queryset.filter(code__startswith=query)[:limit]
    folded = query.casefold()
    starts = list(queryset.filter(search_name__startswith=folded).order_by("search_name", "code")[:limit])
    if len(starts) < limit:
        seen = {u.pk for u in starts}
        more = queryset.filter(search_name__contains=folded).exclude(pk__in=seen).order_by("search_name", "code")
        starts += list(more[: limit - len(starts)])
    return starts
