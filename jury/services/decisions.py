"""The committee's decisions: recorded by the chair or an organiser during deliberation, locked and unlocked by
organisers with a reason. A decision changes neither the application's status nor sends any e-mail
(applications.services.change_status e-mails the applicant at once, which would break the embargo): statuses and
outcome e-mails change at publication."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Status
from contest import phases
from contest.audit import record
from contest.models import Edition

from ..models import Decision, DecisionLock
from ..signals import decisions_changed
from .errors import JuryError

# Decisions are recorded after scoring has ended and before the results are published.
DECISION_PHASES = frozenset({phases.Phase.DELIBERATION})
MAX_CITATION = 5000
MAX_PRIZE_TIER = 100


def _lock_edition(edition):
    """Serialise the decisions of one edition with its lock: a decision never slips in as the lock is set."""
    return Edition.objects.select_for_update().get(pk=edition.pk)


def decisions_locked(edition, stage=""):
    return DecisionLock.objects.filter(edition=edition, stage=stage).exists()


def outcomes_announced(edition):
    """Whether publication has moved any entry to its outcome (Status.DECIDED): the applicants have had their outcome
    e-mails. results.services.outcomes_announced asks the same; jury sits below results, so it asks the statuses."""
    return Application.objects.filter(edition=edition, status__in=Status.DECIDED).exists()


def check_decision_phase(edition):
    phase = phases.phase_at(edition)
    if phase in (phases.Phase.RESULTS, phases.Phase.ARCHIVED):
        raise JuryError(_("The results of this edition are published: decisions can no longer change."))
    if phase not in DECISION_PHASES:
        raise JuryError(_("Decisions are recorded during deliberation, after jury scoring has ended."))


def check_leaving_the_competition(application):
    """Refuse an entry the locked decisions speak of leaving the competition (rejected, a late disqualification):
    the committee's locked record and the published one must not call it a laureate while its applicant is told
    "rejected". An organiser unlocks the decisions first (audited, with a reason), then rejects and decides again.

    Called by jury.receivers on applications' application_changed, inside the transaction of the change, so the
    refusal rolls the change back; the edition's row is locked as lock_decisions locks it, so a lock and a
    rejection at the same moment cannot both pass."""
    if application.status in Status.ACCEPTED_FOR_JURY:
        return
    if not Decision.objects.filter(application_id=application.pk, stage="").exists():
        return
    _lock_edition(application.edition)
    if decisions_locked(application.edition):
        raise JuryError(
            _(
                "The committee's decisions on this edition are locked and include this entry: an organiser must "
                "unlock them before the entry can be rejected."
            )
        )


def validate_decision(*, outcome, place=None, prize_tier="", citation=""):
    """The cleaned values, or a JuryError with a message per field."""
    citation = (citation or "").strip()
    prize_tier = (prize_tier or "").strip()
    errors = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = [_("Choose one of the outcomes.")]
    if place is not None and (not isinstance(place, int) or place < 1 or place > 1000):
        errors["place"] = [_("The place must be a whole number from 1 to 1000.")]
    if outcome == Decision.Outcome.LAUREATE and place is None:
        errors["place"] = [_("A laureate needs a place.")]
    if outcome in Decision.CITED and not citation:
        errors["citation"] = [_("A laureate or a distinction needs a citation: it will appear on public pages.")]
    if len(citation) > MAX_CITATION:
        errors["citation"] = [_("The citation may have at most %(n)s characters.") % {"n": MAX_CITATION}]
    if len(prize_tier) > MAX_PRIZE_TIER:
        errors["prize_tier"] = [_("The prize tier may have at most %(n)s characters.") % {"n": MAX_PRIZE_TIER}]
    if errors:
        raise JuryError(errors)
    if outcome not in Decision.CITED:
        place = None  # a finalist or an entry not awarded has no place
    return {"outcome": outcome, "place": place, "prize_tier": prize_tier, "citation": citation}


class StaleDecision(JuryError):
    """The decision changed after the form was opened (another tab, another person): nothing was overwritten.
    `current` is the decision as it is now (None if it was never recorded)."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def decision_version(decision):
    """The version a decision form carries: the moment of its last change, to the microsecond ("" for none yet).
    A form sent with another version was opened before someone else saved (applications' drafts do the same with
    Application.version)."""
    if decision is None:
        return ""
    return decision.updated_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _same_values(decision, values):
    return decision is not None and all(getattr(decision, name) == value for name, value in values.items())


