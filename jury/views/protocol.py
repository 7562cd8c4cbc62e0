"""The protocol of the Komisja Konkursowa (PDF) and the organisers' exports of the ranking and the decisions (CSV,
XLSX).

The protocol is the committee's own signed document, so it names its members (the chair marked) and leaves a place
for every signature; the ranking in it lists jurors by their stable number only. It reads the LATEST frozen snapshot
when there is one (computed again from the snapshot's own scores and settings, with its number and SHA-256), and
otherwise the live ranking under a clear "not frozen" warning. The template gets plain values only (no model
instance): the chair who reads it is a juror.
"""

import csv
import io
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import is_organiser
from applications.exports import safe_cell, xlsx_row
from applications.models import Status

from .. import blind, ranking
from ..models import Decision, DecisionLock, JuryMember
from ..permissions import permission_required
from ..services import ranking as ranking_service
from .ranking import METHOD_LABELS

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _current(edition):
    """(EditionRanking, snapshot or None): the latest snapshot's ranking, computed from it, or the live one."""
    snapshot = ranking_service.latest_snapshot(edition)
    if snapshot is None:
        return ranking_service.ranking_for(edition), None
    return ranking_service.compute(snapshot.settings, [list(row) for row in snapshot.scores]), snapshot


def _ranking_rows(current):
    """Plain rows per category: (category name, rows, unscored codes)."""
    for category in current.categories:
        result = category.ranking
        method = result.settings.method
        rows = [
            {
                "place": row.place,
                "ex_aequo": row.ex_aequo,
                "code": row.code,
                "category": category.name,
                "raw": ranking.to_decimal(row.value(method)),
                "adjusted": ranking.to_decimal(row.value(method, adjusted=True)),
                "cards": row.cards,
                "spread": ranking.to_decimal(row.spread),
                "flagged": row.flagged,
                "jurors": ", ".join(str(number) for number in row.jurors),
            }
            for row in result.rows
        ]
        yield category.name, rows, list(result.unscored)


def _decision_values(edition):
    """Every decision of the edition as plain dicts, keyed by the entry's code, in the code order."""
    decisions = (
        # An entry rejected after its decision (while the decisions were open) is no longer in the competition: the
        # decisions page, the ranking and the publication leave it out, so the protocol and the export do too.
        Decision.objects.filter(edition=edition, stage="", application__status__in=Status.ACCEPTED_FOR_JURY)
        .select_related("application__category")
        .only(
            "outcome",
            "place",
            "prize_tier",
            "citation",
            "recorded_at",
            "application__code",
            "application__category__name",
        )
        .order_by("application__code")
    )
    return {
        d.application.code: {
            "code": d.application.code,
            "category": d.application.category.name if d.application.category_id else "",
            "outcome": d.outcome,
            "outcome_label": str(d.get_outcome_display()),
            "place": d.place,
            "prize_tier": d.prize_tier,
            "citation": d.citation,
            "recorded_at": d.recorded_at,
        }
        for d in decisions
    }


def _outcome_groups(decisions):
    by_outcome = defaultdict(list)
    for value in decisions.values():
        by_outcome[value["outcome"]].append(value)
    groups = []
    for outcome, label in Decision.Outcome.choices:
        rows = by_outcome.get(outcome, [])
        if outcome in Decision.CITED:
            rows.sort(key=lambda row: (row["place"] or 10_000, row["code"]))
        if rows:
            groups.append({"label": str(label), "rows": rows})
    return groups


