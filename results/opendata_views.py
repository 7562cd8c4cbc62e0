"""Open data of the published results: dane.json and dane.csv per edition (404 until its results are public), the
JSON Schema, and the page that documents the fields. Files are cached in the shared cache under the results
generation, looked up only after visibility has been decided for this second."""

import json

from django.core.cache import cache as shared_cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import cache, opendata
from .visibility import public_result_editions

FORMATS = {
    "json": ("application/json; charset=utf-8", opendata.json_bytes),
    "csv": ("text/csv; charset=utf-8", opendata.csv_bytes),
}


def _edition_file(year, fmt):
    at = timezone.now()
    edition = get_object_or_404(public_result_editions(at), year=year)
    content_type, build = FORMATS[fmt]
    key = cache.key("opendata", edition.year, fmt)
    body = shared_cache.get(key)
    if body is None:
        body = build(edition, opendata.entries_for(edition, at))
        shared_cache.set(key, body, cache.TIMEOUT)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="slz-{edition.year}-wyniki.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


@require_safe
def edition_json(request, year):
    return _edition_file(year, "json")


@require_safe
def edition_csv(request, year):
    return _edition_file(year, "csv")


@require_safe
def schema(request):
    body = json.dumps(opendata.schema(opendata.schema_url()), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/schema+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def docs(request):
    editions = public_result_editions().order_by("-year").only("year", "number")
    return render(
        request,
        "results/opendata.html",
        {
            "editions": editions,
            "fields": opendata.ENTRY_FIELDS,
            "csv_columns": opendata.CSV_COLUMNS,
            "delimiter": opendata.CSV_DELIMITER,
            "list_separator": opendata.LIST_SEPARATOR.strip(),
        },
    )
