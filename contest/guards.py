"""The one shape of an organisers' page guard, for apps whose pages are all staff pages of an edition (results,
retention): the staff session first (two-factor authentication, session age: accounts.access.staff_session_ok), then
the app's own rule, and the view receives `edition` for the `year` of its address."""

from functools import wraps

from django.shortcuts import get_object_or_404

from accounts.access import refuse, staff_session_ok

from .models import Edition


def staff_guard(check):
    """`permission_required(action)` for an app whose rules answer `check(user, action)` with a Verdict."""

    def permission_required(action):
        def decorator(view):
            @wraps(view)
            def guarded(request, *args, **kwargs):
                session = staff_session_ok(request)
                if not session:
                    return refuse(request, session)
                verdict = check(request.user, action)
                if not verdict:
                    return refuse(request, verdict)
                if "year" in kwargs:
                    kwargs["edition"] = get_object_or_404(Edition, year=kwargs.pop("year"))
                return view(request, *args, **kwargs)

            return guarded

        return decorator

    return permission_required
