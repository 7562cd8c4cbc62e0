"""Receivers the jury connects in jury/apps.py: remember at login whether the user is on a jury (so the navigation
needs no query on every page), and re-check conflicts of interest when an application changes (refusing the
rejection of an entry the locked decisions include)."""

SESSION_FLAG = "is_juror"


def remember_juror(sender, request, user, **kwargs):
    from .models import JuryMember

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = JuryMember.objects.filter(user=user, is_active=True).exists()


def application_changed(sender, application, by, **kwargs):
    from .services import check_leaving_the_competition, detect_for_application

    check_leaving_the_competition(application)  # raises JuryError: the change is rolled back
    detect_for_application(application, by=by)
