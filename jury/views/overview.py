"""The organiser's home: a page per edition with where it stands (applications by status, submissions over time,
formal review, the jury's completion, open conflicts, dates ahead), and the address that picks the edition."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from contest import phases
from contest.models import Edition

from .. import overview, overview_charts
from ..permissions import permission_required


@permission_required("organise")
@require_GET
def index(request):
    edition = overview.current_edition(Edition.objects.all())
    if edition is None:
        return redirect("admin:contest_edition_changelist")
    return redirect("organiser:home", edition.year)


@permission_required("organise")
@require_GET
def home(request, edition):
    now = timezone.now()
    data = overview.edition_overview(edition, now)
    # While the call is open the axis runs to today, so quiet days since the last submission show as such.
    open_call = phases.phase_at(edition, now) in (phases.Phase.ANNOUNCED, phases.Phase.SUBMISSIONS)
    today = timezone.localtime(now, overview.WARSAW).date()
    chart = overview_charts.submissions_chart(data.per_day, until=today if open_call else None)
    largest = max((n for _s, _l, n in data.status_counts), default=0)
    return render(
        request,
        "jury/organiser/home.html",
        {
            "edition": edition,
            "editions": Edition.objects.order_by("-year").only("year"),
            "phase": phases.Phase(phases.phase_at(edition, now)).label,
            "data": data,
            "statuses": [(s, label, n, overview_charts.bar(n, largest)) for s, label, n in data.status_counts],
            "jurors": [(j, overview_charts.bar(j.submitted, j.assigned)) for j in data.jurors],
            "review_bar": overview_charts.bar(data.review_decided, data.review_total),
            "jury_bar": overview_charts.bar(data.jury_submitted, data.jury_assigned),
            "chart": chart,
        },
    )
