"""The ranking page of an edition (organisers and the chair, once scoring has ended) and freezing it (organisers).

Jurors appear by their stable number ("Juror 3"); an organiser may switch names on for themself (`?names=1`, kept in
their session; `?names=0` switches them off). The chair never sees names.
"""

import html
import re
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access import is_organiser
from contest.errors import ServiceError

from .. import blind, ranking, services
from ..models import JuryMember
from ..permissions import permission_required
from ..services import ranking as ranking_service

NAMES_SESSION_KEY = "jury_ranking_names"
METHOD_LABELS = {
    "mean": gettext_lazy("mean"),
    "median": gettext_lazy("median"),
    "trimmed": gettext_lazy("trimmed mean"),
}


class _Labels:
    """A juror label for jury.ranking's charts: "Juror 3", or the name when names are on (`label % {"number": 3}`)."""

    def __init__(self, names):
        self.names = names

    def __mod__(self, params):
        return self.label(params["number"])

    def label(self, number):
        if self.names and number in self.names:
            return f"{self.names[number]} ({_('Juror %(number)s') % {'number': number}})"
        return _("Juror %(number)s") % {"number": number}


def _show_names(request):
    if not is_organiser(request.user):
        return False
    wanted = request.GET.get("names")
    if wanted in ("0", "1"):
        request.session[NAMES_SESSION_KEY] = wanted == "1"
    return bool(request.session.get(NAMES_SESSION_KEY, False))


def _column_label(column):
    method, adjusted = column
    label = METHOD_LABELS[method]
    return _("%(method)s, adjusted") % {"method": label} if adjusted else str(label)


class _Numbers:
    """Numbers as the page shows them ("21,67" in Polish), the way {{ value }} would localise them, but with the
    locale's separator looked up once per page instead of once per cell (thousands of cells on a large edition)."""

    def __init__(self):
        self.separator = None if settings.USE_THOUSAND_SEPARATOR else formats.get_format("DECIMAL_SEPARATOR")

    def __call__(self, value, empty="–"):
        if value is None:
            return empty
        if self.separator is None:
            return formats.number_format(value)
        return format(value, "f").replace(".", self.separator) if isinstance(value, Decimal) else str(value)


# What html.escape would change: a cell without any of these (numbers, dashes, percentages) is printed as it is.
_MARKUP = re.compile(r"[&<>\"']")


def _escaped(text):
    return html.escape(text) if _MARKUP.search(text) else text


def _cells(texts, between="\n    "):
    """Plain strings as <td> cells, escaped here, joined once (a template would render one node per cell)."""
    return mark_safe(between.join(f"<td>{_escaped(text)}</td>" for text in texts))


def _chart_rows(chart, number):
    """The chart's data table, ready to print: (heading, the other cells as <td> markup), booleans as yes or no."""
    words = {True: _("yes"), False: _("no")}
    return [
        (
            row[0],
            _cells((words[cell] if isinstance(cell, bool) else number(cell) for cell in row[1:]), between=""),
        )
        for row in chart.rows
    ]


def _row_markup(row, category_name, words):
    """One row of a category's ranking table as escaped markup (a large edition has thousands of rows: as template
    nodes they cost more than everything else on the page)."""
    ex_aequo = f' <abbr title="{words["shares"]}">{words["ex_aequo"]}</abbr>' if row["ex_aequo"] else ""
    flag = f"<strong>{words['flagged']}</strong>" if row["flagged"] else "–"
    return (
        f"<tr>\n    <td>{html.escape(row['place_text'])}{ex_aequo}</td>\n"
        f'    <th scope="row">{html.escape(row["code"])}</th>\n    <td>{category_name}</td>\n'
        f"    {row['numbers']}\n    <td>{flag}</td>\n  </tr>"
    )


