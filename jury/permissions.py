"""Who may do what in the jury: every rule answers a Verdict (allowed, reason, how to refuse); `check(user, action,
edition, application=None)` asks one; `permission_required(action)` is the one guard views use.

Every jury page is a staff page: the guard asks accounts.access.staff_session_ok (two-factor authentication, session
age) before any rule, so the rules here say only who and what.
"""

from functools import wraps

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import ALLOWED, Verdict, is_organiser, refuse, staff_session_ok
from applications.models import Status
from contest import phases

from .models import Assignment, ConflictOfInterest, ImpartialityDeclaration, JuryMember

__all__ = [
    "Verdict",
    "check",
    "conflicted_entries",
    "entry_visible",
    "is_organiser",
    "membership",
    "permission_required",
]

LOGIN = Verdict(False, _("Log in to continue."), "login")


def membership(user, edition):
    if not user.is_authenticated:
        return None
    return JuryMember.objects.filter(user=user, edition=edition, is_active=True).select_related("edition").first()


def _home(user, edition=None, application=None):
    return ALLOWED if user.is_authenticated else LOGIN


def _jury(user, edition, application=None):
    """The juror's own area of an edition."""
    if not user.is_authenticated:
        return LOGIN
    member = membership(user, edition)
    if member is None:
        return Verdict(False, _("You are not on the jury of this edition."), "hidden")
    return Verdict(True, member=member)


def _entries(user, edition, application=None):
    """Anything that shows entries needs the impartiality declaration first."""
    verdict = _jury(user, edition)
    if not verdict:
        return verdict
    if not ImpartialityDeclaration.objects.filter(member=verdict.member).exists():
        return Verdict(
            False, "", "redirect", then=reverse("jury:declaration", args=[edition.year]), member=verdict.member
        )
    return verdict


def entry_visible(member, application):
    """The Verdict for one member opening one entry: assigned, formally accepted, no active conflict."""
    if application.edition_id != member.edition_id:
        return Verdict(False, _("This entry is not in your edition."))
    if application.status not in Status.ACCEPTED_FOR_JURY:
        return Verdict(False, _("This entry is not formally accepted."))
    if not Assignment.objects.filter(member=member, application=application).exists():
        return Verdict(False, _("This entry is not assigned to you."))
    if ConflictOfInterest.objects.filter(member=member, application=application, lifted_at__isnull=True).exists():
        return Verdict(False, _("You have a conflict of interest with this entry."))
    return ALLOWED


def _entry(user, edition, application):
    verdict = _entries(user, edition)
    if not verdict:
        return verdict
    if application is None:
        return Verdict(False, _("There is no such entry."), "hidden", member=verdict.member)
    allowed, reason = entry_visible(verdict.member, application)
    if not allowed:
        return Verdict(False, reason, "hidden", member=verdict.member)
    return verdict


def _score(user, edition, application):
    verdict = _entry(user, edition, application)
    if not verdict:
        return verdict
    if not phases.can_score(edition):
        return Verdict(
            False,
            _("Scoring is closed: it is outside the scoring window."),
            "redirect",
            then=reverse("jury:scorecard", args=[edition.year, application.code]),
            member=verdict.member,
        )
    return verdict


def _affiliations(user, edition=None, application=None):
    """A juror's own affiliations, across editions: any active membership."""
    if not user.is_authenticated:
        return LOGIN
    if not JuryMember.objects.filter(user=user, is_active=True).exists():
        return Verdict(False, _("You are not on any jury."), "hidden")
    return ALLOWED


def _organise(user, edition=None, application=None):
    if not user.is_authenticated:
        return LOGIN
    if not is_organiser(user):
        return Verdict(False, _("Only organisers can do this."), "denied")
    return ALLOWED


def conflicted_entries(user, edition):
    """The ids of the edition's entries `user` has an active conflict of interest with, under any of their jury
    memberships of the edition (an organiser may sit on the jury too; a deactivated member's conflict still holds)."""
    if not user.is_authenticated or edition is None:
        return set()
    return set(
        ConflictOfInterest.objects.filter(
            member__edition=edition, member__user=user, lifted_at__isnull=True
        ).values_list("application_id", flat=True)
    )


