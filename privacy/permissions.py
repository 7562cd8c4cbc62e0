"""Who may do what with personal-data requests: every rule answers an accounts.access.Verdict, and
`permission_required(action)` is the one guard the views use. A person's own pages need a login, and for a staff
member (organiser, juror) a staff session too; the organisers' pages need a staff session (two-factor
authentication, session age) first, and do not exist for anyone else."""

from functools import wraps

from django.utils.translation import gettext_lazy as _

from accounts.access import ALLOWED, Verdict, is_organiser, is_staff_user, refuse, staff_session_ok

LOGIN = Verdict(False, _("Log in to continue."), "login")


def _own(user, obj=None):
    if not user.is_authenticated:
        return LOGIN
    return ALLOWED


def _download(user, export):
    if not user.is_authenticated:
        return LOGIN
    if export is None or export.user_id != user.pk:
        return Verdict(False, "", "hidden")
    return ALLOWED


def _decide(user, obj=None):
    if not user.is_authenticated:
        return LOGIN
    if not is_organiser(user):
        return Verdict(False, "", "hidden")
    return ALLOWED


RULES = {"own": _own, "download": _download, "decide": _decide}
STAFF_ACTIONS = {"decide"}


def check(user, action, obj=None):
    return RULES[action](user, obj)


def staff_gate(request, action):
    """The staff session an action needs first, or None. An organiser's decisions are staff pages; so is a staff
    member's own data (a juror's download holds their scores and justifications, an organiser's their activity):
    a password alone must not reach through it what the staff pages keep behind the second factor."""
    user = request.user
    if (action in STAFF_ACTIONS and is_organiser(user)) or (action not in STAFF_ACTIONS and is_staff_user(user)):
        session = staff_session_ok(request)
        if not session:
            return session
    return None


def permission_required(action):
    """The guard of every view here but the download (which loads the export first, then asks `check`)."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            session = staff_gate(request, action)
            if session is not None:
                return refuse(request, session)
            verdict = check(request.user, action)
            if not verdict:
                return refuse(request, verdict)
            return view(request, *args, **kwargs)

        return guarded

    return decorator
