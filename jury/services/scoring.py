"""Scorecards: the juror's drafts and submissions, validated against the edition's criteria."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contest import phases
from contest.audit import record

from ..models import CriterionScore, ImpartialityDeclaration, Scorecard, ScorecardRevision
from ..permissions import entry_visible
from .errors import JuryError


def _check_can_score(member, application, by, at=None):
    if member.user_id != by.pk or not member.is_active:
        raise JuryError(_("Only the assigned juror can score this entry."))
    allowed, message = entry_visible(member, application)
    if not allowed:
        raise JuryError(message)
    if not phases.can_score(member.edition, at):
        raise JuryError(_("Scoring is closed: it is outside the scoring window."))
    if not ImpartialityDeclaration.objects.filter(member=member).exists():
        raise JuryError(_("Sign the impartiality declaration first."))


# Points as the server reads them, and the one statement of it: the scorecard form (jury.forms.PointsField) and the
# live total of static/js/jury.js (which gets this text in each input's data-points-pattern) both match it against
# the whole input. A whole number, a sign allowed, ".0" allowed ("+5", "7.0", " 7 "); not "7,5", "7.5", "1e1", "1_0",
# nor digits of other scripts, which Python's int() would take but a reader would not expect to count. The syntax
# means the same to Python's re and to JavaScript's RegExp.
POINTS_PATTERN = r"[ \t\r\n]*([+-]?[0-9]+)(?:\.0*)?[ \t\r\n]*"
_POINTS = re.compile(POINTS_PATTERN)


def parse_points(raw):
    """The whole number `raw` (text as sent) stands for, or None when it is not one by POINTS_PATTERN; whether it is
    within the criterion's range is validate_scores' question."""
    match = _POINTS.fullmatch(str(raw)) if raw is not None else None
    if not match:
        return None
    sign, digits = re.fullmatch(r"([+-]?)0*([0-9]*)", match.group(1)).groups()
    # Python converts at most 4,300 digits (sys.get_int_max_str_digits): a longer number is out of every range.
    return int(sign + (digits or "0")) if len(digits) <= 100 else None


def points_field(criterion):
    return f"points_{criterion.pk}"


def justification_field(criterion):
    return f"justification_{criterion.pk}"


def validate_scores(edition, criteria, values, *, complete):
    """Errors keyed by form field; ranges are always checked, completeness only when submitting.

    values: {criterion_id: (points or None, justification)}; points must already be int or None.
    """
    errors = {}
    for criterion in criteria:
        points, justification = values.get(criterion.pk, (None, ""))
        if points is not None and not (0 <= points <= criterion.max_points):
            errors[points_field(criterion)] = points_out_of_range(criterion)
        if not complete:
            continue
        if points is None:
            errors[points_field(criterion)] = _("%(criterion)s – points: give the points for this criterion.") % {
                "criterion": criterion.name
            }
        if criterion.requires_justification:
            length = len((justification or "").strip())
            if length < edition.min_justification_length:
                errors[justification_field(criterion)] = justification_too_short(
                    criterion, length, edition.min_justification_length
                )
    return errors


# Every message names its criterion: the error summary lists them all at the top of a long form.
def points_out_of_range(criterion):
    return _("%(criterion)s – points: give between 0 and %(max)s.") % {
        "criterion": criterion.name,
        "max": criterion.max_points,
    }


def points_not_a_number(criterion):
    return _("%(criterion)s – points: give a whole number.") % {"criterion": criterion.name}


def justification_too_short(criterion, length, minimum):
    # The same words as the live counter under the field (static/js/jury.js), with the criterion in front.
    return ngettext(
        "%(criterion)s – justification: %(now)s of at least %(min)s character.",
        "%(criterion)s – justification: %(now)s of at least %(min)s characters.",
        minimum,
    ) % {"criterion": criterion.name, "now": length, "min": minimum}


def _write(member, application, values, overall_comment, by, *, submit):
    edition = member.edition
    criteria = list(edition.criteria.all())
    unknown = set(values) - {c.pk for c in criteria}
    if unknown:
        raise JuryError(_("The form refers to criteria of another edition."))
    errors = validate_scores(edition, criteria, values, complete=submit)
    if errors:
        raise JuryError(errors)
    now = timezone.now()
    with transaction.atomic():
        card, _created = Scorecard.objects.select_for_update().get_or_create(member=member, application=application)
        previous = card.status
        if previous == Scorecard.Status.SUBMITTED and not submit:
            raise JuryError(_("This scorecard has been submitted; submit your changes as a revision."))
        card.overall_comment = overall_comment or ""
        card.updated_at = now
        existing = {s.criterion_id: s for s in card.scores.all()}
        for criterion in criteria:
            points, justification = values.get(criterion.pk, (None, ""))
            score = existing.get(criterion.pk) or CriterionScore(scorecard=card, criterion=criterion)
            score.points = points
            score.justification = justification or ""
            score.save()
        if submit:
            card.status = Scorecard.Status.SUBMITTED
            card.submitted_at = now
            card.revision += 1
        card.save()
        if submit:
            ScorecardRevision.objects.create(
                scorecard=card,
                number=card.revision,
                submitted_by=by,
                submitted_at=now,
                snapshot={
                    "overall_comment": card.overall_comment,
                    "scores": {
                        str(c.pk): {
                            "points": values.get(c.pk, (None, ""))[0],
                            "justification": values.get(c.pk, (None, ""))[1],
                        }
                        for c in criteria
                    },
                },
            )
            record(
                "jury.scorecard_submitted" if card.revision == 1 else "jury.scorecard_revised",
                actor=by,
                target=card,
                edition=edition,
                from_state=previous if not _created else "",
                to_state=card.status,
                revision=card.revision,
                submitted=card.status == Scorecard.Status.SUBMITTED,
                # Points only: justifications are free text that may name people, and they live on the revision.
                points={str(c.pk): values.get(c.pk, (None, ""))[0] for c in criteria},
            )
    return card


def save_scorecard_draft(member, application, values, overall_comment="", *, by, at=None):
    """Save without completeness checks (points still must be within the scale)."""
    _check_can_score(member, application, by, at)
    return _write(member, application, values, overall_comment, by, submit=False)


def submit_scorecard(member, application, values, overall_comment="", *, by, at=None):
    """Validate everything and submit; a submitted scorecard can be revised until scoring closes."""
    _check_can_score(member, application, by, at)
    return _write(member, application, values, overall_comment, by, submit=True)
