"""The project's URLs with /_floor/ in front (benchmarks/floor/settings.py)."""

from django.shortcuts import render
from django.urls import path

from accounts.access import refuse, staff_session_ok
from config.urls import urlpatterns as project_urlpatterns


def floor(request):
    """What a staff view cannot do without: the staff-session verdict, then base.html around one heading."""
    verdict = staff_session_ok(request)
    if not verdict:
        return refuse(request, verdict)
    return render(request, "floor.html")


urlpatterns = [path("_floor/", floor), *project_urlpatterns]
