"""Who may do what with the publication of results: every rule answers a Verdict; `permission_required(action)` is
the one guard the organisers' publication views use (the shape of jury.permissions). Public pages need no rule: what
they show is decided by results.visibility.

Every page here is a staff page: the guard asks accounts.access.staff_session_ok (two-factor authentication, session
age) before any rule."""

from django.utils.translation import gettext_lazy as _

from accounts.access import ALLOWED, Verdict, is_organiser
from contest.guards import staff_guard

__all__ = ["Verdict", "check", "permission_required"]

LOGIN = Verdict(False, _("Log in to continue."), "login")


def _publish(user, edition=None):
    """The publication page, publishing now and unpublishing: organisers only."""
    if not user.is_authenticated:
        return LOGIN
    if not is_organiser(user):
        return Verdict(False, _("Only organisers publish the results."), "denied")
    return ALLOWED


RULES = {"publish": _publish}


def check(user, action, edition=None):
    return RULES[action](user, edition)


# The staff session first, then the rule; the view receives `edition` for `year`.
permission_required = staff_guard(check)
