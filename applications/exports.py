"""Organisers' exports: the list as CSV or XLSX, an application's files as one ZIP."""

import csv
import io
import tempfile
import zipfile

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

COLUMNS = [
    ("code", lambda a: a.code or ""),
    ("status", lambda a: str(a.get_status_display())),
    ("category", lambda a: a.category.name),
    ("title", lambda a: a.title),
    ("partnership", lambda a: a.partnership_name),
    ("leader", lambda a: a.leader.display_name if a.leader else ""),
    ("leader_voivodeship", lambda a: a.leader.territorial_unit.woj if a.leader and a.leader.territorial_unit else ""),
    ("partners", lambda a: "; ".join(p.display_name for p in a.partners.all())),
    (
        "submitted_at",
        lambda a: timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M:%S") if a.submitted_at else "",
    ),
    ("contact_email", lambda a: a.contact_email),
]


def _headers():
    labels = {
        "code": _("Code"),
        "status": _("Status"),
        "category": _("Category"),
        "title": _("Title"),
        "partnership": _("Partnership"),
        "leader": _("Leading partner"),
        "leader_voivodeship": _("Voivodeship (TERC)"),
        "partners": _("Partners"),
        "submitted_at": _("Submitted at"),
        "contact_email": _("Contact e-mail"),
    }
    return [str(labels[key]) for key, _getter in COLUMNS]


def _rows(applications):
    for application in applications:
        yield [safe_cell(getter(application)) for _key, getter in COLUMNS]


def safe_cell(value):
    """Spreadsheets run cells that start with = + - @ as formulas; a leading apostrophe keeps them text."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def xlsx_row(row):
    """A row as an XLSX sheet takes it: the control characters a worksheet cannot hold (a vertical tab from a text
    pasted out of Word, an escape) are left out of text cells, where openpyxl would refuse the whole file."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value for value in row]


def csv_response(edition, applications):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wnioski-{edition.year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(_headers())
    writer.writerows(_rows(applications))
    return response


def xlsx_response(edition, applications):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(edition.year))
    sheet.append(_headers())
    for row in _rows(applications):
        sheet.append(xlsx_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="wnioski-{edition.year}.xlsx"'
    return response


def attachments_zip_response(application):
    """All files of one application in a ZIP built on disk, not in memory, named by requirement and file name."""
    spool = tempfile.TemporaryFile()
    used = set()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, attachment in enumerate(application.attachments.all(), start=1):
            name = f"{index:02d}-{attachment.original_name}"
            while name in used:
                name = f"{index:02d}-{len(used)}-{attachment.original_name}"
            used.add(name)
            with attachment.file.storage.open(attachment.file.name, "rb") as source, archive.open(name, "w") as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
    spool.seek(0)
    label = application.code or f"wniosek-{application.pk}"
    response = FileResponse(
        spool, as_attachment=True, filename=f"{label}-zalaczniki.zip", content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
