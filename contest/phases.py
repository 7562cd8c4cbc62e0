"""The one function that derives an edition's phase from its dates, on the server, in Europe/Warsaw."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "draft", _("not published")
    ANNOUNCED = "announced", _("call published")
    SUBMISSIONS = "submissions", _("submissions open")
    FORMAL_REVIEW = "formal_review", _("formal review")
    SCORING = "scoring", _("jury scoring")
    DELIBERATION = "deliberation", _("deliberation")
    RESULTS = "results", _("results published")
    ARCHIVED = "archived", _("archive")


def phase_at(edition, at=None):
    """Return the edition's phase at the moment `at` (now by default).

    Each phase starts at its date (inclusive). The two end dates, the submission
    deadline and the end of jury scoring, are the last moments of their phases
    (set as 23:59:59), so the next phase starts strictly after them.
    Comparisons are between aware datetimes, so daylight-saving changes in
    Europe/Warsaw need no special case.
    """
    at = at or timezone.now()
    if edition.is_draft or at < edition.call_published_at:
        return Phase.DRAFT
    if edition.archived_at and at >= edition.archived_at:
        return Phase.ARCHIVED
    if at >= edition.results_at:
        return Phase.RESULTS
    if at > edition.scoring_ends_at:
        return Phase.DELIBERATION
    if at >= edition.scoring_starts_at:
        return Phase.SCORING
    if at > edition.submission_deadline:
        return Phase.FORMAL_REVIEW
    if at >= edition.submissions_open_at:
        return Phase.SUBMISSIONS
    return Phase.ANNOUNCED


def can_submit(edition, at=None):
    return phase_at(edition, at) == Phase.SUBMISSIONS


def can_score(edition, at=None):
    return phase_at(edition, at) == Phase.SCORING


def results_visible(edition, at=None):
    return phase_at(edition, at) in (Phase.RESULTS, Phase.ARCHIVED)