def record_decision(
    application, *, outcome, place=None, prize_tier="", citation="", by, stage="", expected_version=None
):
    """Record or change the decision on one formally accepted entry. Two laureates may share a place (ex aequo).

    `expected_version` (decision_version of the decision the form was opened on, "" for none) refuses a stale save
    with StaleDecision instead of silently overwriting what someone else saved meanwhile; None skips the check.
    Sending again exactly what is already stored is not a conflict (a double click, two tabs agreeing).
    """
    values = validate_decision(outcome=outcome, place=place, prize_tier=prize_tier, citation=citation)
    edition = application.edition
    with transaction.atomic():
        _lock_edition(edition)
        application = Application.objects.get(pk=application.pk)  # the status as it is now
        check_decision_phase(edition)
        if application.status not in Status.ACCEPTED_FOR_JURY:
            raise JuryError(_("Only formally accepted entries get a decision."))
        if decisions_locked(edition, stage):
            raise JuryError(_("The decisions of this edition are locked: an organiser must unlock them first."))
        decision = Decision.objects.filter(application=application, stage=stage).first()
        if expected_version is not None and decision_version(decision) != expected_version:
            if _same_values(decision, values):
                return decision
            raise StaleDecision(
                _(
                    "Someone else saved the decision on %(code)s after you opened this page; nothing was "
                    "overwritten. The decision as it is now is shown above, and your text is still in the form: "
                    "save it again to replace the current decision, or change it first."
                )
                % {"code": application.code},
                current=decision,
            )
        before = decision.outcome if decision else ""
        now = timezone.now()
        if decision is None:
            decision = Decision(edition=edition, application=application, stage=stage, recorded_at=now)
        for name, value in values.items():
            setattr(decision, name, value)
        decision.recorded_by = by
        decision.updated_at = now
        decision.save()
        record(
            "jury.decision_recorded",
            actor=by,
            target=application,
            edition=edition,
            from_state=before,
            to_state=decision.outcome,
            stage=stage,
            place=decision.place,
        )
    return decision


def lock_decisions(edition, *, reason, by, stage=""):
    reason = (reason or "").strip()
    if not reason:
        raise JuryError({"reason": [_("Give a reason for locking the decisions.")]})
    with transaction.atomic():
        _lock_edition(edition)
        # Locking ends deliberation: during scoring it would prepare an empty publication before any decision could
        # be recorded. A late committee may still lock after results_at; publication refuses what is already public.
        if phases.phase_at(edition) not in DECISION_PHASES | {phases.Phase.RESULTS, phases.Phase.ARCHIVED}:
            raise JuryError(_("The decisions can be locked only after jury scoring has ended."))
        if decisions_locked(edition, stage):
            raise JuryError(_("The decisions of this edition are already locked."))
        lock = DecisionLock.objects.create(edition=edition, stage=stage, locked_by=by, reason=reason)
        record(
            "jury.decisions_locked",
            actor=by,
            target=edition,
            edition=edition,
            from_state="open",
            to_state="locked",
            reason=reason,
            stage=stage,
            decisions=Decision.objects.filter(edition=edition, stage=stage).count(),
        )
        decisions_changed.send(sender=Decision, edition=edition, stage=stage, locked=True, by=by)
    return lock


def unlock_decisions(edition, *, reason, by, stage=""):
    reason = (reason or "").strip()
    if not reason:
        raise JuryError({"reason": [_("Give a reason for unlocking the decisions.")]})
    with transaction.atomic():
        _lock_edition(edition)
        lock = DecisionLock.objects.filter(edition=edition, stage=stage).first()
        if lock is None:
            raise JuryError(_("The decisions of this edition are not locked."))
        if phases.results_visible(edition):
            raise JuryError(_("The results of this edition are published: decisions can no longer change."))
        if not stage and outcomes_announced(edition):
            # Withdrawn results keep the statuses publication moved and the e-mails are sent: what the applicants
            # were told cannot be taken back by reopening the decisions.
            raise JuryError(
                _("The outcomes of this edition were already announced to the applicants: they can no longer change.")
            )
        lock.delete()
        record(
            "jury.decisions_unlocked",
            actor=by,
            target=edition,
            edition=edition,
            from_state="locked",
            to_state="open",
            reason=reason,
            stage=stage,
        )
        decisions_changed.send(sender=Decision, edition=edition, stage=stage, locked=False, by=by)
