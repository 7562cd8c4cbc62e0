"""The one access policy: what a staff session needs, the Verdict every rule answers, and the one way to refuse.

Staff pages (everything an organiser, the chair or a juror uses, the admin included) need a session that logged in
less than STAFF_SESSION_HOURS ago and, when settings.REQUIRE_MFA_FOR_STAFF is on, that completed two-factor
authentication itself: having an authenticator is not enough, this session must have used it (allauth records the
methods a session used). `StaffSessionMiddleware` applies this to the staff URLs; each app's permission decorator
asks `staff_session_ok` too, for pages an organiser reaches through their role rather than a URL of their own.
"""

import datetime
import time
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

STAFF_SESSION_HOURS = 12
LOGIN_AT_SESSION_KEY = "accounts_login_at"
STAFF_EXPIRY_SESSION_KEY = "accounts_staff_expiry"

# URL namespaces (and the names inside them left out) that only staff use: every page there is a staff page.
STAFF_NAMESPACES = {
    "jury": {"invitation"},  # the invitation page is how a new juror arrives, before any second factor exists
    "admin": set(),
    "results_organiser": set(),
    "retention": set(),
    "communications": set(),
}
# Single staff pages inside apps that otherwise serve applicants.
STAFF_URL_NAMES = {
    "applications:organiser_list",
    "applications:organiser_export",
    "applications:organiser_message",
    "applications:review",
    "applications:attachments_zip",
    "privacy:erasure_list",
    "privacy:erasure_detail",
}


@dataclass(frozen=True)
class Verdict:
    """A rule's answer: allowed or not, the reason for the person, and how a refusal is answered.

    code: "login" (log in first), "expired" (log in again), "mfa_setup" (set up an authenticator), "mfa" (use it
    in this session), "redirect" (show the reason and go to `then`), "hidden" (404: the thing does not exist for
    this person) or "denied" (403 with the reason).
    """

    allowed: bool
    reason: Any = ""
    code: str = ""
    then: str = ""
    member: Any = None

    def __iter__(self):
        yield self.allowed
        yield self.reason

    def __bool__(self):
        return self.allowed


ALLOWED = Verdict(True)


def is_organiser(user):
    return bool(user.is_authenticated and user.is_active and (user.is_organiser or user.is_superuser))


def has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _records(request):
    from allauth.account.authentication import get_authentication_records

    return get_authentication_records(request, request.user)


def session_used_mfa(request):
    """Did this session pass a second factor (at login, a reauthentication or setting the authenticator up)?"""
    return any(record.get("method") == "mfa" for record in _records(request))


def login_at(request):
    value = request.session.get(LOGIN_AT_SESSION_KEY)
    return value if isinstance(value, int | float) else None


def last_authenticated_at(request):
    """The latest moment this session proved who it is: the login itself or any later reauthentication."""
    moments = [record.get("at") for record in _records(request) if isinstance(record.get("at"), int | float)]
    started = login_at(request)
    if started is not None:
        moments.append(started)
    return max(moments, default=None)


def recently_authenticated(request):
    from allauth.account import app_settings

    moment = last_authenticated_at(request)
    return moment is not None and time.time() - moment < app_settings.REAUTHENTICATION_TIMEOUT


def staff_session_ok(request):
    """The Verdict on this request's session for a staff page (cached on the request: several layers ask)."""
    cached = getattr(request, "_staff_session_verdict", None)
    if cached is not None:
        return cached
    verdict = _staff_session(request)
    request._staff_session_verdict = verdict
    return verdict


def _staff_session(request):
    user = request.user
    if not user.is_authenticated:
        return Verdict(False, _("Log in to continue."), "login")
    started = login_at(request)
    if started is None or time.time() - started > STAFF_SESSION_HOURS * 3600:
        return Verdict(False, _("For your security, log in again: staff sessions last at most 12 hours."), "expired")
    if not getattr(settings, "REQUIRE_MFA_FOR_STAFF", False):
        return ALLOWED
    if not has_totp(user):
        return Verdict(False, _("Turn on two-factor authentication to continue."), "mfa_setup")
    if not session_used_mfa(request):
        return Verdict(False, _("Enter the code from your authenticator app to continue."), "mfa")
    return ALLOWED


def refuse(request, verdict):
    """The one answer to a refusing Verdict, whichever app asked."""
    code = verdict.code
    if code == "login":
        return redirect_to_login(request.get_full_path())
    if code == "expired":
        path = request.get_full_path()
        logout(request)
        messages.info(request, verdict.reason)
        return redirect_to_login(path)
    if code == "mfa_setup":
        messages.warning(request, verdict.reason)
        return redirect("mfa_index")
    if code == "mfa":
        from allauth.account.internal.flows.reauthentication import suspend_request
        from django.urls import reverse

        # allauth's own second-factor reauthentication; a POST is kept and replayed once the code is right.
        return suspend_request(request, reverse("mfa_reauthenticate"))
    if code == "redirect":
        if verdict.reason:
            messages.error(request, verdict.reason)
        return redirect(verdict.then)
    if code == "hidden":
        raise Http404
    raise PermissionDenied(verdict.reason)


def recent_authentication_required(view=None, *, when=None):
    """For changes that are hard to undo (lifting a conflict, deleting, roles): the person proved who they are in
    the last few minutes (ACCOUNT_REAUTHENTICATION_TIMEOUT), or allauth's reauthentication flow asks them (with their
    second factor when they have one, see accounts.adapters) and then replays the request. `when(request, **kwargs)`
    limits it to some requests of the view; GET never needs it."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from allauth.core.exceptions import ReauthenticationRequired

            sensitive = request.method != "GET" and (when is None or when(request, *args, **kwargs))
            if sensitive and not recently_authenticated(request):
                raise ReauthenticationRequired()
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def is_staff_url(resolver_match):
    if resolver_match is None:
        return False
    namespace = resolver_match.namespace.split(":")[0] if resolver_match.namespace else ""
    if namespace in STAFF_NAMESPACES:
        return resolver_match.url_name not in STAFF_NAMESPACES[namespace]
    return resolver_match.view_name in STAFF_URL_NAMES


def limit_staff_session(request):
    """Make the session cookie end when the staff session does, once per session."""
    started = login_at(request)
    if started is None or request.session.get(STAFF_EXPIRY_SESSION_KEY) == started:
        return
    ends = datetime.datetime.fromtimestamp(started, tz=datetime.UTC) + datetime.timedelta(hours=STAFF_SESSION_HOURS)
    request.session.set_expiry(ends)
    request.session[STAFF_EXPIRY_SESSION_KEY] = started


def is_staff_user(user):
    if not user.is_authenticated:
        return False
    if user.is_staff or is_organiser(user):
        return True
    return user.jury_memberships.filter(is_active=True).exists()


def on_login(sender, request, user, **kwargs):
    """Remember when this session logged in; a staff session's cookie ends STAFF_SESSION_HOURS later."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT_SESSION_KEY] = time.time()
    if is_staff_user(user):
        limit_staff_session(request)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator means typing a valid code from it: this session has used its second factor."""
    from allauth.account.internal.flows.login import record_authentication

    if request is not None and authenticator.type == authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)
