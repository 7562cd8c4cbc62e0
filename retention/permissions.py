"""Who may see and change retention settings, the report and the register of processing activities: organisers only.
`permission_required(action)` is the one guard the views use (the shape of results.permissions); every page is a staff
page, so the staff session (two-factor authentication, session age) is asked first."""

from django.utils.translation import gettext_lazy as _

from accounts.access import ALLOWED, Verdict, is_organiser
from contest.guards import staff_guard

__all__ = ["Verdict", "check", "permission_required"]

LOGIN = Verdict(False, _("Log in to continue."), "login")


def _organisers(user, edition=None):
    if not user.is_authenticated:
        return LOGIN
    if not is_organiser(user):
        return Verdict(False, _("Only organisers manage personal data and its retention."), "denied")
    return ALLOWED


RULES = {"retention": _organisers, "register": _organisers}


def check(user, action, edition=None):
    return RULES[action](user, edition)


# The staff session first, then the rule; the view receives `edition` for `year`.
permission_required = staff_guard(check)
