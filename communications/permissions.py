"""Who may edit an edition's e-mails, read its sent-mail log and message its applicants: organisers only.
`permission_required(action)` is the one guard the views use; every page is a staff page (contest.guards)."""

from django.utils.translation import gettext_lazy as _

from accounts.access import ALLOWED, Verdict, is_organiser
from contest.guards import staff_guard

__all__ = ["Verdict", "check", "permission_required"]

LOGIN = Verdict(False, _("Log in to continue."), "login")


def _organisers(user, edition=None):
    if not user.is_authenticated:
        return LOGIN
    if not is_organiser(user):
        return Verdict(False, _("Only organisers manage the competition's e-mails."), "denied")
    return ALLOWED


RULES = {"communicate": _organisers}


def check(user, action, edition=None):
    return RULES[action](user, edition)


permission_required = staff_guard(check)
