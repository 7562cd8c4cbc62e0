"""Score sheets (karta oceny) as PDF and the organisers' export of scores per juror and criterion (CSV, XLSX).

A juror downloads the sheets of their own submitted scorecards; organisers download every juror's, each labelled
"Juror n" (jury.queries.juror_numbers), never by name. The PDF template gets only jury.blind's frozen BlindScoreSheets.
"""

import csv
import io

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications.exports import safe_cell, xlsx_row

from .. import blind, queries
from ..permissions import permission_required

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_response(edition, sheets, filename, for_organisers):
    from weasyprint import HTML

    html = render_to_string(
        "jury/sheets/score_sheets.html",
        {
            "edition": blind.blind_edition(edition),
            "sheets": sheets,
            "for_organisers": for_organisers,
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("entries")
@require_GET
def juror_score_sheets(request, edition, member):
    """The juror's own submitted scorecards, one sheet each."""
    sheets = blind.build_score_sheets(queries.submitted_scorecards(edition, member=member))
    return _pdf_response(edition, sheets, f"karty-oceny-{edition.year}.pdf", for_organisers=False)


@permission_required("organise")
@require_GET
def score_sheets(request, edition):
    """Every juror's submitted scorecards, ordered by juror number."""
    numbers = queries.juror_numbers(edition)
    sheets = blind.build_score_sheets(queries.submitted_scorecards(edition), numbers=numbers)
    sheets.sort(key=lambda sheet: (sheet.juror_number, sheet.code))
    return _pdf_response(edition, sheets, f"karty-oceny-{edition.year}-komisja.pdf", for_organisers=True)


def _headers():
    return [
        str(label)
        for label in (
            _("Edition"),
            _("Code"),
            _("Category"),
            _("Juror number"),
            _("Criterion"),
            _("Points"),
            _("Maximum points"),
            _("Weight"),
            _("Submitted at"),
        )
    ]


def _score_rows(edition):
    numbers = queries.juror_numbers(edition)
    for code, category, member_id, criterion, points, max_points, weight, submitted_at in queries.score_export_rows(
        edition
    ):
        when = timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M:%S") if submitted_at else ""
        # Text cells are kept from running as formulas; numbers stay numbers.
        yield [
            edition.year,
            safe_cell(code),
            safe_cell(category),
            numbers[member_id],
            safe_cell(criterion),
            "" if points is None else points,
            max_points,
            weight,
            when,
        ]


@permission_required("organise")
@require_GET
def scores_export(request, edition, fmt):
    """Scores per juror × entry × criterion of the scorecards that count, as CSV or XLSX."""
    filename = f"oceny-{edition.year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(_headers())
        writer.writerows(_score_rows(edition))
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(edition.year))
        sheet.append(_headers())
        for row in _score_rows(edition):
            sheet.append(xlsx_row(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