def _conflicted(user, edition, application):
    return ConflictOfInterest.objects.filter(
        member__edition=edition, member__user=user, application=application, lifted_at__isnull=True
    ).exists()


def _decide(user, edition, application=None):
    """Recording decisions: organisers and the chair of the edition; for one entry, nobody (organiser or chair) who
    has an active conflict of interest with it."""
    if not user.is_authenticated:
        return LOGIN
    if is_organiser(user):
        member = None
    else:
        member = membership(user, edition)
        if member is None or not member.is_chair:
            return Verdict(False, _("Only the chair of the committee and organisers record decisions."), "hidden")
    if application is not None and _conflicted(user, edition, application):
        return Verdict(False, _("You have a conflict of interest with this entry."), "denied", member=member)
    return Verdict(True, member=member)


def _lock_decisions(user, edition, application=None):
    """Locking and unlocking the decisions of an edition: organisers only."""
    verdict = _organise(user, edition)
    if not verdict:
        return verdict
    return ALLOWED


def scoring_ended(edition, at=None):
    """Whether the edition's scoring has ended (deliberation, results or the archive)."""
    return phases.phase_at(edition, at) in (phases.Phase.DELIBERATION, phases.Phase.RESULTS, phases.Phase.ARCHIVED)


def _ranking(user, edition, application=None):
    """The ranking: organisers and the edition's chair, once scoring has ended. Other jurors never see it: it shows
    every juror's totals."""
    if not user.is_authenticated:
        return LOGIN
    if not is_organiser(user):
        member = membership(user, edition)
        if member is None or not member.is_chair:
            return Verdict(False, _("Only the organisers and the chair of the committee see the ranking."), "hidden")
    if not scoring_ended(edition):
        return Verdict(False, _("The ranking is shown once jury scoring has ended."), "denied")
    return ALLOWED


def _freeze(user, edition, application=None):
    """Freezing the ranking: organisers, on the ranking page (when scoring has ended is the service's question)."""
    verdict = _ranking(user, edition)
    if not verdict:
        return verdict
    return _organise(user, edition)


def _export_ranking(user, edition, application=None):
    """The ranking's export (CSV, XLSX): organisers, once scoring has ended, as the ranking page and the protocol."""
    verdict = _organise(user, edition)
    if not verdict:
        return verdict
    return _ranking(user, edition)


RULES = {
    "home": _home,
    "jury": _jury,
    "entries": _entries,
    "entry": _entry,
    "score": _score,
    "affiliations": _affiliations,
    "organise": _organise,
    "decide": _decide,
    "lock_decisions": _lock_decisions,
    "ranking": _ranking,
    "freeze": _freeze,
    "export_ranking": _export_ranking,
}
# Actions of a juror in their own edition: the view receives their JuryMember.
JUROR_ACTIONS = {"jury", "entries", "entry", "score"}


def check(user, action, edition=None, application=None):
    """The Verdict for `user` doing `action` in `edition` (on `application` for "entry" and "score")."""
    return RULES[action](user, edition, application)


def permission_required(action, *, post=None):
    """The one guard of jury views: the staff session first, then the rule for `action` (`post` for a POST when
    given). The view receives `edition` for `year`, `application` for `code` (found or None: who asks is checked
    before whether the entry exists, so nobody learns which codes exist) and `member` for a juror's action."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            from applications.models import Application
            from contest.models import Edition

            wanted = post if post and request.method == "POST" else action
            session = staff_session_ok(request)
            if not session:
                return refuse(request, session)
            edition = application = None
            if "year" in kwargs:
                edition = kwargs["edition"] = get_object_or_404(Edition, year=kwargs.pop("year"))
            if "code" in kwargs:
                code = kwargs.pop("code")
                application = kwargs["application"] = Application.objects.filter(edition=edition, code=code).first()
            verdict = check(request.user, wanted, edition, application)
            if not verdict:
                return refuse(request, verdict)
            if "application" in kwargs and application is None:
                return refuse(request, Verdict(False, _("There is no such entry."), "hidden"))
            if wanted in JUROR_ACTIONS or action in JUROR_ACTIONS:
                kwargs["member"] = verdict.member
            return view(request, *args, **kwargs)

        return guarded

    return decorator
