"""Template context shared by every page: the site's name and the user's roles."""

from .permissions import is_organiser


def site(request):
    return {
        "site_name": "Samorządowy Lider Zarządzania – Razem dla Rozwoju",
        "user_is_organiser": is_organiser(request.user) if hasattr(request, "user") else False,
    }