@permission_required("ranking")
@require_GET
def protocol(request, edition):
    """The protocol of the committee as PDF: organisers and the chair, once scoring has ended."""
    from weasyprint import HTML

    current, snapshot = _current(edition)
    settings = current.settings
    # Names without juror numbers, in alphabetical order: the chair may download the protocol, and a name beside a
    # number (or in number order) would tell them whose totals the ranking's juror numbers carry.
    members = sorted(
        (
            {"name": full_name or email, "is_chair": is_chair}
            for full_name, email, is_chair in JuryMember.objects.filter(edition=edition, is_active=True).values_list(
                "user__full_name", "user__email", "is_chair"
            )
        ),
        key=lambda member: (not member["is_chair"], member["name"].casefold()),
    )
    categories = [{"name": name, "rows": rows, "unscored": unscored} for name, rows, unscored in _ranking_rows(current)]
    decisions = _decision_values(edition)
    flagged = [
        {
            "code": row["code"],
            "category": row["category"],
            "spread": row["spread"],
            "decision": decisions.get(row["code"]),
        }
        for category in categories
        for row in category["rows"]
        if row["flagged"]
    ]
    lock = DecisionLock.objects.filter(edition=edition, stage="").values("locked_at", "reason").first()
    reliability = current.overall.reliability
    checked = ranking_service.recompute(snapshot) if snapshot else None
    # Scores changed after the snapshot this protocol prints: it says so, with the count and (organisers) a link.
    since_freeze = ranking_service.changes_since_freeze(edition, snapshot=snapshot) if snapshot else None
    # A later freeze the audit trail recorded and the database no longer holds: the protocol must not certify this one.
    # (A snapshot rewritten under its own number is what `checked.audit_matches` reports.)
    missing_snapshot = ranking_service.missing_latest_snapshot(edition, snapshot)
    if missing_snapshot and missing_snapshot.replaced:
        missing_snapshot = None
    html = render_to_string(
        "jury/protocol.html",
        {
            "edition": blind.blind_edition(edition),
            "members": members,
            "method": str(METHOD_LABELS[settings["method"]]),
            "standardise": settings["standardise"],
            "tie_rules": ranking.tie_rules_text(settings["tie_rules"]),
            "disagreement_percent": ranking.to_decimal(Fraction(settings["disagreement_share"]) * 100, 0),
            "max_total": ranking.to_decimal(current.overall.max_total),
            "snapshot": {"number": snapshot.number, "created_at": snapshot.created_at, "sha256": snapshot.sha256}
            if snapshot
            else None,
            "recomputed": bool(checked) if snapshot else None,
            "checked": {
                "result_matches": checked.result_matches,
                "hash_matches": checked.hash_matches,
                "audit_matches": checked.audit_matches,
            }
            if snapshot
            else None,
            "since_freeze": since_freeze if since_freeze else None,
            "missing_snapshot": missing_snapshot,
            "organiser": is_organiser(request.user),
            "freeze_url": request.build_absolute_uri(reverse("jury:ranking", args=[edition.year])) + "#ranking-freeze",
            "categories": categories,
            "incomplete": current.incomplete,
            "has_criteria": current.has_criteria,
            "alpha": ranking.to_decimal(reliability.alpha, 3),
            "reliability_text": reliability.text,
            "flagged": flagged,
            "groups": _outcome_groups(decisions),
            "decided": len(decisions),
            "lock": lock,
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="protokol-komisji-{edition.year}.pdf"'
    return response


def _table_response(edition, fmt, name, headers, rows):
    """CSV (BOM, `;`) or XLSX, like the other exports; text cells already pass through safe_cell."""
    filename = f"{name}-{edition.year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(headers)
        # Written for the spreadsheet the `;` is for: with Polish settings Excel reads "21.67" as text and "3.05" as
        # the 3rd of May, so a decimal number takes the language's separator ("21,67"); XLSX keeps it a number.
        separator = formats.get_format("DECIMAL_SEPARATOR")
        writer.writerows(
            [format(cell, "f").replace(".", separator) if isinstance(cell, Decimal) else cell for cell in row]
            for row in rows
        )
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(edition.year))
        sheet.append(headers)
        for row in rows:
            sheet.append(xlsx_row(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _number(value):
    """A Decimal stays a number (2 places) in both formats (in CSV with the language's decimal separator); a missing
    value is an empty cell."""
    return "" if value is None else value


def _yes_no(value):
    return _("yes") if value else _("no")


@permission_required("export_ranking")
@require_GET
def ranking_export(request, edition, fmt):
    """The ranking (the latest snapshot's, or the live one) per category, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    current, _snapshot = _current(edition)
    headers = [
        _("Place"),
        _("Ex aequo"),
        _("Code"),
        _("Category"),
        _("Raw result"),
        _("Adjusted result"),
        _("Scorecards"),
        _("Spread"),
        _("Flagged for discussion"),
    ]
    rows = [
        [
            row["place"],
            _yes_no(row["ex_aequo"]),
            safe_cell(row["code"]),
            safe_cell(row["category"]),
            _number(row["raw"]),
            _number(row["adjusted"]),
            row["cards"],
            _number(row["spread"]),
            _yes_no(row["flagged"]),
        ]
        for _name, category_rows, _unscored in _ranking_rows(current)
        for row in category_rows
    ]
    return _table_response(edition, fmt, "ranking", [str(h) for h in headers], rows)


@permission_required("organise")
@require_GET
def decisions_export(request, edition, fmt):
    """The committee's decisions, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    headers = [
        _("Code"),
        _("Category"),
        _("Outcome"),
        _("Place"),
        _("Prize tier"),
        _("Citation"),
        _("Recorded at"),
    ]
    rows = [
        [
            safe_cell(value["code"]),
            safe_cell(value["category"]),
            safe_cell(value["outcome_label"]),
            "" if value["place"] is None else value["place"],
            safe_cell(value["prize_tier"]),
            safe_cell(value["citation"]),
            timezone.localtime(value["recorded_at"]).strftime("%Y-%m-%d %H:%M:%S"),
        ]
        for value in _decision_values(edition).values()
    ]
    return _table_response(edition, fmt, "decyzje", [str(h) for h in headers], rows)
