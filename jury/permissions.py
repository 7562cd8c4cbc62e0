"""Who may do what in the jury: one entry point, `check(user, action, edition, application=None)`.

Every rule answers a Decision (allowed, reason) plus a code that tells the view how to refuse: "login", "mfa",
"declaration", "hidden" (answer 404 so existence is not revealed) or "denied" (403).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_organiser, mfa_satisfied
from applications.models import Status
from contest import phases

from .models import Assignment, ConflictOfInterest, ImpartialityDeclaration, JuryMember


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    code: str = ""
    member: JuryMember | None = None

    def __iter__(self):
        yield self.allowed
        yield self.reason

    def __bool__(self):
        return self.allowed


def membership(user, edition):
    if not user.is_authenticated:
        return None
    return JuryMember.objects.filter(user=user, edition=edition, is_active=True).select_related("edition").first()


def _jury(user, edition, application=None):
    """The juror's own area of an edition: member, with two-factor authentication when it is required."""
    if not user.is_authenticated:
        return Decision(False, _("Log in to continue."), "login")
    member = membership(user, edition)
    if member is None:
        return Decision(False, _("You are not on the jury of this edition."), "hidden")
    allowed, reason = mfa_satisfied(user)
    if not allowed:
        return Decision(False, reason, "mfa", member)
    return Decision(True, member=member)


def _entries(user, edition, application=None):
    """Anything that shows entries needs the impartiality declaration first."""
    decision = _jury(user, edition)
    if not decision:
        return decision
    if not ImpartialityDeclaration.objects.filter(member=decision.member).exists():
        return Decision(False, _("Sign the impartiality declaration first."), "declaration", decision.member)
    return decision


def entry_visible(member, application):
    """(allowed, reason) for one member opening one entry: assigned, formally accepted, no active conflict."""
    if application.edition_id != member.edition_id:
        return False, _("This entry is not in your edition.")
    if application.status not in Status.ACCEPTED_FOR_JURY:
        return False, _("This entry is not formally accepted.")
    if not Assignment.objects.filter(member=member, application=application).exists():
        return False, _("This entry is not assigned to you.")
    if ConflictOfInterest.objects.filter(member=member, application=application, lifted_at__isnull=True).exists():
        return False, _("You have a conflict of interest with this entry.")
    return True, ""


def _entry(user, edition, application):
    decision = _entries(user, edition)
    if not decision:
        return decision
    if application is None:
        return Decision(False, _("There is no such entry."), "hidden", decision.member)
    allowed, reason = entry_visible(decision.member, application)
    if not allowed:
        return Decision(False, reason, "hidden", decision.member)
    return decision


def _score(user, edition, application):
    decision = _entry(user, edition, application)
    if not decision:
        return decision
    if not phases.can_score(edition):
        return Decision(False, _("Scoring is closed: it is outside the scoring window."), "denied", decision.member)
    return decision


def _affiliations(user, edition=None, application=None):
    """A juror's own affiliations, across editions: any active membership, with MFA when it is required."""
    if not user.is_authenticated:
        return Decision(False, _("Log in to continue."), "login")
    if not JuryMember.objects.filter(user=user, is_active=True).exists():
        return Decision(False, _("You are not on any jury."), "hidden")
    allowed, reason = mfa_satisfied(user)
    if not allowed:
        return Decision(False, reason, "mfa")
    return Decision(True)


def _organise(user, edition=None, application=None):
    if not user.is_authenticated:
        return Decision(False, _("Log in to continue."), "login")
    if not is_organiser(user):
        return Decision(False, _("Only organisers can do this."), "denied")
    allowed, reason = mfa_satisfied(user)
    if not allowed:
        return Decision(False, reason, "mfa")
    return Decision(True)


RULES = {
    "jury": _jury,
    "entries": _entries,
    "entry": _entry,
    "score": _score,
    "affiliations": _affiliations,
    "organise": _organise,
}


def check(user, action, edition=None, application=None):
    """The Decision for `user` doing `action` in `edition` (on `application` for "entry" and "score")."""
    return RULES[action](user, edition, application)
