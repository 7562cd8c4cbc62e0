"""The ranking page of an edition (organisers and the chair, once scoring has ended) and freezing it (organisers).

Jurors appear by their stable number ("Juror 3"); an organiser may switch names on for themself (`?names=1`, kept in
their session; `?names=0` switches them off). The chair never sees names.
"""

from fractions import Fraction

from django.contrib import messages
from django.shortcuts import redirect, render
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


def _category_context(category):
    result = category.ranking
    method = result.settings.method
    rows = [
        {
            "place": row.place,
            "ex_aequo": row.ex_aequo,
            "code": row.code,
            "raw": ranking.to_decimal(row.value(method)),
            "raw_percent": ranking.to_decimal(result.percent(row.value(method))),
            "adjusted": ranking.to_decimal(row.value(method, adjusted=True)),
            "cards": row.cards,
            "spread": ranking.to_decimal(row.spread),
            "flagged": row.flagged,
        }
        for row in result.rows
    ]
    stability = category.stability
    return {
        "name": category.name,
        "rows": rows,
        "unscored": result.unscored,
        "stability_columns": [_column_label(column) for column in stability.columns],
        "stability_rows": stability.rows,
        "spread_chart": ranking.entry_spread_chart(result.rows, result.max_total) if result.rows else None,
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
    snapshot = ranking_service.latest_snapshot(edition)
    since_freeze = ranking_service.changes_since_freeze(edition, current, snapshot) if snapshot else None
    # The audit trail's latest freeze against the latest stored snapshot: a deleted snapshot does not go unnoticed.
    missing_snapshot = ranking_service.missing_latest_snapshot(edition, snapshot)
    overall = current.overall
    juror_chart = (
        ranking.juror_distribution_chart(overall, overall.max_total, labels) if overall.rows else None
    )
    settings = current.settings
    return render(
        request,
        "jury/ranking.html",
        {
            # The chair is a juror: the page holds plain values only, never a model (jury.blind).
            "edition": blind.blind_edition(edition),
            "organiser": organiser,
            "show_names": show_names,
            "method": METHOD_LABELS[settings["method"]],
            "standardise": settings["standardise"],
            "tie_rules": ranking.tie_rules_text(settings["tie_rules"]),
            "disagreement_percent": ranking.to_decimal(Fraction(settings["disagreement_share"]) * 100, 0),
            "max_total": ranking.to_decimal(overall.max_total),
            "categories": [_category_context(category) for category in current.categories],
            "reliability": overall.reliability,
            "alpha": ranking.to_decimal(overall.reliability.alpha, 3),
            "juror_chart": juror_chart,
            "incomplete": current.incomplete,
            "has_criteria": current.has_criteria,
            "components": len(overall.effects.components) if overall.effects else 0,
            "snapshots": list(edition.ranking_snapshots.order_by("-number")) if organiser else [],
            "since_freeze": since_freeze,
            "missing_snapshot": missing_snapshot,
        },
    )
