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


def _to_second(moment):
    return moment.replace(microsecond=0)


def by_deadline(at, deadline):
    """Whether the moment `at` is within an inclusive deadline, compared to the second."""
    return _to_second(at) <= _to_second(deadline)


def phase_at(edition, at=None):
    """Return the edition's phase at the moment `at` (now by default).

    Each phase starts at its date (inclusive). The two end dates, the submission
    deadline and the end of jury scoring, are the last moments of their phases
    (set as 23:59:59), so the next phase starts strictly after them.
    Comparisons are between aware datetimes, so daylight-saving changes in
    Europe/Warsaw need no special case. They are made at the resolution of a
    second, the resolution of the announced dates: a submission at
    23:59:59.4 is still within a deadline of 23:59:59.
    """
    at = _to_second(at or timezone.now())
    if edition.is_draft or at < _to_second(edition.call_published_at):
        return Phase.DRAFT
    if edition.archived_at and at >= _to_second(edition.archived_at):
        return Phase.ARCHIVED
    if at >= _to_second(edition.results_at):
        return Phase.RESULTS
    if not by_deadline(at, edition.scoring_ends_at):
        return Phase.DELIBERATION
    if at >= _to_second(edition.scoring_starts_at):
        return Phase.SCORING
    if not by_deadline(at, edition.submission_deadline):
        return Phase.FORMAL_REVIEW
    if at >= _to_second(edition.submissions_open_at):
        return Phase.SUBMISSIONS
    return Phase.ANNOUNCED


def can_submit(edition, at=None):
    return phase_at(edition, at) == Phase.SUBMISSIONS


def can_score(edition, at=None):
    return phase_at(edition, at) == Phase.SCORING


def results_visible(edition, at=None):
    """Whether the results of an edition are public at a moment: from results_at (to the second) on, unless an
    organiser withdrew them (unpublishing). Every public surface and the applicants' dashboards ask this."""
    if getattr(edition, "results_withdrawn_at", None) is not None:
        return False
    return phase_at(edition, at) in (Phase.RESULTS, Phase.ARCHIVED)
