"""What an applicant sees of the results on their own pages: the outcome (only once the results are public) and, if
the edition publishes it, the jury's anonymised feedback (per-criterion averages and the justifications in an order
that says nothing of who wrote them). Views call these for the applicant's own applications only."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from applications.models import Status
from contest import phases
from jury.models import CriterionScore, Decision, DecisionLock
from jury.queries import counted_scorecards

from .services import STATUS_FOR_OUTCOME, locked


def published_outcomes(applications, at=None):
    """{application id: Status} for each application whose outcome its applicants may see at `at`: the results of
    its edition are public (results_at reached, not withdrawn) and the decisions locked. Read from the decision, so
    the outcome shows at results_at to the second even before the publishing command has moved the status."""
    shown = [
        a
        for a in applications
        if a.status in Status.ACCEPTED_FOR_JURY and phases.results_visible(a.edition, at)
    ]
    if not shown:
        return {}
    locked = set(
        DecisionLock.objects.filter(edition_id__in={a.edition_id for a in shown}, stage="").values_list(
            "edition_id", flat=True
        )
    )
    decisions = dict(
        Decision.objects.filter(application__in=[a.pk for a in shown if a.edition_id in locked], stage="").values_list(
            "application_id", "outcome"
        )
    )
    outcomes = {}
    for application in shown:
        if application.status in Status.DECIDED:
            outcomes[application.pk] = Status(application.status)
        elif application.edition_id in locked:
            outcome = decisions.get(application.pk)
            outcomes[application.pk] = STATUS_FOR_OUTCOME[outcome] if outcome else Status.NOT_AWARDED
    return outcomes


def attach_outcomes(applications, at=None):
    """Set `published_outcome` on each application (None: nothing to show); applications_tags reads it."""
    outcomes = published_outcomes(applications, at)
    for application in applications:
        application.published_outcome = outcomes.get(application.pk)
    return applications


@dataclass(frozen=True)
class CriterionFeedback:
    name: str
    max_points: int
    average: Decimal | None  # over the counted scorecards, one decimal place
    cards: int
    justifications: tuple  # the jurors' texts, sorted by their own text: no juror's order or number shows


@dataclass(frozen=True)
class Feedback:
    criteria: tuple
    cards: int


def _one_decimal(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def feedback_for(application, at=None):
    """The jury's anonymised feedback on one application, or None when there is nothing to show at `at`: the
    edition does not publish feedback, its results are not public, its decisions are not locked (the condition of
    the outcome: the scores would tell it before it exists), or the entry never reached the jury."""
    edition = application.edition
    if not edition.publish_jury_feedback or application.status not in Status.ACCEPTED_FOR_JURY:
        return None
    if not phases.results_visible(edition, at) or not locked(edition):
        return None
    cards = counted_scorecards(edition).filter(application=application)
    scores = CriterionScore.objects.filter(scorecard__in=cards.values("pk"))
    averages = {
        row["criterion_id"]: row
        for row in scores.filter(points__isnull=False).values("criterion_id").annotate(avg=Avg("points"), n=Count("pk"))
    }
    texts = {}
    for criterion_id, text in scores.exclude(justification="").values_list("criterion_id", "justification"):
        if text.strip():
            texts.setdefault(criterion_id, []).append(text.strip())
    rows = []
    for criterion in edition.criteria.all():
        found = averages.get(criterion.pk, {})
        rows.append(
            CriterionFeedback(
                name=criterion.name,
                max_points=criterion.max_points,
                average=_one_decimal(found.get("avg")),
                cards=found.get("n", 0),
                justifications=tuple(sorted(texts.get(criterion.pk, []), key=lambda t: (t.casefold(), t))),
            )
        )
    return Feedback(criteria=tuple(rows), cards=cards.count())