def _category_context(category, number):
    result = category.ranking
    method = result.settings.method
    words = {
        "shares": html.escape(_("shares the place with another entry")),
        "ex_aequo": html.escape(_("ex aequo")),
        "flagged": html.escape(_("flagged for discussion")),
    }
    category_name = html.escape(str(category.name))
    rows = []
    for row in result.rows:
        raw = ranking.to_decimal(row.value(method))
        percent = ranking.to_decimal(result.percent(row.value(method)))
        adjusted = ranking.to_decimal(row.value(method, adjusted=True))
        spread = ranking.to_decimal(row.spread)
        rows.append(
            {
                "place": row.place,
                "ex_aequo": row.ex_aequo,
                "code": row.code,
                "raw": raw,
                "raw_percent": percent,
                "adjusted": adjusted,
                "cards": row.cards,
                "spread": spread,
                "flagged": row.flagged,
                # What the table prints, formatted once here (a large edition has thousands of cells): the place,
                # and the cells from the raw result to the spread as escaped markup, one template variable per row.
                "place_text": number(row.place),
                "numbers": _cells(
                    (number(raw), f"{number(percent)}%", number(adjusted), number(row.cards), number(spread))
                ),
            }
        )
    table = mark_safe("\n  ".join(_row_markup(row, category_name, words) for row in rows))
    stability = category.stability
    spread_chart = ranking.entry_spread_chart(result.rows, result.max_total) if result.rows else None
    return {
        "name": category.name,
        "rows": rows,
        "table": table,
        "unscored": result.unscored,
        "stability_columns": [_column_label(column) for column in stability.columns],
        "stability_rows": stability.rows,
        "spread_chart": spread_chart,
        "spread_chart_rows": _chart_rows(spread_chart, number) if spread_chart else (),
    }


@permission_required("ranking", post="freeze")
@require_http_methods(["GET", "HEAD", "POST"])  # the page and its freeze form; PUT, DELETE and the rest are refused
def ranking_page(request, edition):
    if request.method == "POST":
        try:
            snapshot = services.freeze_ranking(edition, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Scoring is closed and the ranking is frozen as snapshot %(number)s (SHA-256 %(hash)s).")
                % {"number": snapshot.number, "hash": snapshot.sha256},
            )
        return redirect("jury:ranking", edition.year)
    organiser = is_organiser(request.user)
    show_names = _show_names(request)
    names = {}
    if show_names:
        names = {
            number: full_name or email
            for number, full_name, email in JuryMember.objects.filter(edition=edition).values_list(
                "number", "user__full_name", "user__email"
            )
        }
    labels = _Labels(names)
    current = services.ranking_for(edition)
    # Scores changed after the last freeze: a warning with the count, and (organisers) the way to freeze again.
    # Neither its result nor its scores unless something changed (each as large as the edition's scores).
    snapshot = ranking_service.latest_snapshot(edition, defer=("result", "scores"))
    since_freeze = ranking_service.changes_since_freeze(edition, current, snapshot) if snapshot else None
    # The audit trail's latest freeze against the latest stored snapshot: a deleted snapshot does not go unnoticed.
    missing_snapshot = ranking_service.missing_latest_snapshot(edition, snapshot)
    overall = current.overall
    juror_chart = ranking.juror_distribution_chart(overall, overall.max_total, labels) if overall.scored else None
    display = _Numbers()
    chosen = current.settings
    return render(
        request,
        "jury/ranking.html",
        {
            # The chair is a juror: the page holds plain values only, never a model (jury.blind).
            "edition": blind.blind_edition(edition),
            "organiser": organiser,
            "show_names": show_names,
            "method": METHOD_LABELS[chosen["method"]],
            "standardise": chosen["standardise"],
            "tie_rules": ranking.tie_rules_text(chosen["tie_rules"]),
            "disagreement_percent": ranking.to_decimal(Fraction(chosen["disagreement_share"]) * 100, 0),
            "max_total": ranking.to_decimal(overall.max_total),
            "categories": [_category_context(category, display) for category in current.categories],
            "reliability": overall.reliability,
            "alpha": ranking.to_decimal(overall.reliability.alpha, 3),
            "juror_chart": juror_chart,
            "juror_chart_rows": _chart_rows(juror_chart, display) if juror_chart else (),
            "incomplete": current.incomplete,
            "has_criteria": current.has_criteria,
            "components": len(overall.effects.components) if overall.effects else 0,
            "snapshots": (
                list(edition.ranking_snapshots.order_by("-number").only("number", "created_at", "sha256"))
                if organiser
                else []
            ),
            "since_freeze": since_freeze,
            "missing_snapshot": missing_snapshot,
        },
    )
